import { useCallback } from "react";
import { useCan } from "../../app/session";

/**
 * What the web app knows about each entity the server registers for import
 * (`server/modules/imports/imports.entities.ts` + modules registering their own): where its list
 * lives, where a duplicate record opens, and which cached queries an import makes stale. The
 * fields, required fields and header guesses come from the server's upload answer, not from here.
 */
export interface ImportEntityInfo {
  entity: string;
  /** The list page the result links back to. */
  listPath: string;
  /** A record's page (duplicates in the preview link there), when it has one. */
  recordPath?: (id: string) => string;
  /** TanStack Query keys to invalidate when an import of this entity finishes. */
  queryKeys: readonly (readonly string[])[];
}

export const IMPORT_ENTITIES: readonly ImportEntityInfo[] = [
  { entity: "customer", listPath: "/customers", recordPath: (id) => `/customers/${id}`, queryKeys: [["customers"]] },
  // Contacts have a list of their own; a contact is opened on its customer's page (no contact page).
  { entity: "contact", listPath: "/contacts", queryKeys: [["customers"], ["contacts"]] },
  { entity: "lead", listPath: "/leads", recordPath: (id) => `/leads/${id}`, queryKeys: [["leads"], ["todo"]] },
  { entity: "product", listPath: "/products", recordPath: (id) => `/products?product=${id}`, queryKeys: [["products"]] },
];

export function importEntityInfo(entity: string | null | undefined): ImportEntityInfo | undefined {
  return IMPORT_ENTITIES.find((info) => info.entity === entity);
}

/** The entities the signed-in user may import (`<entity>:import`), in menu order. */
export function useImportableEntities(): string[] {
  const can = useCan();
  return IMPORT_ENTITIES.map((info) => info.entity).filter((entity) => can(`${entity}:import`));
}

/** Whether the user may import anything at all (guards the wizard and its history). */
export function useCanImportAny(): boolean {
  return useImportableEntities().length > 0;
}

/** `(entity) => may update existing records` for the "update" duplicate mode. */
export function useCanUpdateExisting(): (entity: string) => boolean {
  const can = useCan();
  return useCallback((entity: string) => can(`${entity}:edit`), [can]);
}
