import type { Kysely } from 'kysely';
import { formatMoney } from '../../../common/money';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { submitForApproval } from '../approvals/index';
import { withdrawApproval } from '../approvals/approvals.engine';
import { overseesApprovals } from '../approvals/approvals.view';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { assertWritableFields, inScope, presentFields } from '../permissions/permissions.service';
import { activeValues } from '../picklists/picklists.service';
import { countExisting } from '../users/users.repo';
import { paymentTimeline } from './payments.approval';
import { workspaceToday } from './payments.dates';
import { type PaymentContext, paymentAccess, paymentContext } from './payments.policy';
import { adjustContractSums, type ContractFacts, customerPaymentTotals, findPayment, findPaymentFacts, insertPayment, listPaymentRows, type PaymentRow, reserveOnContract, sumPaymentsByStatus, updatePaymentRow } from './payments.repo';
import { findPlan, recomputePlan } from './payment-plans.repo';
import { loadContractFor } from './payment-plans.service';
import type { ContractPaymentSummary, CreatePaymentBody, CustomerPaymentSummary, ListPaymentsQuery, Payment, UpdatePaymentBody } from './payments.schema';
import { contractPlanTotals } from './payment-plans.repo';
import { customerContext } from '../customers/customers.context';
import { loadCustomer } from '../customers/customers.service';

/** Field rules (hidden, masked) reach the API: catalog field → the properties that carry it. */
const paymentFieldKeys = { remark: ['remark'], method: ['method'] } as const satisfies Record<string, readonly (keyof Payment)[]>;

/** A payment as the API gives it: field rules (hidden, masked) applied. */
export function presentPayment(ctx: PaymentContext, row: PaymentRow): Payment {
  return presentFields(ctx.auth.permissions, 'payment', presentRow(ctx, row), paymentFieldKeys);
}

