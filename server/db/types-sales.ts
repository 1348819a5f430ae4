// Tables of the sales area (issue 4). Each feature adds its own `<Feature>Tables` interface in its
// own types file and lists it here, so parallel work never edits the same lines.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SalesTables {}
