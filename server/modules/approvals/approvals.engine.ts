import type { Kysely } from 'kysely';
import { isUniqueViolation, parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { type ApprovalEvent, approvalSubject, type ApprovalSubject } from './approvals.registry';
import { type FrozenStep, resolveStepApprovers } from './approvals.resolve';
import type { ApproverSpec } from './approvals.schema';

/** Who submits or acts: the workspace and the signed-in user (an AuthContext fits). */
export interface ApprovalActor {
  workspaceId: string;
  userId: string | null;
}

export interface SubmitInput {
  subjectType: string;
  subjectId: string;
  /** Chooses the flow by its amount conditions; null when the subject has no amount. */
  amountCents: number | null;
  /** Overrides the subject's describe() title. */
  title?: string;
}

export interface SubmitOptions {
  /**
   * When no active flow matches: 'approve' (default) approves at once and records an
   * auto_approve action; 'error' refuses with approval_no_flow (422).
   */
  onNoFlow?: 'approve' | 'error';
}

export interface SubmitResult {
  instanceId: string;
  /** 'approved' when no step needed anyone (no flow, or every step had no approvers). */
  status: 'pending' | 'approved';
}

interface InstanceState {
  id: string;
  workspaceId: string;
  subjectType: string;
  subjectId: string;
  submitterId: string;
  amountCents: number | null;
  status: string;
  currentStep: number;
  steps: FrozenStep[];
}

function frozenSteps(value: unknown): FrozenStep[] {
  const parsed = parseJson(value);
  return Array.isArray(parsed) ? (parsed as FrozenStep[]) : [];
}

function subjectOf(type: string): ApprovalSubject {
  const subject = approvalSubject(type);
  if (!subject) {
    throw new AppError('validation_failed', { errors: [{ path: 'subjectType', message: 'not a registered approval subject' }] });
  }
  return subject;
}

async function action(trx: Kysely<Database>, instance: InstanceState, stepIndex: number | null, actorId: string | null, kind: string, comment: string | null, at: string) {
  await trx
    .insertInto('approvalActions')
    .values({ id: newId(), workspaceId: instance.workspaceId, instanceId: instance.id, stepIndex, actorId, action: kind, comment, createdAt: at })
    .execute();
}

function eventOf(deps: Deps, trx: Kysely<Database>, instance: InstanceState, actorId: string | null, comment: string | null, at: string): ApprovalEvent {
  return {
    deps,
    trx,
    workspaceId: instance.workspaceId,
    subjectType: instance.subjectType,
    subjectId: instance.subjectId,
    instanceId: instance.id,
    submitterId: instance.submitterId,
    actorId,
    comment,
    amountCents: instance.amountCents,
    at,
  };
}

/**
 * Activates the first step at or after `from` that has approvers (creating their tasks); steps
 * without anyone are skipped. Past the last step the approval is approved and the subject told.
 */
async function activateFrom(
  deps: Deps,
  trx: Kysely<Database>,
  instance: InstanceState,
  from: number,
  at: string,
  last: { actorId: string | null; comment: string | null } = { actorId: null, comment: null },
): Promise<'pending' | 'approved'> {
  for (let index = from; index < instance.steps.length; index += 1) {
    const step = instance.steps[index] as FrozenStep;
    const approvers = await resolveStepApprovers(trx, instance.workspaceId, instance.submitterId, step);
    if (approvers.length === 0) {
      await action(trx, instance, index, null, 'step_skipped', null, at);
      continue;
    }
    await trx
      .insertInto('approvalTasks')
      .values(approvers.map((approverId) => ({ id: newId(), workspaceId: instance.workspaceId, instanceId: instance.id, stepIndex: index, approverId, status: 'pending' as const, comment: null, createdAt: at, actedAt: null })))
      .execute();
    await trx.updateTable('approvalInstances').set({ currentStep: index, updatedAt: at }).where('workspaceId', '=', instance.workspaceId).where('id', '=', instance.id).execute();
    return 'pending';
  }
  await trx
    .updateTable('approvalInstances')
    .set({ status: 'approved', currentStep: instance.steps.length, decidedAt: at, updatedAt: at })
    .where('workspaceId', '=', instance.workspaceId)
    .where('id', '=', instance.id)
    .execute();
  // The approver whose decision completed the approval is its actor (none when nobody had to approve).
  await subjectOf(instance.subjectType).onApproved?.(eventOf(deps, trx, instance, last.actorId, last.comment, at));
  return 'approved';
}

/** The first active flow of the subject type whose amount range (min ≤ amount < max) holds the amount. */
async function chooseFlow(trx: Kysely<Database>, workspaceId: string, subjectType: string, amountCents: number | null) {
  const flows = await trx
    .selectFrom('approvalFlows')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('subjectType', '=', subjectType)
    .where('active', '=', 1)
    .orderBy('priority')
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  return flows.find((f) => {
    if (amountCents === null) {
      return f.minAmountCents === null && f.maxAmountCents === null;
    }
    return (f.minAmountCents === null || amountCents >= Number(f.minAmountCents)) && (f.maxAmountCents === null || amountCents < Number(f.maxAmountCents));
  });
}

/**
 * Starts an approval of a subject, inside the caller's transaction (so the subject's state change
 * and the approval commit together). Chooses the flow by amount, freezes its steps, activates the
 * first step that has approvers and calls the subject's onSubmitted (and onApproved when nobody
 * needs to approve). A second pending approval of the same subject is refused (409 approval_pending).
 */
export async function submitForApproval(deps: Deps, ctx: ApprovalActor, input: SubmitInput, trx: Kysely<Database>, options: SubmitOptions = {}): Promise<SubmitResult> {
  const subject = subjectOf(input.subjectType);
  // The submitter is a user: the manager chain is theirs, they may withdraw, they are told the
  // outcome. An API key acts as the user who created it (guard.ts); a key with no such user (made
  // by another key) or whose user was deactivated cannot submit, and says why.
  if (!ctx.userId) {
    throw new AppError('approval_needs_user', { detail: 'This API key is not bound to a user (it was created by another API key). Create the key while signed in as the user who should submit.' });
  }
  const submitter = await trx.selectFrom('users').select('status').where('workspaceId', '=', ctx.workspaceId).where('id', '=', ctx.userId).executeTakeFirst();
  if (submitter?.status !== 'active') {
    throw new AppError('approval_needs_user', { detail: 'The user this API key acts for (the user who created it) is deactivated. Create a new key as an active user.' });
  }
  const at = nowIso(deps);
  const flow = await chooseFlow(trx, ctx.workspaceId, input.subjectType, input.amountCents);
  if (!flow && options.onNoFlow === 'error') {
    throw new AppError('approval_no_flow');
  }
  const stepRows = flow
    ? await trx.selectFrom('approvalFlowSteps').selectAll().where('workspaceId', '=', ctx.workspaceId).where('flowId', '=', flow.id).orderBy('position').execute()
    : [];
  const steps: FrozenStep[] = stepRows.map((s) => ({ name: s.name, mode: s.mode, approvers: (parseJson(s.approvers) ?? []) as ApproverSpec[], missingManager: s.missingManager }));
  const description = await subject.describe?.(trx, ctx.workspaceId, input.subjectId);
  const instance: InstanceState = {
    id: newId(),
    workspaceId: ctx.workspaceId,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    submitterId: ctx.userId,
    amountCents: input.amountCents,
    status: 'pending',
    currentStep: 0,
    steps,
  };
  try {
    await trx
      .insertInto('approvalInstances')
      .values({
        id: instance.id,
        workspaceId: ctx.workspaceId,
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        flowId: flow?.id ?? null,
        flowName: flow?.name ?? null,
        steps: JSON.stringify(steps),
        submitterId: ctx.userId,
        amountCents: input.amountCents,
        title: input.title ?? description?.title ?? null,
        status: 'pending',
        currentStep: 0,
        createdAt: at,
        updatedAt: at,
        decidedAt: null,
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('approval_pending');
    }
    throw error;
  }
  await action(trx, instance, null, ctx.userId, 'submit', null, at);
  await subject.onSubmitted?.(eventOf(deps, trx, instance, ctx.userId, null, at));
  if (!flow) {
    await action(trx, instance, null, null, 'auto_approve', null, at);
  }
  const status = await activateFrom(deps, trx, instance, 0, at);
  return { instanceId: instance.id, status };
}

/**
 * Takes the instance's row lock (an UPDATE: PostgreSQL holds it to the end of the transaction,
 * SQLite runs one transaction at a time anyway) and reads its state as of now. Everything that
 * decides an approval goes through here first, so two approvers acting at once are serialised
 * and the second sees the first one's outcome.
 */
async function lockInstance(trx: Kysely<Database>, workspaceId: string, id: string): Promise<InstanceState | null> {
  const row = await trx
    .updateTable('approvalInstances')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .returning(['id', 'workspaceId', 'subjectType', 'subjectId', 'submitterId', 'amountCents', 'status', 'currentStep', 'steps'])
    .executeTakeFirst();
  if (!row) {
    return null;
  }
  return { ...row, amountCents: row.amountCents === null ? null : Number(row.amountCents), steps: frozenSteps(row.steps) };
}

async function tasksOf(trx: Kysely<Database>, workspaceId: string, instanceId: string, userId: string) {
  return trx.selectFrom('approvalTasks').selectAll().where('workspaceId', '=', workspaceId).where('instanceId', '=', instanceId).where('approverId', '=', userId).execute();
}

/** Whether the user takes part in an approval (submitter or approver): others get 404 for it. */
export async function isParticipant(db: Kysely<Database>, workspaceId: string, instance: { id: string; submitterId: string }, userId: string | null): Promise<boolean> {
  if (userId === null) {
    return false;
  }
  if (instance.submitterId === userId) {
    return true;
  }
  const task = await db.selectFrom('approvalTasks').select('id').where('workspaceId', '=', workspaceId).where('instanceId', '=', instance.id).where('approverId', '=', userId).executeTakeFirst();
  return task !== undefined;
}

/**
 * Approves or rejects as one of the current step's approvers. 或签 (any): the first approval
 * completes the step and closes the other tasks; 会签 (all): the step completes when every task
 * is approved. Any rejection rejects the whole approval. Concurrency-safe: see lockInstance.
 */
export async function decideApproval(
  deps: Deps,
  actor: ApprovalActor,
  instanceId: string,
  decision: 'approve' | 'reject',
  comment: string | null,
  oversees: boolean,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const instance = await lockInstance(trx, actor.workspaceId, instanceId);
    if (!instance || !actor.userId) {
      throw new AppError('not_found');
    }
    const mine = await tasksOf(trx, actor.workspaceId, instanceId, actor.userId);
    if (mine.length === 0 && instance.submitterId !== actor.userId && !oversees) {
      throw new AppError('not_found');
    }
    const task = mine.find((t) => t.status === 'pending' && t.stepIndex === instance.currentStep);
    if (instance.status !== 'pending' || (!task && mine.length > 0)) {
      throw new AppError('approval_decided');
    }
    if (!task) {
      throw new AppError('forbidden', { detail: 'You are not an approver of the current step' });
    }
    const at = nowIso(deps);
    const step = instance.steps[instance.currentStep] as FrozenStep;
    await trx
      .updateTable('approvalTasks')
      .set({ status: decision === 'approve' ? 'approved' : 'rejected', comment, actedAt: at })
      .where('workspaceId', '=', actor.workspaceId)
      .where('id', '=', task.id)
      .execute();
    await action(trx, instance, instance.currentStep, actor.userId, decision, comment, at);
    const closeOthers = (all: boolean) => {
      let query = trx.updateTable('approvalTasks').set({ status: 'closed', actedAt: at }).where('workspaceId', '=', actor.workspaceId).where('instanceId', '=', instanceId).where('status', '=', 'pending');
      if (!all) {
        query = query.where('stepIndex', '=', instance.currentStep);
      }
      return query.execute();
    };
    if (decision === 'reject') {
      await closeOthers(true);
      await trx.updateTable('approvalInstances').set({ status: 'rejected', decidedAt: at, updatedAt: at }).where('workspaceId', '=', actor.workspaceId).where('id', '=', instanceId).execute();
      await subjectOf(instance.subjectType).onRejected?.(eventOf(deps, trx, instance, actor.userId, comment, at));
      return;
    }
    if (step.mode === 'any') {
      await closeOthers(false);
    } else {
      const open = await trx
        .selectFrom('approvalTasks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspaceId', '=', actor.workspaceId)
        .where('instanceId', '=', instanceId)
        .where('stepIndex', '=', instance.currentStep)
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      if (Number(open.n) > 0) {
        await trx.updateTable('approvalInstances').set({ updatedAt: at }).where('workspaceId', '=', actor.workspaceId).where('id', '=', instanceId).execute();
        return;
      }
    }
    await activateFrom(deps, trx, instance, instance.currentStep + 1, at, { actorId: actor.userId, comment });
  });
}