function presentRow(ctx: PaymentContext, row: PaymentRow): Payment {
  return {
    id: row.id,
    contractId: row.contractId,
    contractNumber: row.contractNumber,
    contractName: row.contractName,
    customerId: row.customerId,
    customerName: row.customerName,
    planId: row.planId,
    planPeriod: row.planPeriod,
    amount: formatMoney(row.amountCents),
    currency: ctx.currency,
    paidOn: row.paidOn,
    method: row.method,
    remark: row.remark,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    status: row.status,
    approvalId: row.approvalId,
    approvedAt: row.approvedAt,
    createdBy: row.createdBy,
    access: paymentAccess(ctx, row),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

async function loadPayment(deps: Deps, ctx: PaymentContext, id: string): Promise<PaymentRow> {
  const row = await findPayment(deps.db, ctx, id);
  if (!row) {
    throw new AppError('not_found');
  }
  return row;
}

export async function getPayment(deps: Deps, auth: AuthContext, id: string): Promise<Payment> {
  const ctx = await paymentContext(deps, auth);
  return presentPayment(ctx, await loadPayment(deps, ctx, id));
}

export async function listPayments(deps: Deps, auth: AuthContext, query: ListPaymentsQuery) {
  const ctx = await paymentContext(deps, auth);
  const before = query.cursor ? decodeCursor(query.cursor, ['createdAt', 'id']) : undefined;
  const rows = await listPaymentRows(deps.db, ctx, query, before, query.limit);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => presentPayment(ctx, r)),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

async function checkMethod(deps: Deps, workspaceId: string, method: string): Promise<void> {
  if (!(await activeValues(deps, workspaceId, 'payment.method')).has(method)) {
    throw new AppError('validation_failed', { errors: [{ path: 'method', message: 'not one of the configured payment methods' }] });
  }
}

async function checkPlan(deps: Deps, ctx: PaymentContext, planId: string | null | undefined, contractId: string): Promise<string | null> {
  if (!planId) {
    return null;
  }
  const plan = await findPlan(deps.db, ctx, planId);
  if (!plan || plan.contractId !== contractId) {
    throw new AppError('validation_failed', { errors: [{ path: 'planId', message: 'no such instalment on this contract' }] });
  }
  return plan.id;
}

function refuseCeiling(contract: ContractFacts): never {
  if (contract.status !== 'approved') {
    throw new AppError('business_rule', { detail: 'Payments are recorded against approved contracts only' });
  }
  throw new AppError('payment_exceeds_contract', { detail: `At most ${formatMoney(Math.max(0, contract.totalCents - contract.committedPaymentCents))} can still be recorded on this contract` });
}

/**
 * Reserves the amount on the contract (the 回款 ceiling, race-free: one conditional UPDATE) and
 * starts the payment's approval, in the caller's transaction. With no approval flow for
 * payments the engine approves at once (and our onApproved hook books the money).
 */
async function reserveAndSubmit(deps: Deps, auth: AuthContext, trx: Kysely<Database>, contract: ContractFacts, paymentId: string, amountCents: number): Promise<void> {
  if (!(await reserveOnContract(trx, auth.workspaceId, contract.id, amountCents))) {
    // Re-read for an accurate message: the numbers moved if another request won the race.
    const fresh = await trx.selectFrom('contracts').select(['status', 'totalCents', 'committedPaymentCents']).where('workspaceId', '=', auth.workspaceId).where('id', '=', contract.id).executeTakeFirst();
    refuseCeiling({ ...contract, ...(fresh ?? {}) });
  }
  const result = await submitForApproval(deps, auth, { subjectType: 'payment', subjectId: paymentId, amountCents }, trx);
  await trx.updateTable('payments').set({ approvalId: result.instanceId }).where('workspaceId', '=', auth.workspaceId).where('id', '=', paymentId).execute();
}

/** Records a payment 回款 against an approved contract (optionally an instalment) and submits it for approval. */
export async function createPayment(deps: Deps, auth: AuthContext, actor: AuditActor, body: CreatePaymentBody): Promise<Payment> {
  const ctx = await paymentContext(deps, auth, { lenient: true });
  if (!auth.userId) {
    throw new AppError('forbidden', { detail: 'Payments are recorded by a user; this API key has none' });
  }
  const ownerId = body.ownerId ?? auth.userId;
  if (!ctx.create || !inScope(ctx.create, ownerId)) {
    throw body.ownerId ? new AppError('validation_failed', { errors: [{ path: 'ownerId', message: 'not a user you may record payments for' }] }) : new AppError('forbidden');
  }
  if (body.ownerId && (await countExisting(deps.db, auth.workspaceId, 'users', [body.ownerId])) !== 1) {
    throw new AppError('validation_failed', { errors: [{ path: 'ownerId', message: 'no such user' }] });
  }
  if (body.remark) {
    assertWritableFields(auth.permissions, 'payment', ['remark']);
  }
  const contract = await loadContractFor(deps, ctx, body.contractId);
  if (contract.status !== 'approved') {
    throw new AppError('business_rule', { detail: 'Payments are recorded against approved contracts only' });
  }
  await checkMethod(deps, auth.workspaceId, body.method);
  const planId = await checkPlan(deps, ctx, body.planId, contract.id);
  const id = newId();
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await insertPayment(trx, {
      id,
      workspaceId: auth.workspaceId,
      contractId: contract.id,
      customerId: contract.customerId,
      planId,
      amountCents: body.amount,
      paidOn: body.paidOn,
      method: body.method,
      remark: body.remark ?? null,
      ownerId,
      status: 'pending',
      approvalId: null,
      approvedAt: null,
      createdBy: auth.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    const facts = await findPaymentFacts(trx, auth.workspaceId, id);
    if (facts) {
      await paymentTimeline(trx, auth.workspaceId, facts, 'payment_recorded', auth.userId, now);
    }
    await reserveAndSubmit(deps, auth, trx, contract, id, body.amount);
  });
  await recordAudit(deps, actor, { action: 'payment.created', targetType: 'payment', targetId: id, detail: { contractId: contract.id, amountCents: body.amount } });
  const row = await findPayment(deps.db, ctx, id, { visibleOnly: false });
  return presentPayment(ctx, row as PaymentRow);
}

async function editable(deps: Deps, auth: AuthContext, id: string) {
  const ctx = await paymentContext(deps, auth);
  const row = await loadPayment(deps, ctx, id);
  if (!ctx.edit || !inScope(ctx.edit, row.ownerId)) {
    throw new AppError('forbidden');
  }
  if (row.status !== 'rejected' && row.status !== 'withdrawn') {
    throw new AppError('conflict', { detail: row.status === 'pending' ? 'The payment is in approval: withdraw it first' : 'An approved payment cannot be changed' });
  }
  return { ctx, row };
}

/** Edits a rejected or withdrawn payment (before submitting it again). */
export async function updatePayment(deps: Deps, auth: AuthContext, id: string, body: UpdatePaymentBody, expectedVersion: number | undefined): Promise<Payment> {
  const { ctx, row } = await editable(deps, auth, id);
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new AppError('version_mismatch');
  }
  assertWritableFields(auth.permissions, 'payment', (['remark', 'method'] as const).filter((f) => body[f] !== undefined));
  if (body.method !== undefined) {
    await checkMethod(deps, auth.workspaceId, body.method);
  }
  const planId = body.planId === undefined ? undefined : await checkPlan(deps, ctx, body.planId, row.contractId);
  const changed = await updatePaymentRow(deps.db, auth.workspaceId, id, ['rejected', 'withdrawn'], {
    ...(planId !== undefined ? { planId } : {}),
    ...(body.amount !== undefined ? { amountCents: body.amount } : {}),
    ...(body.paidOn !== undefined ? { paidOn: body.paidOn } : {}),
    ...(body.method !== undefined ? { method: body.method } : {}),
    ...(body.remark !== undefined ? { remark: body.remark } : {}),
    updatedAt: nowIso(deps),
  });
  if (!changed) {
    throw new AppError('conflict', { detail: 'The payment changed meanwhile' });
  }
  return getPayment(deps, auth, id);
}

/** Submits a rejected or withdrawn payment again: reserves its amount anew and starts a new approval. */
export async function resubmitPayment(deps: Deps, auth: AuthContext, id: string): Promise<Payment> {
  const { row } = await editable(deps, auth, id);
  const ctx = await paymentContext(deps, auth);
  const contract = await loadContractFor(deps, ctx, row.contractId);
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await updatePaymentRow(trx, auth.workspaceId, id, ['rejected', 'withdrawn'], { status: 'pending', updatedAt: now }))) {
      throw new AppError('conflict', { detail: 'The payment changed meanwhile' });
    }
    await reserveAndSubmit(deps, auth, trx, contract, id, row.amountCents);
    const facts = await findPaymentFacts(trx, auth.workspaceId, id);
    if (facts) {
      await paymentTimeline(trx, auth.workspaceId, facts, 'payment_recorded', auth.userId, now, { resubmitted: true });
    }
  });
  return getPayment(deps, auth, id);
}

