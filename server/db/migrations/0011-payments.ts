import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../dialect';

/**
 * Payment plans 回款计划, payments 回款 and targets 业绩目标. Contracts get two maintained sums:
 * committed_payment_cents (approved + pending payments) — the reservation the ceiling rule is
 * enforced on with one conditional UPDATE — and received_cents (approved payments).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema.alterTable('contracts').addColumn('committed_payment_cents', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('contracts').addColumn('received_cents', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('payment_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('period', 'integer', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    // Approved payments against this instalment (maintained with the payments).
    .addColumn('paid_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('remind_days', 'integer', (c) => c.notNull().defaultTo(0))
    // The first day the instalment counts as "due soon" (due_date − remind_days): indexed for the to-do count.
    .addColumn('remind_date', 'text', (c) => c.notNull())
    // pending | partial | paid | overdue
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('remark', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('payment_plans_ws_contract').on('payment_plans').columns(['workspace_id', 'contract_id', 'period']).execute();
  await db.schema.createIndex('payment_plans_ws_status_due').on('payment_plans').columns(['workspace_id', 'status', 'due_date', 'id']).execute();
  await db.schema.createIndex('payment_plans_ws_status_remind').on('payment_plans').columns(['workspace_id', 'status', 'remind_date']).execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('paid_on', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('remark', 'text')
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    // pending (in approval) | approved | rejected | withdrawn
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('approval_id', 'text')
    .addColumn('approved_at', t.timestamp)
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('payments_ws_created').on('payments').columns(['workspace_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('payments_ws_contract').on('payments').columns(['workspace_id', 'contract_id', 'created_at']).execute();
  await db.schema.createIndex('payments_ws_plan').on('payments').columns(['workspace_id', 'plan_id']).execute();
  await db.schema.createIndex('payments_ws_owner_created').on('payments').columns(['workspace_id', 'owner_id', 'created_at', 'id']).execute();
  // Target actuals: approved payments of given owners by payment date — one range seek per owner,
  // answered from the index alone (covering, deleted_at included).
  await db.schema.createIndex('payments_ws_status_owner_paid_on').on('payments').columns(['workspace_id', 'status', 'owner_id', 'paid_on', 'amount_cents', 'deleted_at']).execute();
  // The same for contracts: approved, by owner and sign date.
  await db.schema.createIndex('contracts_ws_status_owner_sign').on('contracts').columns(['workspace_id', 'status', 'owner_id', 'sign_date', 'total_cents', 'deleted_at']).execute();

  await db.schema
    .createTable('targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    // contract_amount | payment_amount
    .addColumn('kind', 'text', (c) => c.notNull())
    // user | department
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    // Twelve monthly values, cents: [jan, …, dec]; the year total is their sum.
    .addColumn('months', t.json, (c) => c.notNull())
    .addColumn('year_cents', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('targets_ws_subject').on('targets').columns(['workspace_id', 'year', 'kind', 'subject_type', 'subject_id']).unique().execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
