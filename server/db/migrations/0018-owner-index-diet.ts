import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect';

/**
 * Fewer indexes that carry owner_id, so changing a customer's owner (recycling to a pool, claiming,
 * transferring: a million of them in a big recycling run) moves fewer index entries. An UPDATE
 * rewrites an entry in every index holding a changed column — on SQLite also every partial index
 * whose WHERE names it. Twelve indexes on customers held owner_id; six remain touched by it:
 * customers_ws_owner_{created,updated,next} (the owner-leading indexes a rep's lists read),
 * customers_ws_{created_at,updated_at} (a manager's default lists check owner on the index entry,
 * see 0006) and the pool index (partial on owner_id IS NULL, so only entering or leaving a pool
 * touches it).
 *
 * - customers_ws_{name,last_followup_at,next_followup_at}: (workspace_id, column, id, deleted_at,
 *   level). A narrow scope (a rep) sorted by one of these reads its own rows through the owner
 *   index and sorts them (keysetWalks rowsOfScope, list-page.ts) instead of walking the sort index.
 * - customers_key_{name,phone,email}: (workspace_id, key, deleted_at). A key is selective: the
 *   duplicate checks read a handful of entries and check the owner on the row. The scoped
 *   duplicates report takes the scope's rows through the owner indexes first (duplicates.repo.ts).
 * - customers_ws_owner_updated: (workspace_id, owner_id, updated_at, id, deleted_at, level). A
 *   manager's capped count (`owner in (…)`, deleted_at, level: list-scope.ts countScoped) was answered
 *   from the old pool index, which led with owner_id; without it SQLite counted through a scan of
 *   the workspace's updated_at index: 0.3 → 9 ms at 100k. Covering here, it seeks per owner again.
 *   No extra writes: an entry moves on every update anyway (updated_at is in it).
 * - customers_ws_pool: partial, WHERE owner_id IS NULL — exactly the rows of the pool lists and
 *   counts (pools.repo.ts inPool), in their order (pool_id, released_at, id). On SQLite owner_id
 *   stays its second column although it is always NULL there: it costs a byte per entry and no
 *   write (an owner change touches the index through its WHERE either way), and makes `owner_id is
 *   null` an equality term of this index. Without it SQLite (no statistics) ties the index with
 *   customers_ws_owner_next (workspace_id, owner_id IS NULL) and counted a pool through that one,
 *   reading every ownerless row: 0.3 → 12 ms at 100k customers. PostgreSQL must not have it: IS
 *   NULL is no equality to its planner, so with owner_id in front it sorted the whole pool for
 *   every page instead of reading (released_at, id) backwards (checked with EXPLAIN).
 */
const sortColumns = ['name', 'last_followup_at', 'next_followup_at'] as const;
const keys = ['name', 'phone', 'email'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of sortColumns) {
    const name = `customers_ws_${column}`;
    await db.schema.dropIndex(name).ifExists().execute();
    await db.schema.createIndex(name).on('customers').columns(['workspace_id', column, 'id', 'deleted_at', 'level']).execute();
  }
  for (const key of keys) {
    const name = `customers_key_${key}`;
    await db.schema.dropIndex(name).ifExists().execute();
    await db.schema.createIndex(name).on('customers').columns(['workspace_id', `${key}_key`, 'deleted_at']).execute();
  }
  await db.schema.dropIndex('customers_ws_owner_updated').ifExists().execute();
  await db.schema.createIndex('customers_ws_owner_updated').on('customers').columns(['workspace_id', 'owner_id', 'updated_at', 'id', 'deleted_at', 'level']).execute();
  await db.schema.dropIndex('customers_ws_pool').ifExists().execute();
  const poolLead = dialectOf(db) === 'sqlite' ? ['workspace_id', 'owner_id', 'pool_id'] : ['workspace_id', 'pool_id'];
  await db.schema
    .createIndex('customers_ws_pool')
    .on('customers')
    .columns([...poolLead, 'released_at', 'id', 'deleted_at', 'level'])
    .where(sql.ref('owner_id'), 'is', null)
    .execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