/** The submitter takes a payment out of approval (the approval engine releases the reservation through our hook). */
export async function withdrawPayment(deps: Deps, auth: AuthContext, id: string, comment: string | null): Promise<Payment> {
  const ctx = await paymentContext(deps, auth);
  const row = await loadPayment(deps, ctx, id);
  if (row.status !== 'pending' || !row.approvalId) {
    throw new AppError('approval_decided');
  }
  await withdrawApproval(deps, auth, row.approvalId, comment, overseesApprovals(auth));
  return getPayment(deps, auth, id);
}

/**
 * Deletes a payment (soft). A pending one is withdrawn from approval first (by its submitter);
 * an approved one gives its amount back to the contract's outstanding and its instalment.
 */
export async function deletePayment(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  const ctx = await paymentContext(deps, auth);
  let row = await loadPayment(deps, ctx, id);
  if (!paymentAccess(ctx, row).delete) {
    throw new AppError('forbidden');
  }
  if (row.status === 'pending' && row.approvalId) {
    await withdrawApproval(deps, auth, row.approvalId, null, overseesApprovals(auth));
    row = await loadPayment(deps, ctx, id);
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await updatePaymentRow(trx, auth.workspaceId, id, [row.status], { deletedAt: now, updatedAt: now }))) {
      throw new AppError('conflict', { detail: 'The payment changed meanwhile' });
    }
    if (row.status === 'approved') {
      await adjustContractSums(trx, auth.workspaceId, row.contractId, { committed: -row.amountCents, received: -row.amountCents });
      if (row.planId) {
        await recomputePlan(trx, auth.workspaceId, row.planId, await workspaceToday(deps, trx, auth.workspaceId), now);
      }
    } else if (row.status === 'pending') {
      // Not reachable through withdrawal above; kept so a pending payment never leaks its reservation.
      await adjustContractSums(trx, auth.workspaceId, row.contractId, { committed: -row.amountCents, received: 0 });
    }
    const facts = await findPaymentFacts(trx, auth.workspaceId, id);
    if (facts) {
      await paymentTimeline(trx, auth.workspaceId, facts, 'payment_deleted', auth.userId, now, { status: row.status });
    }
  });
  await recordAudit(deps, actor, { action: 'payment.deleted', targetType: 'payment', targetId: id, detail: { contractId: row.contractId, amountCents: row.amountCents, status: row.status } });
}

/** 合同回款汇总: total, received (approved), pending, outstanding and what can still be recorded. */
export async function contractPaymentSummary(deps: Deps, auth: AuthContext, contractId: string): Promise<ContractPaymentSummary> {
  const ctx = await paymentContext(deps, auth);
  const contract = await loadContractFor(deps, ctx, contractId).catch((error: unknown) => {
    throw error instanceof AppError && error.code === 'validation_failed' ? new AppError('not_found') : error;
  });
  const planned = await contractPlanTotals(deps.db, auth.workspaceId, contractId);
  return {
    contractId,
    total: formatMoney(contract.totalCents),
    received: formatMoney(contract.receivedCents),
    pending: formatMoney(contract.committedPaymentCents - contract.receivedCents),
    outstanding: formatMoney(contract.totalCents - contract.receivedCents),
    available: formatMoney(Math.max(0, contract.totalCents - contract.committedPaymentCents)),
    planned: formatMoney(planned.cents),
  };
}

/** A customer's received / pending / outstanding / overdue money; 404 when the customer is not visible. */
export async function customerPaymentSummary(deps: Deps, auth: AuthContext, customerId: string): Promise<CustomerPaymentSummary> {
  const ctx = await paymentContext(deps, auth);
  await loadCustomer(deps, await customerContext(deps, auth, []), customerId);
  const sums = await customerPaymentTotals(deps.db, ctx, customerId);
  return {
    customerId,
    contracts: sums.contracts,
    total: formatMoney(sums.totalCents),
    received: formatMoney(sums.receivedCents),
    pending: formatMoney(sums.committedCents - sums.receivedCents),
    outstanding: formatMoney(sums.totalCents - sums.receivedCents),
    overduePlans: sums.overduePlans,
    overdue: formatMoney(sums.overdueCents),
    currency: ctx.currency,
  };
}

export { sumPaymentsByStatus };