/** The submitter takes a pending approval back; open tasks close and the subject is told. */
export async function withdrawApproval(deps: Deps, actor: ApprovalActor, instanceId: string, comment: string | null, oversees: boolean): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const instance = await lockInstance(trx, actor.workspaceId, instanceId);
    if (!instance || !actor.userId) {
      throw new AppError('not_found');
    }
    if (instance.submitterId !== actor.userId) {
      const participant = await isParticipant(trx, actor.workspaceId, instance, actor.userId);
      throw participant || oversees ? new AppError('forbidden', { detail: 'Only the submitter can withdraw' }) : new AppError('not_found');
    }
    if (instance.status !== 'pending') {
      throw new AppError('approval_decided');
    }
    const at = nowIso(deps);
    await trx.updateTable('approvalTasks').set({ status: 'closed', actedAt: at }).where('workspaceId', '=', actor.workspaceId).where('instanceId', '=', instanceId).where('status', '=', 'pending').execute();
    await trx.updateTable('approvalInstances').set({ status: 'withdrawn', decidedAt: at, updatedAt: at }).where('workspaceId', '=', actor.workspaceId).where('id', '=', instanceId).execute();
    await action(trx, instance, null, actor.userId, 'withdraw', comment, at);
    await subjectOf(instance.subjectType).onWithdrawn?.(eventOf(deps, trx, instance, actor.userId, comment, at));
  });
}
