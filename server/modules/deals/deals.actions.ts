import { formatMoney } from '../../../common/money';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { inScope, scopeFilter } from '../permissions/permissions.service';
import { appendTimeline } from '../timeline/timeline.writer';
import { countExisting } from '../users/users.repo';
import { dealAccess, dealContext } from './deals.context';
import { leaveStage, updateDealRow } from './deals.repo';
import type { DealDetail } from './deals.schema';
import { getDeal, loadDeal, promoteProspect } from './deals.service';

type ClosedStatus = 'won' | 'lost' | 'invalid';

async function editable(deps: Deps, auth: AuthContext, id: string) {
  const ctx = await dealContext(deps, auth);
  const row = await loadDeal(deps, ctx, id);
  if (!dealAccess(ctx, row.ownerId).edit) {
    throw new AppError('forbidden');
  }
  return row;
}

/**
 * Moves an open deal to another stage (of its pipeline, or of another pipeline: the deal moves
 * with it). The stage it leaves gets its left_at, the new one a fresh history row.
 */
export async function moveDeal(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: { stageId: string; pipelineId?: string | undefined }, expectedVersion?: number): Promise<DealDetail> {
  const row = await editable(deps, auth, id);
  if (row.status !== 'open') {
    throw new AppError('business_rule', { detail: 'A closed deal must be reopened before it changes stage' });
  }
  const stage = await deps.db
    .selectFrom('pipelineStages as s')
    .innerJoin('pipelines as p', 'p.id', 's.pipelineId')
    .select(['s.id', 's.pipelineId', 's.name'])
    .where('s.workspaceId', '=', auth.workspaceId)
    .where('s.id', '=', body.stageId)
    .where('s.deletedAt', 'is', null)
    .where('p.deletedAt', 'is', null)
    .executeTakeFirst();
  if (!stage || (body.pipelineId !== undefined && body.pipelineId !== stage.pipelineId)) {
    throw new AppError('validation_failed', { errors: [{ path: 'stageId', message: 'no such stage in this pipeline' }] });
  }
  if (stage.id === row.stageId) {
    if (expectedVersion !== undefined && expectedVersion !== row.version) {
      throw new AppError('version_mismatch');
    }
    return getDeal(deps, auth, id);
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    const patch = { stageId: stage.id, pipelineId: stage.pipelineId, stageEnteredAt: now };
    if ((await updateDealRow(trx, auth.workspaceId, id, patch, now, expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
    await leaveStage(trx, auth.workspaceId, id, now, stage.pipelineId === row.pipelineId ? 'moved' : 'pipeline');
    await trx
      .insertInto('dealStageHistory')
      .values({ id: newId(), workspaceId: auth.workspaceId, dealId: id, pipelineId: stage.pipelineId, stageId: stage.id, enteredAt: now, leftAt: null, exitKind: null, actorUserId: auth.userId })
      .execute();
    await appendTimeline(trx, {
      workspaceId: auth.workspaceId,
      customerId: row.customerId,
      entity: 'deal',
      recordId: id,
      kind: 'deal_stage_changed',
      actorUserId: auth.userId,
      data: { name: row.name, from: { stageId: row.stageId, name: row.stageName }, to: { stageId: stage.id, name: stage.name } },
      at: now,
    });
  });
  await recordAudit(deps, actor, { action: 'deal.stage_changed', targetType: 'deal', targetId: id, detail: { from: row.stageId, to: stage.id } });
  return getDeal(deps, auth, id);
}

/** 赢单 won / 输单 lost / 无效 invalid. Lost and invalid need a reason. Winning never makes the customer 成交. */
export async function closeDeal(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: { status: ClosedStatus; reason?: string | null | undefined }, expectedVersion?: number): Promise<DealDetail> {
  const row = await editable(deps, auth, id);
  if (row.status !== 'open') {
    throw new AppError('business_rule', { detail: 'The deal is already closed' });
  }
  const reason = body.reason?.trim() || null;
  if (body.status !== 'won' && !reason) {
    throw new AppError('validation_failed', { errors: [{ path: 'reason', message: 'required for lost and invalid deals' }] });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    if ((await updateDealRow(trx, auth.workspaceId, id, { status: body.status, lostReason: reason, closedAt: now }, now, expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
    await leaveStage(trx, auth.workspaceId, id, now, body.status);
    await appendTimeline(trx, {
      workspaceId: auth.workspaceId,
      customerId: row.customerId,
      entity: 'deal',
      recordId: id,
      kind: `deal_${body.status}`,
      actorUserId: auth.userId,
      data: { name: row.name, amount: formatMoney(Number(row.amount)), stageId: row.stageId, stageName: row.stageName, reason },
      at: now,
    });
    if (body.status === 'won') {
      await promoteProspect(trx, auth.workspaceId, row.customerId, auth.userId, now, id);
    }
  });
  await recordAudit(deps, actor, { action: `deal.${body.status}`, targetType: 'deal', targetId: id, detail: { reason } });
  return getDeal(deps, auth, id);
}

/** Back to open in the stage it closed in (a new stage-history row starts now). */
export async function reopenDeal(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, expectedVersion?: number): Promise<DealDetail> {
  const row = await editable(deps, auth, id);
  if (row.status === 'open') {
    throw new AppError('business_rule', { detail: 'The deal is open' });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    if ((await updateDealRow(trx, auth.workspaceId, id, { status: 'open', lostReason: null, closedAt: null, stageEnteredAt: now }, now, expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
    await trx
      .insertInto('dealStageHistory')
      .values({ id: newId(), workspaceId: auth.workspaceId, dealId: id, pipelineId: row.pipelineId, stageId: row.stageId, enteredAt: now, leftAt: null, exitKind: null, actorUserId: auth.userId })
      .execute();
    await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId: row.customerId, entity: 'deal', recordId: id, kind: 'deal_reopened', actorUserId: auth.userId, data: { name: row.name, from: row.status }, at: now });
  });
  await recordAudit(deps, actor, { action: 'deal.reopened', targetType: 'deal', targetId: id });
  return getDeal(deps, auth, id);
}

/** To the recycle bin (restorable). */
export async function deleteDeal(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  const ctx = await dealContext(deps, auth);
  const row = await loadDeal(deps, ctx, id);
  if (!dealAccess(ctx, row.ownerId).delete) {
    throw new AppError('forbidden');
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await updateDealRow(trx, auth.workspaceId, id, { deletedAt: now, deletedBy: auth.userId }, now);
    await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId: row.customerId, entity: 'deal', recordId: id, kind: 'deal_deleted', actorUserId: auth.userId, data: { name: row.name }, at: now });
  });
  await recordAudit(deps, actor, { action: 'deal.deleted', targetType: 'deal', targetId: id });
}

export async function restoreDeal(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<DealDetail> {
  const ctx = await dealContext(deps, auth);
  const row = await loadDeal(deps, ctx, id, { deleted: true });
  if (!dealAccess(ctx, row.ownerId).delete) {
    throw new AppError('forbidden');
  }
  const now = nowIso(deps);
  await updateDealRow(deps.db, auth.workspaceId, id, { deletedAt: null, deletedBy: null }, now);
  await recordAudit(deps, actor, { action: 'deal.restored', targetType: 'deal', targetId: id });
  return getDeal(deps, auth, id);
}

/** Gives the deal to another owner within the caller's transfer scope (both old and new owner). */
export async function transferDeal(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, ownerId: string, expectedVersion?: number): Promise<DealDetail | null> {
  const ctx = await dealContext(deps, auth);
  const row = await loadDeal(deps, ctx, id);
  const scope = await scopeFilter(deps, auth, 'deal', 'transfer');
  if (!inScope(scope, row.ownerId)) {
    throw new AppError('forbidden');
  }
  if ((await countExisting(deps.db, auth.workspaceId, 'users', [ownerId])) !== 1) {
    throw new AppError('validation_failed', { errors: [{ path: 'ownerId', message: 'no such user' }] });
  }
  if (!inScope(scope, ownerId)) {
    throw new AppError('forbidden', { detail: 'The new owner is outside your transfer scope' });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    if ((await updateDealRow(trx, auth.workspaceId, id, { ownerId }, now, expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
    await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId: row.customerId, entity: 'deal', recordId: id, kind: 'deal_owner_change', actorUserId: auth.userId, data: { name: row.name, from: row.ownerId, to: ownerId }, at: now });
  });
  await recordAudit(deps, actor, { action: 'deal.transferred', targetType: 'deal', targetId: id, detail: { from: row.ownerId, to: ownerId } });
  // Given away outside the caller's view: nothing to show (the route answers 204).
  return getDeal(deps, auth, id).catch(() => null);
}
