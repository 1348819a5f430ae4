import type { Kysely } from 'kysely';
import { formatMoney } from '../../../common/money';
import type { Database } from '../../db/types';
import type { PaymentStatus } from '../../db/types-payments';
import { registerApprovalSubject } from '../approvals/index';
import { appendTimeline, type TimelineKind } from '../timeline/timeline.writer';
import { workspaceToday } from './payments.dates';
import { adjustContractSums, findPaymentFacts, updatePaymentRow } from './payments.repo';
import { recomputePlan } from './payment-plans.repo';

export type PaymentFacts = NonNullable<Awaited<ReturnType<typeof findPaymentFacts>>>;

/** A 回款 entry on the customer's 360° timeline. */
export async function paymentTimeline(trx: Kysely<Database>, workspaceId: string, payment: PaymentFacts, kind: TimelineKind, actorUserId: string | null, at: string, extra: Record<string, unknown> = {}) {
  const contract = await trx.selectFrom('contracts').select(['number', 'name']).where('workspaceId', '=', workspaceId).where('id', '=', payment.contractId).executeTakeFirst();
  await appendTimeline(trx, {
    workspaceId,
    customerId: payment.customerId,
    entity: 'payment',
    recordId: payment.id,
    kind,
    actorUserId,
    data: {
      paymentId: payment.id,
      contractId: payment.contractId,
      contractNumber: contract?.number ?? null,
      contractName: contract?.name ?? null,
      amount: formatMoney(payment.amountCents),
      paidOn: payment.paidOn,
      method: payment.method,
      ...extra,
    },
    at,
  });
}

/** Approved: the reservation becomes money received, and the instalment's paid amount and status follow. */
export async function applyApproved(deps: { now: () => Date }, trx: Kysely<Database>, workspaceId: string, paymentId: string, approvalId: string | null, actorId: string | null, at: string): Promise<void> {
  const payment = await findPaymentFacts(trx, workspaceId, paymentId);
  if (!payment || !(await updatePaymentRow(trx, workspaceId, paymentId, ['pending'], { status: 'approved', approvedAt: at, updatedAt: at, ...(approvalId ? { approvalId } : {}) }))) {
    return; // not pending any more (deleted meanwhile): nothing was reserved for it
  }
  await adjustContractSums(trx, workspaceId, payment.contractId, { committed: 0, received: payment.amountCents });
  if (payment.planId) {
    await recomputePlan(trx, workspaceId, payment.planId, await workspaceToday(deps, trx, workspaceId), at);
  }
  await paymentTimeline(trx, workspaceId, payment, 'payment_approved', actorId, at);
}

/** Rejected or withdrawn: the reservation is released so the amount can be recorded again. */
export async function applyReleased(trx: Kysely<Database>, workspaceId: string, paymentId: string, status: Extract<PaymentStatus, 'rejected' | 'withdrawn'>, actorId: string | null, at: string, comment: string | null): Promise<void> {
  const payment = await findPaymentFacts(trx, workspaceId, paymentId);
  if (!payment || !(await updatePaymentRow(trx, workspaceId, paymentId, ['pending'], { status, updatedAt: at }))) {
    return;
  }
  await adjustContractSums(trx, workspaceId, payment.contractId, { committed: -payment.amountCents, received: 0 });
  await paymentTimeline(trx, workspaceId, payment, status === 'rejected' ? 'payment_rejected' : 'payment_withdrawn', actorId, at, comment ? { comment } : {});
}

registerApprovalSubject('payment', {
  onApproved: (e) => applyApproved(e.deps, e.trx, e.workspaceId, e.subjectId, e.instanceId, e.actorId, e.at),
  onRejected: (e) => applyReleased(e.trx, e.workspaceId, e.subjectId, 'rejected', e.actorId, e.at, e.comment),
  onWithdrawn: (e) => applyReleased(e.trx, e.workspaceId, e.subjectId, 'withdrawn', e.actorId, e.at, e.comment),
  describe: async (trx, workspaceId, subjectId) => {
    const row = await trx
      .selectFrom('payments as p')
      .innerJoin('contracts as k', 'k.id', 'p.contractId')
      .select(['p.amountCents', 'k.number', 'k.name'])
      .where('p.workspaceId', '=', workspaceId)
      .where('p.id', '=', subjectId)
      .executeTakeFirst();
    return row ? { title: `回款 ${formatMoney(row.amountCents)} · ${row.number} ${row.name}`, path: `/payments/${subjectId}` } : null;
  },
});
