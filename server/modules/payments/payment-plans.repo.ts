import { type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import type { Database } from '../../db/types';
import type { PaymentPlansTable } from '../../db/types-payments';
import { type PaymentContext, planVisible } from './payments.policy';

/** 回款计划 status from its numbers: paid when covered; else overdue past its due date; partial/pending otherwise. */
export function planStatusSql(today: string) {
  return sql<PaymentPlansTable['status']>`case when paid_cents >= amount_cents then 'paid' when due_date < ${today} then 'overdue' when paid_cents > 0 then 'partial' else 'pending' end`;
}

const columns = [
  'pp.id',
  'pp.contractId',
  'k.number as contractNumber',
  'k.name as contractName',
  'k.ownerId as contractOwnerId',
  'pp.customerId',
  'c.name as customerName',
  'pp.period',
  'pp.amountCents',
  'pp.paidCents',
  'pp.dueDate',
  'pp.remindDays',
  'pp.status',
  'pp.remark',
  'pp.createdAt',
  'pp.updatedAt',
  'pp.version',
] as const;

function base(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('paymentPlans as pp')
    .innerJoin('contracts as k', 'k.id', 'pp.contractId')
    .leftJoin('customers as c', 'c.id', 'pp.customerId')
    .select(columns)
    .where('pp.workspaceId', '=', workspaceId);
}

export async function findPlan(db: Kysely<Database>, ctx: PaymentContext, id: string) {
  return base(db, ctx.auth.workspaceId).where('pp.id', '=', id).where(planVisible(ctx)).executeTakeFirst();
}
export type PlanRow = NonNullable<Awaited<ReturnType<typeof findPlan>>>;

export interface PlanFilter {
  contractId?: string | undefined;
  customerId?: string | undefined;
  status?: string | undefined;
  due?: 'soon' | 'overdue' | undefined;
}

/** Open instalments due "soon": within their reminder window (remind_date ≤ today ≤ due_date). */
export function dueSoonCondition(today: string) {
  return sql<SqlBool>`(pp.status in ('pending', 'partial') and pp.remind_date <= ${today} and pp.due_date >= ${today})`;
}

export function overdueCondition() {
  return sql<SqlBool>`pp.status = 'overdue'`;
}

/** Soonest due first, keyset on (due_date, id). */
export async function listPlanRows(
  db: Kysely<Database>,
  ctx: PaymentContext,
  filter: PlanFilter,
  today: string,
  after: { dueDate: string; id: string } | undefined,
  limit: number,
) {
  let q = base(db, ctx.auth.workspaceId).where(planVisible(ctx));
  if (filter.contractId) {
    q = q.where('pp.contractId', '=', filter.contractId);
  }
  if (filter.customerId) {
    q = q.where('pp.customerId', '=', filter.customerId);
  }
  if (filter.status) {
    q = q.where('pp.status', '=', filter.status as PaymentPlansTable['status']);
  }
  if (filter.due === 'soon') {
    q = q.where(dueSoonCondition(today));
  } else if (filter.due === 'overdue') {
    q = q.where(overdueCondition());
  }
  if (after) {
    q = q.where(sql<SqlBool>`(pp.due_date > ${after.dueDate} or (pp.due_date = ${after.dueDate} and pp.id > ${after.id}))`);
  }
  return q.orderBy('pp.dueDate').orderBy('pp.id').limit(limit + 1).execute();
}

/** For the to-do center: one COUNT over the (workspace, status, date) indexes. */
export async function countPlans(db: Kysely<Database>, ctx: PaymentContext, due: 'soon' | 'overdue', today: string): Promise<number> {
  const row = await db
    .selectFrom('paymentPlans as pp')
    .innerJoin('contracts as k', 'k.id', 'pp.contractId')
    .select(sql<number>`count(*)`.as('n'))
    .where('pp.workspaceId', '=', ctx.auth.workspaceId)
    .where(planVisible(ctx))
    .where(due === 'soon' ? dueSoonCondition(today) : overdueCondition())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertPlan(db: Kysely<Database>, row: Insertable<PaymentPlansTable>): Promise<void> {
  await db.insertInto('paymentPlans').values(row).execute();
}

export async function updatePlanRow(db: Kysely<Database>, workspaceId: string, id: string, patch: Updateable<PaymentPlansTable>): Promise<void> {
  await db
    .updateTable('paymentPlans')
    .set({ ...patch, version: sql<number>`version + 1` })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Live plans of a contract (for totals and the next period number). */
export async function contractPlanTotals(db: Kysely<Database>, workspaceId: string, contractId: string, exceptPlanId?: string) {
  let q = db
    .selectFrom('paymentPlans')
    .select([sql<number>`coalesce(sum(amount_cents), 0)`.as('cents'), sql<number>`coalesce(max(period), 0)`.as('maxPeriod')])
    .where('workspaceId', '=', workspaceId)
    .where('contractId', '=', contractId)
    .where('deletedAt', 'is', null);
  if (exceptPlanId) {
    q = q.where('id', '!=', exceptPlanId);
  }
  const row = await q.executeTakeFirstOrThrow();
  return { cents: Number(row.cents), maxPeriod: Number(row.maxPeriod) };
}

export async function periodTaken(db: Kysely<Database>, workspaceId: string, contractId: string, period: number, exceptPlanId?: string): Promise<boolean> {
  let q = db.selectFrom('paymentPlans').select('id').where('workspaceId', '=', workspaceId).where('contractId', '=', contractId).where('period', '=', period).where('deletedAt', 'is', null);
  if (exceptPlanId) {
    q = q.where('id', '!=', exceptPlanId);
  }
  return (await q.executeTakeFirst()) !== undefined;
}

/**
 * Re-derives a plan's paid amount from its approved payments (exact, never drifting) and its
 * status from that, in the caller's transaction.
 */
export async function recomputePlan(db: Kysely<Database>, workspaceId: string, planId: string, today: string, at: string): Promise<void> {
  await db
    .updateTable('paymentPlans')
    .set({
      paidCents: sql<number>`(select coalesce(sum(p.amount_cents), 0) from payments p where p.workspace_id = ${workspaceId} and p.plan_id = ${planId} and p.status = 'approved' and p.deleted_at is null)`,
      updatedAt: at,
    })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', planId)
    .execute();
  await db.updateTable('paymentPlans').set({ status: planStatusSql(today) }).where('workspaceId', '=', workspaceId).where('id', '=', planId).execute();
}

/** Live payments (pending or approved) recorded against a plan. */
export async function countPlanPayments(db: Kysely<Database>, workspaceId: string, planId: string): Promise<number> {
  const row = await db
    .selectFrom('payments')
    .select(sql<number>`count(*)`.as('n'))
    .where('workspaceId', '=', workspaceId)
    .where('planId', '=', planId)
    .where('deletedAt', 'is', null)
    .where('status', 'in', ['pending', 'approved'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The daily job: open instalments whose due date has passed become overdue. One UPDATE over the
 * (workspace, status, due_date) index; running it twice changes nothing. Returns how many moved.
 */
export async function markOverduePlans(db: Kysely<Database>, workspaceId: string, today: string, at: string): Promise<number> {
  const result = await db
    .updateTable('paymentPlans')
    .set({ status: 'overdue', updatedAt: at })
    .where('workspaceId', '=', workspaceId)
    .where('status', 'in', ['pending', 'partial'])
    .where('dueDate', '<', today)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
