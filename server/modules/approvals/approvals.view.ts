import { formatMoney } from '../../../common/money';
import type { Kysely } from 'kysely';
import { parseJson } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { can } from '../permissions/permissions.service';
import { isParticipant } from './approvals.engine';
import { approvalSubject } from './approvals.registry';
import type { FrozenStep } from './approvals.resolve';
import type { ApprovalInstance, ApprovalRow } from './approvals.schema';

async function userNames(db: Kysely<Database>, workspaceId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (wanted.length === 0) {
    return new Map();
  }
  const rows = await db.selectFrom('users').select(['id', 'name']).where('workspaceId', '=', workspaceId).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

function pathOf(subjectType: string, subjectId: string): string | null {
  return approvalSubject(subjectType)?.link?.(subjectId) ?? null;
}

/**
 * An approval with its steps, tasks and history, as `viewerId` sees it (what they may do now).
 * No access check: callers decide who may look (participants, overseers, viewers of the subject).
 */
export async function approvalView(db: Kysely<Database>, workspaceId: string, instanceId: string, viewerId: string | null): Promise<ApprovalInstance | null> {
  const row = await db.selectFrom('approvalInstances').selectAll().where('workspaceId', '=', workspaceId).where('id', '=', instanceId).executeTakeFirst();
  if (!row) {
    return null;
  }
  const [tasks, actions] = await Promise.all([
    db.selectFrom('approvalTasks').selectAll().where('workspaceId', '=', workspaceId).where('instanceId', '=', instanceId).orderBy('stepIndex').orderBy('createdAt').orderBy('id').execute(),
    db.selectFrom('approvalActions').selectAll().where('workspaceId', '=', workspaceId).where('instanceId', '=', instanceId).orderBy('createdAt').orderBy('id').execute(),
  ]);
  const names = await userNames(db, workspaceId, [row.submitterId, ...tasks.map((t) => t.approverId), ...actions.map((a) => a.actorId)]);
  const ref = (id: string) => ({ id, name: names.get(id) ?? null });
  const steps = (parseJson(row.steps) ?? []) as FrozenStep[];
  const skipped = new Set(actions.filter((a) => a.action === 'step_skipped').map((a) => a.stepIndex));
  const myPending = tasks.some((t) => t.approverId === viewerId && t.status === 'pending' && t.stepIndex === row.currentStep);
  const pending = row.status === 'pending';
  return {
    id: row.id,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    title: row.title,
    path: pathOf(row.subjectType, row.subjectId),
    flowId: row.flowId,
    flowName: row.flowName,
    submitter: ref(row.submitterId),
    amount: row.amountCents === null ? null : formatMoney(Number(row.amountCents)),
    status: row.status,
    currentStep: row.currentStep,
    steps: steps.map((s, index) => {
      const stepTasks = tasks.filter((t) => t.stepIndex === index);
      let state = 'waiting';
      if (skipped.has(index)) {
        state = 'skipped';
      } else if (stepTasks.some((t) => t.status === 'rejected')) {
        state = 'rejected';
      } else if (pending && index === row.currentStep) {
        state = 'active';
      } else if (stepTasks.length > 0 && (index < row.currentStep || row.status === 'approved')) {
        state = 'approved';
      } else if (stepTasks.length > 0) {
        state = 'closed';
      }
      return {
        index,
        name: s.name,
        mode: s.mode,
        state,
        tasks: stepTasks.map((t) => ({ id: t.id, instanceId: t.instanceId, stepIndex: t.stepIndex, approver: ref(t.approverId), status: t.status, comment: t.comment, createdAt: t.createdAt, actedAt: t.actedAt })),
      };
    }),
    history: actions.map((a) => ({
      id: a.id,
      stepIndex: a.stepIndex,
      stepName: a.stepIndex === null ? null : (steps[a.stepIndex]?.name ?? null),
      actor: a.actorId ? ref(a.actorId) : null,
      action: a.action,
      comment: a.comment,
      createdAt: a.createdAt,
    })),
    can: { approve: pending && myPending, reject: pending && myPending, withdraw: pending && viewerId === row.submitterId },
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
  };
}

/** Whether the caller may look at every approval of the workspace (approvalFlow:view). */
export function overseesApprovals(auth: AuthContext): boolean {
  return can(auth.permissions, 'approvalFlow:view');
}

/** GET /approvals/:id — for participants and overseers; anyone else gets 404. */
export async function getApproval(deps: Deps, auth: AuthContext, id: string): Promise<ApprovalInstance> {
  const row = await deps.db.selectFrom('approvalInstances').select(['id', 'submitterId']).where('workspaceId', '=', auth.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row || !(overseesApprovals(auth) || (await isParticipant(deps.db, auth.workspaceId, row, auth.userId)))) {
    throw new AppError('not_found');
  }
  return (await approvalView(deps.db, auth.workspaceId, id, auth.userId)) as ApprovalInstance;
}

/** Rows of "my approvals" keyed newest first by (createdAt, id). */
function pageOf<T extends { createdAt: string; id: string }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

/** 待我审批 (status=pending) or 我已审批 (status=done): the caller's tasks, newest first. */
export async function listMyTasks(deps: Deps, auth: AuthContext, query: { status: 'pending' | 'done'; subjectType?: string | undefined; limit: number; cursor?: string | undefined }) {
  if (!auth.userId) {
    return { data: [], nextCursor: null };
  }
  let q = deps.db
    .selectFrom('approvalTasks as t')
    .innerJoin('approvalInstances as i', 'i.id', 't.instanceId')
    .select(['t.id', 't.instanceId', 't.stepIndex', 't.status as taskStatus', 't.comment', 't.createdAt', 't.actedAt', 'i.subjectType', 'i.subjectId', 'i.title', 'i.flowName', 'i.steps', 'i.submitterId', 'i.amountCents', 'i.status as instanceStatus'])
    .where('t.workspaceId', '=', auth.workspaceId)
    .where('i.workspaceId', '=', auth.workspaceId)
    .where('t.approverId', '=', auth.userId);
  q = query.status === 'pending' ? q.where('t.status', '=', 'pending') : q.where('t.status', 'in', ['approved', 'rejected']);
  if (query.subjectType) {
    q = q.where('i.subjectType', '=', query.subjectType);
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor, ['createdAt', 'id']);
    q = q.where((eb) => eb.or([eb('t.createdAt', '<', c.createdAt), eb.and([eb('t.createdAt', '=', c.createdAt), eb('t.id', '<', c.id)])]));
  }
  const rows = await q.orderBy('t.createdAt', 'desc').orderBy('t.id', 'desc').limit(query.limit + 1).execute();
  const { page, nextCursor } = pageOf(rows, query.limit);
  const names = await userNames(deps.db, auth.workspaceId, page.map((r) => r.submitterId));
  const data: ApprovalRow[] = page.map((r) => ({
      instanceId: r.instanceId,
      taskId: r.id,
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      title: r.title,
      path: pathOf(r.subjectType, r.subjectId),
      flowName: r.flowName,
      stepName: ((parseJson(r.steps) ?? []) as FrozenStep[])[r.stepIndex]?.name ?? null,
      submitter: { id: r.submitterId, name: names.get(r.submitterId) ?? null },
      amount: r.amountCents === null ? null : formatMoney(Number(r.amountCents)),
      instanceStatus: r.instanceStatus,
      taskStatus: r.taskStatus,
      comment: r.comment,
      createdAt: r.createdAt,
      actedAt: r.actedAt,
    }));
  return { data, nextCursor };
}

