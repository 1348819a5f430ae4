import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../dialect';

/**
 * Customers and contacts with custom fields (a JSON column, indexed per field by expression
 * indexes created when a field is added), tags, picklists, collaborators, follow-ups, the 360°
 * timeline, saved views and stored files.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema.alterTable('workspaces').addColumn('settings', t.json).execute();

  await db.schema
    .createTable('picklist_options')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('list_key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('color', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('picklist_options_ws_list_value').on('picklist_options').columns(['workspace_id', 'list_key', 'value']).unique().execute();

  await db.schema
    .createTable('tags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull().defaultTo('blue'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tags_ws_name').on('tags').columns(['workspace_id', 'name']).unique().execute();

  await db.schema
    .createTable('record_tags')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('record_tags_pk', ['workspace_id', 'entity', 'record_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('record_tags_ws_tag').on('record_tags').columns(['workspace_id', 'tag_id', 'entity', 'record_id']).execute();

  await db.schema
    .createTable('custom_fields')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_unique', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('options', t.json)
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('custom_fields_ws_entity_key').on('custom_fields').columns(['workspace_id', 'entity', 'key']).unique().execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('company'))
    .addColumn('phone', 'text')
    .addColumn('phone_key', 'text')
    .addColumn('email', 'text')
    .addColumn('email_key', 'text')
    .addColumn('website', 'text')
    .addColumn('level', 'text')
    .addColumn('source', 'text')
    .addColumn('industry', 'text')
    .addColumn('lifecycle_stage', 'text', (c) => c.notNull().defaultTo('prospect'))
    .addColumn('deal_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('province', 'text')
    .addColumn('city', 'text')
    .addColumn('district', 'text')
    .addColumn('address', 'text')
    .addColumn('primary_contact_id', 'text')
    .addColumn('remark', 'text')
    .addColumn('last_followup_at', t.timestamp)
    .addColumn('last_followup_content', 'text')
    .addColumn('next_followup_at', t.timestamp)
    .addColumn('owner_since', t.timestamp)
    .addColumn('custom', t.json)
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addColumn('deleted_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Keyset pages: every list sorts by (column, id) inside a workspace, optionally per owner.
  for (const column of ['created_at', 'updated_at', 'name', 'last_followup_at', 'next_followup_at']) {
    await db.schema.createIndex(`customers_ws_${column}`).on('customers').columns(['workspace_id', column, 'id']).execute();
  }
  await db.schema.createIndex('customers_ws_owner_created').on('customers').columns(['workspace_id', 'owner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('customers_ws_owner_updated').on('customers').columns(['workspace_id', 'owner_id', 'updated_at', 'id']).execute();
  await db.schema.createIndex('customers_ws_level').on('customers').columns(['workspace_id', 'level', 'created_at', 'id']).execute();
  await db.schema.createIndex('customers_ws_name_key').on('customers').columns(['workspace_id', 'name_key']).execute();
  await db.schema.createIndex('customers_ws_phone_key').on('customers').columns(['workspace_id', 'phone_key']).execute();
  await db.schema.createIndex('customers_ws_email_key').on('customers').columns(['workspace_id', 'email_key']).execute();
  await db.schema.createIndex('customers_ws_deleted').on('customers').columns(['workspace_id', 'deleted_at']).execute();

  await db.schema
    .createTable('customer_collaborators')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('access', 'text', (c) => c.notNull().defaultTo('read'))
    .addColumn('expires_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_collaborators_pk', ['customer_id', 'user_id'])
    .execute();
  await db.schema.createIndex('customer_collaborators_ws_user').on('customer_collaborators').columns(['workspace_id', 'user_id', 'customer_id']).execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // The customer's owner, kept in step on transfer, so contact lists are scoped without a join.
    .addColumn('owner_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('phone_key', 'text')
    .addColumn('email', 'text')
    .addColumn('email_key', 'text')
    .addColumn('title', 'text')
    .addColumn('department', 'text')
    .addColumn('wechat', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_decision_maker', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('remark', 'text')
    .addColumn('last_followup_at', t.timestamp)
    .addColumn('next_followup_at', t.timestamp)
    .addColumn('custom', t.json)
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('contacts_ws_customer').on('contacts').columns(['workspace_id', 'customer_id', 'created_at']).execute();
  await db.schema.createIndex('contacts_ws_created').on('contacts').columns(['workspace_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('contacts_ws_owner_created').on('contacts').columns(['workspace_id', 'owner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('contacts_ws_phone_key').on('contacts').columns(['workspace_id', 'phone_key']).execute();
  await db.schema.createIndex('contacts_ws_email_key').on('contacts').columns(['workspace_id', 'email_key']).execute();

  await db.schema
    .createTable('follow_ups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('next_followup_at', t.timestamp)
    .addColumn('attachments', t.json)
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .execute();
  await db.schema.createIndex('follow_ups_ws_record').on('follow_ups').columns(['workspace_id', 'entity', 'record_id', 'created_at']).execute();
  await db.schema.createIndex('follow_ups_ws_customer').on('follow_ups').columns(['workspace_id', 'customer_id', 'created_at']).execute();
  await db.schema.createIndex('follow_ups_ws_owner').on('follow_ups').columns(['workspace_id', 'owner_id', 'created_at']).execute();

  await db.schema
    .createTable('timeline_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('data', t.json)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('timeline_ws_customer_time').on('timeline_events').columns(['workspace_id', 'customer_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('timeline_ws_customer_kind').on('timeline_events').columns(['workspace_id', 'customer_id', 'kind', 'created_at']).execute();

  await db.schema
    .createTable('saved_views')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('definition', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_views_ws_entity').on('saved_views').columns(['workspace_id', 'entity', 'owner_id']).execute();

  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('files_ws_created').on('files').columns(['workspace_id', 'created_at']).execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
