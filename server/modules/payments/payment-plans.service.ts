import { formatMoney } from '../../../common/money';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { addDays, workspaceToday } from './payments.dates';
import { canSeeContract, type PaymentContext, paymentContext, planAccess } from './payments.policy';
import { type ContractFacts, findContractForPayments } from './payments.repo';
import {
  contractPlanTotals,
  countPlanPayments,
  findPlan,
  insertPlan,
  listPlanRows,
  periodTaken,
  type PlanRow,
  recomputePlan,
  updatePlanRow,
} from './payment-plans.repo';
import type { CreatePlanBody, ListPlansQuery, PaymentPlan, UpdatePlanBody } from './payments.schema';

export function presentPlan(ctx: PaymentContext, row: PlanRow): PaymentPlan {
  return {
    id: row.id,
    contractId: row.contractId,
    contractNumber: row.contractNumber,
    contractName: row.contractName,
    customerId: row.customerId,
    customerName: row.customerName,
    period: row.period,
    amount: formatMoney(row.amountCents),
    paid: formatMoney(row.paidCents),
    outstanding: formatMoney(Math.max(0, row.amountCents - row.paidCents)),
    currency: ctx.currency,
    dueDate: row.dueDate,
    remindDays: row.remindDays,
    status: row.status,
    remark: row.remark,
    access: planAccess(ctx, row.contractOwnerId),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

async function loadPlan(deps: Deps, ctx: PaymentContext, id: string): Promise<PlanRow> {
  const row = await findPlan(deps.db, ctx, id);
  if (!row) {
    throw new AppError('not_found');
  }
  return row;
}

/** A contract the caller may plan or record payments on; one they cannot see is a bad reference. */
export async function loadContractFor(deps: Deps, ctx: PaymentContext, contractId: string): Promise<ContractFacts> {
  const contract = await findContractForPayments(deps.db, ctx.auth.workspaceId, contractId);
  if (!contract || !canSeeContract(ctx, contract.ownerId)) {
    throw new AppError('validation_failed', { errors: [{ path: 'contractId', message: 'no such contract' }] });
  }
  return contract;
}

export async function getPlan(deps: Deps, auth: AuthContext, id: string): Promise<PaymentPlan> {
  const ctx = await paymentContext(deps, auth);
  return presentPlan(ctx, await loadPlan(deps, ctx, id));
}

export async function listPlans(deps: Deps, auth: AuthContext, query: ListPlansQuery) {
  const ctx = await paymentContext(deps, auth);
  const today = await workspaceToday(deps, deps.db, auth.workspaceId);
  const after = query.cursor ? decodeCursor(query.cursor, ['dueDate', 'id']) : undefined;
  const rows = await listPlanRows(deps.db, ctx, query, today, after, query.limit);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => presentPlan(ctx, r)),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ dueDate: last.dueDate, id: last.id }) : null,
  };
}

function checkPlannable(contract: ContractFacts): void {
  if (contract.status === 'void' || contract.status === 'rejected') {
    throw new AppError('business_rule', { detail: `A ${contract.status} contract takes no payment plans` });
  }
}

/** 回款计划 never add up to more than the contract total. */
async function checkTotals(deps: Deps, workspaceId: string, contract: ContractFacts, amountCents: number, exceptPlanId?: string): Promise<void> {
  const { cents } = await contractPlanTotals(deps.db, workspaceId, contract.id, exceptPlanId);
  if (cents + amountCents > contract.totalCents) {
    throw new AppError('payment_plan_exceeds_contract', {
      detail: `Planned ${formatMoney(cents + amountCents)} of a contract total of ${formatMoney(contract.totalCents)}`,
    });
  }
}

async function checkPeriod(deps: Deps, workspaceId: string, contractId: string, period: number, exceptPlanId?: string): Promise<void> {
  if (await periodTaken(deps.db, workspaceId, contractId, period, exceptPlanId)) {
    throw new AppError('conflict', { detail: `Period ${period} already exists on this contract`, errors: [{ path: 'period', message: 'already taken' }] });
  }
}

