import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../dialect';

/**
 * Leads 线索: unqualified prospects with an owner, a status and the customer / contact / deal
 * they were converted into; their history (assignments, edits, conversion); the automatic
 * round-robin assignment setting and its per-department cursor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('leads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company', 'text')
    // Normalised keys (common/normalize.ts) for the duplicate check against customers on conversion.
    .addColumn('company_key', 'text')
    .addColumn('phone', 'text')
    .addColumn('phone_key', 'text')
    .addColumn('email', 'text')
    .addColumn('email_key', 'text')
    .addColumn('title', 'text')
    .addColumn('source', 'text')
    .addColumn('industry', 'text')
    .addColumn('address', 'text')
    .addColumn('remark', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    .addColumn('owner_since', t.timestamp)
    .addColumn('last_followup_at', t.timestamp)
    .addColumn('last_followup_content', 'text')
    .addColumn('next_followup_at', t.timestamp)
    .addColumn('custom', t.json)
    .addColumn('converted_at', t.timestamp)
    .addColumn('converted_by', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('deal_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addColumn('deleted_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Keyset pages sort by (column, id) inside a workspace; owner, bin and status ride along so the
  // scope and the common status filter are checked on the index entry (see 0006-list-indexes).
  for (const column of ['created_at', 'updated_at', 'name', 'next_followup_at', 'last_followup_at']) {
    await db.schema.createIndex(`leads_ws_${column}`).on('leads').columns(['workspace_id', column, 'id', 'owner_id', 'deleted_at', 'status']).execute();
  }
  // "Leads assigned to me" (to-do) and a rep's own list.
  await db.schema.createIndex('leads_ws_owner_status').on('leads').columns(['workspace_id', 'owner_id', 'status', 'deleted_at']).execute();
  await db.schema.createIndex('leads_ws_owner_created').on('leads').columns(['workspace_id', 'owner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('leads_ws_owner_next').on('leads').columns(['workspace_id', 'owner_id', 'next_followup_at', 'id']).execute();
  // Conversion by source (reports).
  await db.schema.createIndex('leads_ws_source_status').on('leads').columns(['workspace_id', 'source', 'status', 'created_at']).execute();
  await db.schema.createIndex('leads_ws_status_created').on('leads').columns(['workspace_id', 'status', 'created_at', 'id']).execute();
  await db.schema.createIndex('leads_ws_company_key').on('leads').columns(['workspace_id', 'company_key']).execute();
  await db.schema.createIndex('leads_ws_phone_key').on('leads').columns(['workspace_id', 'phone_key']).execute();
  await db.schema.createIndex('leads_ws_email_key').on('leads').columns(['workspace_id', 'email_key']).execute();
  await db.schema.createIndex('leads_ws_customer').on('leads').columns(['workspace_id', 'customer_id']).execute();

  await db.schema
    .createTable('lead_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('data', t.json)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lead_events_ws_lead_time').on('lead_events').columns(['workspace_id', 'lead_id', 'created_at', 'id']).execute();

  // One row per workspace: automatic assignment (round-robin within a department).
  await db.schema
    .createTable('lead_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('auto_assign_department_id', 'text')
    .addColumn('auto_assign_on_create', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  // The round-robin cursor of a department: a counter advanced with one atomic UPDATE … RETURNING.
  await db.schema
    .createTable('lead_assign_cursors')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('lead_assign_cursors_pk', ['workspace_id', 'department_id'])
    .execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
