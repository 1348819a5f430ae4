import { type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import type { Database } from '../../db/types';
import type { PaymentsTable } from '../../db/types-payments';
import { overdueCondition } from './payment-plans.repo';
import { ownerIn, type PaymentContext, paymentVisible } from './payments.policy';

/** The contract facts payments need (any status; the caller decides what is allowed). */
export async function findContractForPayments(db: Kysely<Database>, workspaceId: string, contractId: string) {
  return db
    .selectFrom('contracts as k')
    .select(['k.id', 'k.customerId', 'k.number', 'k.name', 'k.status', 'k.ownerId', 'k.totalCents', 'k.committedPaymentCents', 'k.receivedCents'])
    .where('k.workspaceId', '=', workspaceId)
    .where('k.id', '=', contractId)
    .where('k.deletedAt', 'is', null)
    .executeTakeFirst();
}
export type ContractFacts = NonNullable<Awaited<ReturnType<typeof findContractForPayments>>>;

/**
 * 回款上限: reserves an amount on an approved contract in one conditional UPDATE, so that
 * approved + pending payments never exceed its total however many requests race (the row lock
 * serialises them on PostgreSQL; SQLite runs one writer at a time). false = refused.
 */
export async function reserveOnContract(db: Kysely<Database>, workspaceId: string, contractId: string, amountCents: number): Promise<boolean> {
  const result = await db
    .updateTable('contracts')
    .set({ committedPaymentCents: sql<number>`committed_payment_cents + ${amountCents}` })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', contractId)
    .where('status', '=', 'approved')
    .where('deletedAt', 'is', null)
    .where(sql<SqlBool>`committed_payment_cents + ${amountCents} <= total_cents`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves amounts on a contract's sums: committed (approved + pending) and received (approved). */
export async function adjustContractSums(db: Kysely<Database>, workspaceId: string, contractId: string, delta: { committed: number; received: number }): Promise<void> {
  await db
    .updateTable('contracts')
    .set({
      committedPaymentCents: sql<number>`committed_payment_cents + ${delta.committed}`,
      receivedCents: sql<number>`received_cents + ${delta.received}`,
    })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', contractId)
    .execute();
}

const columns = [
  'p.id',
  'p.contractId',
  'k.number as contractNumber',
  'k.name as contractName',
  'k.ownerId as contractOwnerId',
  'p.customerId',
  'c.name as customerName',
  'p.planId',
  'pp.period as planPeriod',
  'p.amountCents',
  'p.paidOn',
  'p.method',
  'p.remark',
  'p.ownerId',
  'u.name as ownerName',
  'p.status',
  'p.approvalId',
  'p.approvedAt',
  'p.createdBy',
  'p.createdAt',
  'p.updatedAt',
  'p.version',
] as const;

export function paymentBase(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('payments as p')
    .innerJoin('contracts as k', 'k.id', 'p.contractId')
    .leftJoin('customers as c', 'c.id', 'p.customerId')
    .leftJoin('paymentPlans as pp', 'pp.id', 'p.planId')
    .leftJoin('users as u', 'u.id', 'p.ownerId')
    .select(columns)
    .where('p.workspaceId', '=', workspaceId);
}

export async function findPayment(db: Kysely<Database>, ctx: PaymentContext, id: string, options: { visibleOnly?: boolean } = {}) {
  const q = paymentBase(db, ctx.auth.workspaceId).where('p.id', '=', id);
  return (options.visibleOnly === false ? q.where('p.deletedAt', 'is', null) : q.where(paymentVisible(ctx))).executeTakeFirst();
}
export type PaymentRow = NonNullable<Awaited<ReturnType<typeof findPayment>>>;

export interface PaymentFilter {
  contractId?: string | undefined;
  customerId?: string | undefined;
  planId?: string | undefined;
  ownerId?: string | undefined;
  status?: string | undefined;
}

/** Newest first, keyset on (created_at, id). */
export async function listPaymentRows(db: Kysely<Database>, ctx: PaymentContext, filter: PaymentFilter, before: { createdAt: string; id: string } | undefined, limit: number) {
  let q = paymentBase(db, ctx.auth.workspaceId).where(paymentVisible(ctx));
  for (const [key, column] of [
    ['contractId', 'p.contractId'],
    ['customerId', 'p.customerId'],
    ['planId', 'p.planId'],
    ['ownerId', 'p.ownerId'],
    ['status', 'p.status'],
  ] as const) {
    const value = filter[key];
    if (value) {
      q = q.where(column, '=', value);
    }
  }
  if (before) {
    q = q.where(sql<SqlBool>`(p.created_at < ${before.createdAt} or (p.created_at = ${before.createdAt} and p.id < ${before.id}))`);
  }
  return q.orderBy('p.createdAt', 'desc').orderBy('p.id', 'desc').limit(limit + 1).execute();
}

export async function insertPayment(db: Kysely<Database>, row: Insertable<PaymentsTable>): Promise<void> {
  await db.insertInto('payments').values(row).execute();
}

/** Changes a payment only from the given statuses; answers whether it did (a lost race answers false). */
export async function updatePaymentRow(db: Kysely<Database>, workspaceId: string, id: string, fromStatuses: readonly PaymentsTable['status'][], patch: Updateable<PaymentsTable>): Promise<boolean> {
  const result = await db
    .updateTable('payments')
    .set({ ...patch, version: sql<number>`version + 1` })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .where('status', 'in', fromStatuses)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The stored facts of a payment (no visibility: hooks of the approval engine use it). */
export async function findPaymentFacts(db: Kysely<Database>, workspaceId: string, id: string) {
  return db
    .selectFrom('payments')
    .select(['id', 'contractId', 'customerId', 'planId', 'amountCents', 'paidOn', 'status', 'ownerId', 'method', 'deletedAt'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Exact sums of a contract's payments by status, for the summary (and the tests that check the maintained ones). */
export async function sumPaymentsByStatus(db: Kysely<Database>, workspaceId: string, contractId: string) {
  const rows = await db
    .selectFrom('payments')
    .select(['status', sql<number>`coalesce(sum(amount_cents), 0)`.as('cents')])
    .where('workspaceId', '=', workspaceId)
    .where('contractId', '=', contractId)
    .where('deletedAt', 'is', null)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.cents)])) as Partial<Record<PaymentsTable['status'], number>>;
}

/**
 * A customer's money across its approved contracts the caller may see (contract:view or
 * payment:view scope over the contract's owner, as for one contract's summary): the maintained
 * sums of the contracts, and what is still open on its overdue instalments.
 */
export async function customerPaymentTotals(db: Kysely<Database>, ctx: PaymentContext, customerId: string) {
  const workspaceId = ctx.auth.workspaceId;
  const seen = sql<SqlBool>`(${ownerIn('k.owner_id', ctx.contractView)} or ${ownerIn('k.owner_id', ctx.view)})`;
  const sums = await db
    .selectFrom('contracts as k')
    .select([
      sql<number>`count(*)`.as('contracts'),
      sql<number>`coalesce(sum(k.total_cents), 0)`.as('totalCents'),
      sql<number>`coalesce(sum(k.received_cents), 0)`.as('receivedCents'),
      sql<number>`coalesce(sum(k.committed_payment_cents), 0)`.as('committedCents'),
    ])
    .where('k.workspaceId', '=', workspaceId)
    .where('k.customerId', '=', customerId)
    .where('k.status', '=', 'approved')
    .where('k.deletedAt', 'is', null)
    .where(seen)
    .executeTakeFirstOrThrow();
  const overdue = await db
    .selectFrom('paymentPlans as pp')
    .innerJoin('contracts as k', 'k.id', 'pp.contractId')
    .select([sql<number>`count(*)`.as('plans'), sql<number>`coalesce(sum(pp.amount_cents - pp.paid_cents), 0)`.as('cents')])
    .where('k.workspaceId', '=', workspaceId)
    .where('k.customerId', '=', customerId)
    .where('k.status', '=', 'approved')
    .where('k.deletedAt', 'is', null)
    .where(seen)
    .where('pp.workspaceId', '=', workspaceId)
    .where('pp.deletedAt', 'is', null)
    .where(overdueCondition())
    .executeTakeFirstOrThrow();
  return {
    contracts: Number(sums.contracts),
    totalCents: Number(sums.totalCents),
    receivedCents: Number(sums.receivedCents),
    committedCents: Number(sums.committedCents),
    overduePlans: Number(overdue.plans),
    overdueCents: Number(overdue.cents),
  };
}