function requireEdit(ctx: PaymentContext, contractOwnerId: string | null): void {
  if (!planAccess(ctx, contractOwnerId).edit) {
    throw new AppError('forbidden');
  }
}

/** Adds an instalment 回款计划 to a contract. */
export async function createPlan(deps: Deps, auth: AuthContext, body: CreatePlanBody): Promise<PaymentPlan> {
  const ctx = await paymentContext(deps, auth);
  const contract = await loadContractFor(deps, ctx, body.contractId);
  requireEdit(ctx, contract.ownerId);
  checkPlannable(contract);
  const ws = auth.workspaceId;
  await checkTotals(deps, ws, contract, body.amount);
  const period = body.period ?? (await contractPlanTotals(deps.db, ws, contract.id)).maxPeriod + 1;
  await checkPeriod(deps, ws, contract.id, period);
  const id = newId();
  const now = nowIso(deps);
  const today = await workspaceToday(deps, deps.db, ws);
  await deps.db.transaction().execute(async (trx) => {
    await insertPlan(trx, {
      id,
      workspaceId: ws,
      contractId: contract.id,
      customerId: contract.customerId,
      period,
      amountCents: body.amount,
      dueDate: body.dueDate,
      remindDays: body.remindDays,
      remindDate: addDays(body.dueDate, -body.remindDays),
      status: 'pending',
      remark: body.remark ?? null,
      createdBy: auth.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    // A plan entered with a past due date is overdue from the start.
    await recomputePlan(trx, ws, id, today, now);
  });
  return getPlan(deps, auth, id);
}

export async function updatePlan(deps: Deps, auth: AuthContext, id: string, body: UpdatePlanBody, expectedVersion: number | undefined): Promise<PaymentPlan> {
  const ctx = await paymentContext(deps, auth);
  const row = await loadPlan(deps, ctx, id);
  requireEdit(ctx, row.contractOwnerId);
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new AppError('version_mismatch');
  }
  const ws = auth.workspaceId;
  if (body.amount !== undefined) {
    const contract = await loadContractFor(deps, ctx, row.contractId);
    await checkTotals(deps, ws, contract, body.amount, id);
  }
  if (body.period !== undefined && body.period !== row.period) {
    await checkPeriod(deps, ws, row.contractId, body.period, id);
  }
  const dueDate = body.dueDate ?? row.dueDate;
  const remindDays = body.remindDays ?? row.remindDays;
  const now = nowIso(deps);
  const today = await workspaceToday(deps, deps.db, ws);
  await deps.db.transaction().execute(async (trx) => {
    await updatePlanRow(trx, ws, id, {
      ...(body.period !== undefined ? { period: body.period } : {}),
      ...(body.amount !== undefined ? { amountCents: body.amount } : {}),
      ...(body.remark !== undefined ? { remark: body.remark } : {}),
      dueDate,
      remindDays,
      remindDate: addDays(dueDate, -remindDays),
      updatedAt: now,
    });
    // A new amount or due date can make it paid, partial or overdue (or no longer overdue).
    await recomputePlan(trx, ws, id, today, now);
  });
  return getPlan(deps, auth, id);
}

/** Removes an instalment that no live payment points at. */
export async function deletePlan(deps: Deps, auth: AuthContext, id: string): Promise<void> {
  const ctx = await paymentContext(deps, auth);
  const row = await loadPlan(deps, ctx, id);
  requireEdit(ctx, row.contractOwnerId);
  if ((await countPlanPayments(deps.db, auth.workspaceId, id)) > 0) {
    throw new AppError('conflict', { detail: 'Payments are recorded against this instalment' });
  }
  const now = nowIso(deps);
  await updatePlanRow(deps.db, auth.workspaceId, id, { deletedAt: now, updatedAt: now });
}
