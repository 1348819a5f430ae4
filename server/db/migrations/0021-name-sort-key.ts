import type { Kysely } from 'kysely';

/**
 * One index on the customer's name instead of two. customers_ws_name (workspace_id, name, id,
 * deleted_at, level) sorted the list by name; customers_key_name (workspace_id, name_key,
 * deleted_at) found duplicates by the normalised name. Both take every new customer at a random
 * place, and a random-keyed index is what an insert pays for most: at 1M imported rows
 * customers_ws_name alone cost ≈ 9.6 s of the schema's 45.6 s floor (bench/import-floor.ts
 * --drop-index, docs/import-speed.md "Import speed, session 11").
 *
 * The list now sorts by name through name_key (customerListSpec: case, width, punctuation and
 * company suffixes folded, ties by id), so the key index takes the sort's columns: (workspace_id,
 * name_key, id, deleted_at, level), the shape customers_ws_name had. `name=` and `name[in]=`
 * filters add the implied name_key term and seek it too. A `name[contains]` filter no longer has a
 * narrow index to scan; it reads the rows in scope (docs/customers-api.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('customers_ws_name').ifExists().execute();
  await db.schema.dropIndex('customers_key_name').ifExists().execute();
  await db.schema.createIndex('customers_key_name').on('customers').columns(['workspace_id', 'name_key', 'id', 'deleted_at', 'level']).execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
