import { type Kysely, sql } from 'kysely';

/**
 * Fewer index writes per new customer: imports write a million of them, every index is a B-tree
 * insert per row, and the random-keyed ones miss the page cache at that size.
 *
 * - The normalised keys had two indexes each: customers_ws_{name,phone,email}_key (workspace_id,
 *   key) from 0002 and the partial customers_dup_*_key (workspace_id, key, owner_id) WHERE
 *   deleted_at IS NULL from 0005. One full index (workspace_id, key, owner_id, deleted_at) per key
 *   serves every reader — import dedupe (`key in (…)`), the duplicate check on create/edit (an OR of
 *   the three keys: SQLite's multi-index OR and PostgreSQL's BitmapOr need a usable index per arm,
 *   which the partial ones alone did not give SQLite), contacts import filing by customer name,
 *   the duplicates report (GROUP BY key, index-only, owner and deleted_at read from the entry) —
 *   checked with EXPLAIN on both databases at 50k rows. Six indexes become three.
 * - customers_ws_deleted (workspace_id, deleted_at) held an entry for every customer although only
 *   the recycle bin reads it (deleted_at IS NOT NULL: the automatic purge's `deleted_at < ?`); as a
 *   partial index it holds only binned customers, and new rows never touch it.
 */
const keys = ['name', 'phone', 'email'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const key of keys) {
    await db.schema.dropIndex(`customers_ws_${key}_key`).ifExists().execute();
    await db.schema.dropIndex(`customers_dup_${key}_key`).ifExists().execute();
    await db.schema
      .createIndex(`customers_key_${key}`)
      .on('customers')
      .columns(['workspace_id', `${key}_key`, 'owner_id', 'deleted_at'])
      .execute();
  }
  await db.schema.dropIndex('customers_ws_deleted').ifExists().execute();
  await db.schema
    .createIndex('customers_ws_deleted')
    .on('customers')
    .columns(['workspace_id', 'deleted_at'])
    .where(sql.ref('deleted_at'), 'is not', null)
    .execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
