/** Where each customizable entity keeps its rows: the table gets one expression index per field. */
const entityTables: Record<string, string> = { customer: 'customers', contact: 'contacts' };

/** Lets later modules (leads, deals, …) make their entity customizable. */
export function registerCustomizableTable(entity: string, table: string): void {
  entityTables[entity] = table;
}

/** The table holding an entity's custom values; undefined for an entity without custom fields. */
export function customizableTable(entity: string): string | undefined {
  return entityTables[entity];
}
