import type { Kysely } from 'kysely';
import type { Database } from './types';

/** Tables whose records carry `version` and are changed one at a time by id. */
type VersionedTable = 'customers' | 'departments' | 'followUps' | 'roles' | 'savedViews' | 'tags' | 'users' | 'deals' | 'products';

type VersionedRow = { id: string; workspaceId: string; version: number } & Record<string, unknown>;

/**
 * The UPDATE of one record under optimistic concurrency (api.md: records carry `version`; a stale
 * `If-Match` is 412): sets `patch`, bumps `version`, and with `expectedVersion` changes the record
 * only at that version — the check is in the statement, so two writers cannot both win. Answers
 * how many rows changed (0: no such record, or someone changed it first). Callers keep a typed
 * signature for their table's patch and pass it through.
 */
export async function updateVersioned(db: Kysely<Database>, table: VersionedTable, workspaceId: string, id: string, patch: object, expectedVersion?: number): Promise<number> {
  // One statement shape for several tables: Kysely's per-table types are checked by the callers.
  const loose = db as unknown as Kysely<Record<VersionedTable, VersionedRow>>;
  let q = loose
    .updateTable(table)
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id);
  if (expectedVersion !== undefined) {
    q = q.where('version', '=', expectedVersion);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}
