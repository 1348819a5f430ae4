import type { Kysely } from 'kysely';

/**
 * Customer list pages under a data scope (bench/run.ts, case a): "level = A, newest change first"
 * for a sales manager walks the sort index until 51 rows pass the owner, recycle-bin and level
 * checks. With a manager seeing ~5% of the rows and level A ~10% of those, that is ~10,000 index
 * entries per page, and each one cost a table-row lookup just to read owner_id, deleted_at and
 * level (SQLite 3.5 → 60 ms, PostgreSQL 30 ms for one page at 100k customers).
 *
 * The keyset indexes now carry those three columns after (column, id): the order they serve is
 * unchanged, and the checks run on the index entry, so only rows that pass them are read
 * (SQLite evaluates index-only terms before seeking the row; PostgreSQL uses deleted_at and level
 * as index conditions and can answer id lists from the index alone). Measured on the same page:
 * SQLite ~4.5 ms, PostgreSQL ~6 ms.
 *
 * Collaborators of a page of customers (customers.repo findCollaborators: workspace_id = ? and
 * customer_id in (…50 ids)), read by every list page and every GET: without statistics SQLite
 * picked customer_collaborators_ws_user on workspace_id alone and read all of the workspace's
 * collaborator rows (8–15 ms per request with 20k of them). An index that starts with
 * (workspace_id, customer_id) answers it with one seek per id on both databases.
 */
const sortColumns = ['created_at', 'updated_at', 'name', 'last_followup_at', 'next_followup_at'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of sortColumns) {
    const name = `customers_ws_${column}`;
    await db.schema.dropIndex(name).ifExists().execute();
    await db.schema.createIndex(name).on('customers').columns(['workspace_id', column, 'id', 'owner_id', 'deleted_at', 'level']).execute();
  }
  await db.schema.createIndex('customer_collaborators_ws_customer').on('customer_collaborators').columns(['workspace_id', 'customer_id', 'user_id']).execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
