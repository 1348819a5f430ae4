export function ensureWebBuilt(options?: { quiet?: boolean }): void;
