import { type Kysely, sql } from 'kysely';
import { columnTypes, dialectOf } from '../dialect';

/**
 * The approval engine (flows → steps; instances → tasks → actions) and contracts with product
 * lines, attachments and auto-numbering (rules + atomic per-period sequences).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('approval_flows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // Lower number = tried first; the first active flow whose amount range matches is used.
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('min_amount_cents', 'bigint')
    .addColumn('max_amount_cents', 'bigint')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('approval_flows_ws_subject').on('approval_flows').columns(['workspace_id', 'subject_type', 'priority']).execute();

  await db.schema
    .createTable('approval_flow_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('flow_id', 'text', (c) => c.notNull().references('approval_flows.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // 'all' = 会签 (every approver must approve), 'any' = 或签 (the first decision counts)
    .addColumn('mode', 'text', (c) => c.notNull())
    // [{kind:'user',userId} | {kind:'role',roleId} | {kind:'manager',levels}]
    .addColumn('approvers', t.json, (c) => c.notNull())
    // When a manager approver does not exist: 'skip' the approver or fall back to 'admin'.
    .addColumn('missing_manager', 'text', (c) => c.notNull().defaultTo('admin'))
    .execute();
  await db.schema.createIndex('approval_flow_steps_ws_flow').on('approval_flow_steps').columns(['workspace_id', 'flow_id', 'position']).execute();

  await db.schema
    .createTable('approval_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text')
    .addColumn('flow_name', 'text')
    // The flow's steps as they were at submission: editing a flow never changes a running approval.
    .addColumn('steps', t.json, (c) => c.notNull())
    .addColumn('submitter_id', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint')
    .addColumn('title', 'text')
    // pending | approved | rejected | withdrawn
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('decided_at', t.timestamp)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('approval_instances_ws_subject').on('approval_instances').columns(['workspace_id', 'subject_type', 'subject_id', 'created_at']).execute();
  await db.schema.createIndex('approval_instances_ws_submitter').on('approval_instances').columns(['workspace_id', 'submitter_id', 'created_at', 'id']).execute();
  // At most one running approval per subject, even when two submits race.
  await sql`create unique index approval_instances_ws_pending on approval_instances (workspace_id, subject_type, subject_id) where status = 'pending'`.execute(db);

  await db.schema
    .createTable('approval_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('instance_id', 'text', (c) => c.notNull().references('approval_instances.id').onDelete('cascade'))
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('approver_id', 'text', (c) => c.notNull())
    // pending | approved | rejected | closed (the step or the approval ended without this approver)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('acted_at', t.timestamp)
    .execute();
  await db.schema.createIndex('approval_tasks_ws_approver').on('approval_tasks').columns(['workspace_id', 'approver_id', 'status', 'created_at', 'id']).execute();
  await db.schema.createIndex('approval_tasks_ws_instance').on('approval_tasks').columns(['workspace_id', 'instance_id', 'step_index']).execute();

  await db.schema
    .createTable('approval_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('instance_id', 'text', (c) => c.notNull().references('approval_instances.id').onDelete('cascade'))
    .addColumn('step_index', 'integer')
    .addColumn('actor_id', 'text')
    // submit | approve | reject | withdraw | auto_approve | step_skipped
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approval_actions_ws_instance').on('approval_actions').columns(['workspace_id', 'instance_id', 'created_at']).execute();

  await db.schema
    .createTable('number_rules')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    // day | month | year | never
    .addColumn('reset', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('number_rules_pk', ['workspace_id', 'key'])
    .execute();

  await db.schema
    .createTable('number_sequences')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    // '' when the rule never resets, else the period the counter belongs to (20261123, 202611, 2026)
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('number_sequences_pk', ['workspace_id', 'key', 'period'])
    .execute();

  await db.schema
    .createTable('contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('deal_id', 'text')
    .addColumn('sign_date', 'text')
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('signer_id', 'text')
    .addColumn('customer_signer_id', 'text')
    .addColumn('total_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    // draft | pending | approved | rejected | void
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('remark', 'text')
    .addColumn('custom', t.json)
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    .addColumn('approval_id', 'text')
    .addColumn('submitted_at', t.timestamp)
    .addColumn('approved_at', t.timestamp)
    .addColumn('voided_at', t.timestamp)
    .addColumn('void_reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('contracts_ws_number').on('contracts').columns(['workspace_id', 'number']).unique().execute();
  for (const column of ['created_at', 'updated_at', 'sign_date', 'end_date', 'total_cents', 'name']) {
    await db.schema.createIndex(`contracts_ws_${column}`).on('contracts').columns(['workspace_id', column, 'id']).execute();
  }
  await db.schema.createIndex('contracts_ws_owner_created').on('contracts').columns(['workspace_id', 'owner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('contracts_ws_customer').on('contracts').columns(['workspace_id', 'customer_id', 'created_at']).execute();
  await db.schema.createIndex('contracts_ws_deal').on('contracts').columns(['workspace_id', 'deal_id']).execute();
  await db.schema.createIndex('contracts_ws_status').on('contracts').columns(['workspace_id', 'status', 'created_at', 'id']).execute();

  await db.schema
    .createTable('contract_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text')
    // A snapshot of the product as sold: renaming the product later does not rewrite contracts.
    .addColumn('product_name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('price_cents', 'bigint', (c) => c.notNull())
    // Same shape as deal_lines: up to 3 decimals of quantity, percent off with up to 2 decimals;
    // amount = round(price × quantity × (100 − discount) / 100), computed in integers by the service.
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('discount_percent', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('remark', 'text')
    .execute();
  await db.schema.createIndex('contract_lines_ws_contract').on('contract_lines').columns(['workspace_id', 'contract_id', 'position']).execute();
  await db.schema.createIndex('contract_lines_ws_product').on('contract_lines').columns(['workspace_id', 'product_id']).execute();

  await db.schema
    .createTable('contract_files')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('contract_files_pk', ['contract_id', 'file_id'])
    .execute();
  await db.schema.createIndex('contract_files_ws_file').on('contract_files').columns(['workspace_id', 'file_id']).execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
