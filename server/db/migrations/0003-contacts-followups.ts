import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../dialect';

/**
 * Contacts, follow-ups and files: what 0002 left out. A contact remembers its last follow-up's
 * text like a customer does; attachments get a link table so "who may download this file" is
 * one indexed lookup; "my follow-ups due" and the follow-up list get their keyset indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema.alterTable('contacts').addColumn('last_followup_content', 'text').execute();

  await db.schema
    .createTable('follow_up_files')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('follow_up_id', 'text', (c) => c.notNull().references('follow_ups.id').onDelete('cascade'))
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('follow_up_files_pk', ['follow_up_id', 'file_id'])
    .execute();
  await db.schema.createIndex('follow_up_files_ws_file').on('follow_up_files').columns(['workspace_id', 'file_id']).execute();

  await db.schema.createIndex('follow_ups_ws_created').on('follow_ups').columns(['workspace_id', 'created_at', 'id']).execute();
  // GET /follow-ups/mine: records of one owner by next follow-up time.
  await db.schema.createIndex('customers_ws_owner_next').on('customers').columns(['workspace_id', 'owner_id', 'next_followup_at', 'id']).execute();
  await db.schema.createIndex('contacts_ws_owner_next').on('contacts').columns(['workspace_id', 'owner_id', 'next_followup_at', 'id']).execute();
  await db.schema.createIndex('contacts_ws_name').on('contacts').columns(['workspace_id', 'name', 'id']).execute();
  await db.schema.createIndex('files_ws_creator').on('files').columns(['workspace_id', 'created_by', 'created_at']).execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
