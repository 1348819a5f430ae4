import type { Kysely } from 'kysely';
import { formatMoney } from '../../../common/money';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { submitForApproval } from '../approvals/approvals.engine';
import { type ApprovalEvent, registerApprovalSubject } from '../approvals/approvals.registry';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { appendTimeline, type TimelineKind } from '../timeline/timeline.writer';
import { canDo, contractContext, editableStates, voidableStates } from './contracts.context';
import { countBlockingPayments, updateContractRow } from './contracts.repo';
import type { ContractDetail } from './contracts.schema';
import { getContract, loadContract } from './contracts.service';

/** Lifecycle stages before 成交: an approved contract moves these to 'customer'. */
const beforeCustomer = ['prospect', 'intent'];

async function contractFacts(trx: Kysely<Database>, workspaceId: string, id: string) {
  return trx.selectFrom('contracts').select(['id', 'customerId', 'number', 'name', 'totalCents', 'status']).where('workspaceId', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

async function timeline(e: ApprovalEvent, kind: TimelineKind, extra: Record<string, unknown> = {}) {
  const c = await contractFacts(e.trx, e.workspaceId, e.subjectId);
  if (!c) {
    return;
  }
  await appendTimeline(e.trx, {
    workspaceId: e.workspaceId,
    customerId: c.customerId,
    entity: 'contract',
    recordId: c.id,
    kind,
    actorUserId: e.actorId,
    data: { contractId: c.id, number: c.number, name: c.name, total: formatMoney(Number(c.totalCents)), approvalId: e.instanceId, ...(e.comment ? { comment: e.comment } : {}), ...extra },
    at: e.at,
  });
}

/**
 * 成交: the customer of an approved contract becomes dealt, and a prospect / intent customer moves
 * to the customer stage. Recorded on its timeline as a field change.
 */
async function markCustomerDealt(e: ApprovalEvent, customerId: string): Promise<void> {
  const customer = await e.trx.selectFrom('customers').select(['dealStatus', 'lifecycleStage']).where('workspaceId', '=', e.workspaceId).where('id', '=', customerId).executeTakeFirst();
  if (!customer) {
    return;
  }
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (customer.dealStatus !== 'dealt') {
    changes.dealStatus = { from: customer.dealStatus, to: 'dealt' };
  }
  if (beforeCustomer.includes(customer.lifecycleStage)) {
    changes.lifecycleStage = { from: customer.lifecycleStage, to: 'customer' };
  }
  if (Object.keys(changes).length === 0) {
    return;
  }
  await e.trx
    .updateTable('customers')
    .set((eb) => ({
      dealStatus: 'dealt',
      ...(changes.lifecycleStage ? { lifecycleStage: 'customer' } : {}),
      updatedAt: e.at,
      version: eb('version', '+', 1),
    }))
    .where('workspaceId', '=', e.workspaceId)
    .where('id', '=', customerId)
    .execute();
  await appendTimeline(e.trx, { workspaceId: e.workspaceId, customerId, entity: 'customer', recordId: customerId, kind: 'field_change', actorUserId: e.actorId, data: { changes, via: 'contract_approved' }, at: e.at });
}

registerApprovalSubject('contract', {
  link: (id) => `/contracts/${id}`,
  describe: async (trx, workspaceId, id) => {
    const c = await contractFacts(trx, workspaceId, id);
    return c ? { title: `${c.number} ${c.name}`, path: `/contracts/${id}` } : null;
  },
  onSubmitted: async (e) => {
    const changed = await updateContractRow(e.trx, e.workspaceId, e.subjectId, { status: 'pending', approvalId: e.instanceId, submittedAt: e.at }, e.at, { states: editableStates });
    if (changed === 0) {
      throw new AppError('contract_state', { detail: 'Only draft or rejected contracts can be submitted' });
    }
    await timeline(e, 'contract_submitted');
  },
  onApproved: async (e) => {
    await updateContractRow(e.trx, e.workspaceId, e.subjectId, { status: 'approved', approvedAt: e.at }, e.at, { states: ['pending'] });
    await timeline(e, 'contract_approved');
    const c = await contractFacts(e.trx, e.workspaceId, e.subjectId);
    if (c) {
      await markCustomerDealt(e, c.customerId);
    }
  },
  onRejected: async (e) => {
    await updateContractRow(e.trx, e.workspaceId, e.subjectId, { status: 'rejected' }, e.at, { states: ['pending'] });
    await timeline(e, 'contract_rejected');
  },
  onWithdrawn: async (e) => {
    await updateContractRow(e.trx, e.workspaceId, e.subjectId, { status: 'draft' }, e.at, { states: ['pending'] });
    await timeline(e, 'contract_withdrawn');
  },
});

/** Submits a draft (or corrected rejected) contract for approval; with no applicable flow it is approved at once. */
export async function submitContract(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<ContractDetail> {
  const ctx = await contractContext(deps, auth);
  const row = await loadContract(deps, ctx, id);
  if (!canDo(ctx, 'edit', row.ownerId)) {
    throw new AppError('forbidden');
  }
  if (!(editableStates as readonly string[]).includes(row.status)) {
    throw new AppError('contract_state', { detail: `A ${row.status} contract cannot be submitted` });
  }
  const result = await deps.db.transaction().execute((trx) => submitForApproval(deps, auth, { subjectType: 'contract', subjectId: id, amountCents: Number(row.total) }, trx));
  await recordAudit(deps, actor, { action: 'contract.submitted', targetType: 'contract', targetId: id, detail: { approvalId: result.instanceId, status: result.status } });
  return getContract(deps, auth, id);
}

/** Throws contract_has_payments, saying how many payments are in the way, when there are any. */
async function refuseWithPayments(db: Kysely<Database>, workspaceId: string, contractId: string): Promise<void> {
  const { approved, pending } = await countBlockingPayments(db, workspaceId, contractId);
  if (approved + pending > 0) {
    throw new AppError('contract_has_payments', {
      detail: `${approved} approved and ${pending} pending payment(s): withdraw or reject the pending ones and delete the approved ones first`,
    });
  }
}

/**
 * 作废: voids a draft, rejected or approved contract, with a reason (a pending one is withdrawn
 * first). An approved contract with approved or pending payments is refused (409
 * contract_has_payments): voiding would leave money booked against a contract that no longer
 * counts. The pending payments must be withdrawn or rejected and the approved ones deleted
 * (reversed) first. Race-free: the void is conditional on the contract's committed sum (approved +
 * pending, kept by the payments module on the same row) being zero, so a payment recorded
 * concurrently either lands first (the void is refused) or finds the contract void.
 */
export async function voidContract(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, reason: string): Promise<ContractDetail> {
  const ctx = await contractContext(deps, auth);
  const row = await loadContract(deps, ctx, id);
  if (!canDo(ctx, 'delete', row.ownerId)) {
    throw new AppError('forbidden');
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await refuseWithPayments(trx, auth.workspaceId, id);
    const changed = await updateContractRow(trx, auth.workspaceId, id, { status: 'void', voidedAt: now, voidReason: reason }, now, { states: voidableStates, noCommittedPayments: true });
    if (changed === 0) {
      await refuseWithPayments(trx, auth.workspaceId, id);
      throw new AppError('contract_state', { detail: `A ${row.status} contract cannot be voided` });
    }
    await appendTimeline(trx, {
      workspaceId: auth.workspaceId,
      customerId: row.customerId,
      entity: 'contract',
      recordId: id,
      kind: 'contract_voided',
      actorUserId: auth.userId,
      data: { contractId: id, number: row.number, name: row.name, total: formatMoney(Number(row.total)), reason, previousStatus: row.status },
      at: now,
    });
  });
  await recordAudit(deps, actor, { action: 'contract.voided', targetType: 'contract', targetId: id, detail: { reason } });
  return getContract(deps, auth, id);
}