/** 我发起的: approvals the caller submitted, newest first. */
export async function listSubmitted(deps: Deps, auth: AuthContext, query: { status?: string | undefined; subjectType?: string | undefined; limit: number; cursor?: string | undefined }) {
  if (!auth.userId) {
    return { data: [], nextCursor: null };
  }
  let q = deps.db.selectFrom('approvalInstances').selectAll().where('workspaceId', '=', auth.workspaceId).where('submitterId', '=', auth.userId);
  if (query.status) {
    q = q.where('status', '=', query.status as 'pending');
  }
  if (query.subjectType) {
    q = q.where('subjectType', '=', query.subjectType);
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor, ['createdAt', 'id']);
    q = q.where((eb) => eb.or([eb('createdAt', '<', c.createdAt), eb.and([eb('createdAt', '=', c.createdAt), eb('id', '<', c.id)])]));
  }
  const rows = await q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(query.limit + 1).execute();
  const { page, nextCursor } = pageOf(rows, query.limit);
  const names = await userNames(deps.db, auth.workspaceId, page.map((r) => r.submitterId));
  const data: ApprovalRow[] = page.map((r) => ({
      instanceId: r.id,
      taskId: null,
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      title: r.title,
      path: pathOf(r.subjectType, r.subjectId),
      flowName: r.flowName,
      stepName: r.status === 'pending' ? (((parseJson(r.steps) ?? []) as FrozenStep[])[r.currentStep]?.name ?? null) : null,
      submitter: { id: r.submitterId, name: names.get(r.submitterId) ?? null },
      amount: r.amountCents === null ? null : formatMoney(Number(r.amountCents)),
      instanceStatus: r.status,
      taskStatus: null,
      comment: null,
      createdAt: r.createdAt,
      actedAt: r.decidedAt,
    }));
  return { data, nextCursor };
}

/** How many tasks wait for the user (the to-do counter). */
export async function countPendingTasks(deps: Deps, workspaceId: string, userId: string): Promise<number> {
  const row = await deps.db
    .selectFrom('approvalTasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspaceId', '=', workspaceId)
    .where('approverId', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
