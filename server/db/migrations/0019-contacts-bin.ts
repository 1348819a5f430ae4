import type { Kysely } from 'kysely';

/**
 * The contacts recycle bin (GET /contacts?deleted=true, sorted by -deletedAt) and the daily purge
 * of contacts deleted longer ago than the retention both walk contacts by deleted_at: one
 * (workspace_id, deleted_at, id) index serves the bin's keyset walk and the purge's range scan.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('contacts_ws_deleted').on('contacts').columns(['workspace_id', 'deleted_at', 'id']).execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
