import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types';

/**
 * Tables that point at customers, for merge: every row pointing at a merged (source) customer is
 * re-pointed at the target. Modules register their tables beside their own code, e.g.
 *
 *   registerCustomerReference('deals', 'customer_id');
 *   registerCustomerReference('follow_ups', 'record_id', { entity: { column: 'entity', value: 'customer' } });
 *
 * The table must have a workspace_id column (every table does). A table whose rows cannot simply
 * be re-pointed (a unique key per customer, rows to combine) registers a handler instead.
 */
export interface CustomerReference {
  table: string;
  column: string;
  /** For polymorphic links (entity, record_id): only rows of this entity. */
  entity?: { column: string; value: string } | undefined;
}

export interface MergeContext {
  workspaceId: string;
  targetId: string;
  sourceIds: readonly string[];
  actorUserId: string | null;
  at: string;
}

export type CustomerMergeHandler = (trx: Kysely<Database>, merge: MergeContext) => Promise<void>;

const references: CustomerReference[] = [];
const handlers: CustomerMergeHandler[] = [];
const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

export function registerCustomerReference(table: string, column: string, options: { entity?: { column: string; value: string } } = {}): void {
  // Names are spliced into SQL as identifiers: only plain snake_case is accepted.
  for (const name of [table, column, options.entity?.column ?? 'entity']) {
    if (!identifier.test(name)) {
      throw new Error(`invalid identifier for a customer reference: ${name}`);
    }
  }
  if (!references.some((r) => r.table === table && r.column === column && r.entity?.value === options.entity?.value)) {
    references.push({ table, column, entity: options.entity });
  }
}

/** For tables that need more than re-pointing; runs inside the merge's transaction. */
export function registerCustomerMergeHandler(handler: CustomerMergeHandler): void {
  handlers.push(handler);
}

export function customerReferences(): readonly CustomerReference[] {
  return references;
}

/** Re-points every registered reference from the sources to the target, then runs the handlers. */
export async function moveCustomerReferences(trx: Kysely<Database>, merge: MergeContext): Promise<void> {
  for (const ref of references) {
    const entity = ref.entity ? sql` and ${sql.ref(ref.entity.column)} = ${ref.entity.value}` : sql``;
    await sql`update ${sql.table(ref.table)} set ${sql.ref(ref.column)} = ${merge.targetId}
      where workspace_id = ${merge.workspaceId} and ${sql.ref(ref.column)} in (${sql.join(merge.sourceIds)})${entity}`.execute(trx);
  }
  for (const handler of handlers) {
    await handler(trx, merge);
  }
}

// What exists today. Contacts, tags and collaborators are combined by the merge itself (primary
// contact, owner, duplicates); timeline entries keep their record_id so a merged record's own
// history still says which record it was about.
registerCustomerReference('follow_ups', 'customer_id');
registerCustomerReference('follow_ups', 'record_id', { entity: { column: 'entity', value: 'customer' } });
registerCustomerReference('timeline_events', 'customer_id');
