import { formatMoney, parseMoney } from '../../../common/money';
import type { Kysely } from 'kysely';
import { parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError, type FieldError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { approvalSubjectTypes } from './approvals.registry';
import type { ApproverSpec, CreateFlowBody, Flow, StepInput, UpdateFlowBody } from './approvals.schema';

type FlowRow = Awaited<ReturnType<typeof findFlowRows>>[number];

function findFlowRows(db: Kysely<Database>, workspaceId: string, filter: { id?: string; subjectType?: string }) {
  let query = db.selectFrom('approvalFlows').selectAll().where('workspaceId', '=', workspaceId);
  if (filter.id) {
    query = query.where('id', '=', filter.id);
  }
  if (filter.subjectType) {
    query = query.where('subjectType', '=', filter.subjectType);
  }
  return query.orderBy('subjectType').orderBy('priority').orderBy('createdAt').orderBy('id').execute();
}

async function present(db: Kysely<Database>, workspaceId: string, rows: readonly FlowRow[]): Promise<Flow[]> {
  const steps =
    rows.length === 0
      ? []
      : await db.selectFrom('approvalFlowSteps').selectAll().where('workspaceId', '=', workspaceId).where('flowId', 'in', rows.map((r) => r.id)).orderBy('position').execute();
  return rows.map((r) => ({
    id: r.id,
    subjectType: r.subjectType,
    name: r.name,
    description: r.description,
    priority: r.priority,
    minAmount: r.minAmountCents === null ? null : formatMoney(Number(r.minAmountCents)),
    maxAmount: r.maxAmountCents === null ? null : formatMoney(Number(r.maxAmountCents)),
    active: r.active === 1,
    steps: steps
      .filter((s) => s.flowId === r.id)
      .map((s) => ({ name: s.name, mode: s.mode, approvers: (parseJson(s.approvers) ?? []) as ApproverSpec[], missingManager: s.missingManager })),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  }));
}

const centsOf = (money: string | null): number | null => (money === null ? null : parseMoney(money));

/** Approvers must name users and roles of this workspace; amount bounds must make a range. */
async function validateFlow(deps: Deps, workspaceId: string, input: { steps?: StepInput[] | undefined; minAmount?: number | null | undefined; maxAmount?: number | null | undefined }) {
  const errors: FieldError[] = [];
  if (input.minAmount !== undefined && input.minAmount !== null && input.maxAmount !== undefined && input.maxAmount !== null && input.minAmount >= input.maxAmount) {
    errors.push({ path: 'maxAmount', message: 'must be greater than minAmount' });
  }
  const userIds = new Set<string>();
  const roleIds = new Set<string>();
  for (const step of input.steps ?? []) {
    for (const a of step.approvers) {
      if (a.kind === 'user') {
        userIds.add(a.userId);
      } else if (a.kind === 'role') {
        roleIds.add(a.roleId);
      }
    }
  }
  const [users, roles] = await Promise.all([
    userIds.size ? deps.db.selectFrom('users').select('id').where('workspaceId', '=', workspaceId).where('id', 'in', [...userIds]).execute() : [],
    roleIds.size ? deps.db.selectFrom('roles').select('id').where('workspaceId', '=', workspaceId).where('id', 'in', [...roleIds]).execute() : [],
  ]);
  const knownUsers = new Set(users.map((u) => u.id));
  const knownRoles = new Set(roles.map((r) => r.id));
  (input.steps ?? []).forEach((step, i) =>
    step.approvers.forEach((a, j) => {
      if ((a.kind === 'user' && !knownUsers.has(a.userId)) || (a.kind === 'role' && !knownRoles.has(a.roleId))) {
        errors.push({ path: `steps.${i}.approvers.${j}`, message: a.kind === 'user' ? 'no such user' : 'no such role' });
      }
    }),
  );
  if (errors.length > 0) {
    throw new AppError('validation_failed', { errors });
  }
}

async function writeSteps(trx: Kysely<Database>, workspaceId: string, flowId: string, steps: readonly StepInput[]) {
  await trx.deleteFrom('approvalFlowSteps').where('workspaceId', '=', workspaceId).where('flowId', '=', flowId).execute();
  await trx
    .insertInto('approvalFlowSteps')
    .values(steps.map((s, position) => ({ id: newId(), workspaceId, flowId, position, name: s.name, mode: s.mode, approvers: JSON.stringify(s.approvers), missingManager: s.missingManager })))
    .execute();
}

export async function listFlows(deps: Deps, auth: AuthContext, subjectType?: string): Promise<Flow[]> {
  return present(deps.db, auth.workspaceId, await findFlowRows(deps.db, auth.workspaceId, subjectType ? { subjectType } : {}));
}

export async function getFlow(deps: Deps, auth: AuthContext, id: string): Promise<Flow> {
  const [flow] = await present(deps.db, auth.workspaceId, await findFlowRows(deps.db, auth.workspaceId, { id }));
  if (!flow) {
    throw new AppError('not_found');
  }
  return flow;
}

/** Creates an approval flow for a registered subject type (contract, payment, …). */
export async function createFlow(deps: Deps, auth: AuthContext, actor: AuditActor, body: CreateFlowBody): Promise<Flow> {
  if (!approvalSubjectTypes().includes(body.subjectType)) {
    throw new AppError('validation_failed', { errors: [{ path: 'subjectType', message: `must be one of ${approvalSubjectTypes().join(', ')}` }] });
  }
  await validateFlow(deps, auth.workspaceId, body);
  const id = newId();
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('approvalFlows')
      .values({
        id,
        workspaceId: auth.workspaceId,
        subjectType: body.subjectType,
        name: body.name,
        description: body.description ?? null,
        priority: body.priority,
        minAmountCents: body.minAmount ?? null,
        maxAmountCents: body.maxAmount ?? null,
        active: body.active ? 1 : 0,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await writeSteps(trx, auth.workspaceId, id, body.steps);
  });
  await recordAudit(deps, actor, { action: 'approval_flow.created', targetType: 'approvalFlow', targetId: id, detail: { name: body.name, subjectType: body.subjectType } });
  return getFlow(deps, auth, id);
}

/** Edits a flow; `steps` replaces them all. Approvals already running keep the steps they started with. */
export async function updateFlow(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: UpdateFlowBody, expectedVersion?: number): Promise<Flow> {
  const current = await getFlow(deps, auth, id);
  await validateFlow(deps, auth.workspaceId, {
    steps: body.steps,
    minAmount: body.minAmount === undefined ? centsOf(current.minAmount) : body.minAmount,
    maxAmount: body.maxAmount === undefined ? centsOf(current.maxAmount) : body.maxAmount,
  });
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    let query = trx
      .updateTable('approvalFlows')
      .set((eb) => ({
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.priority !== undefined ? { priority: body.priority } : {}),
        ...(body.minAmount !== undefined ? { minAmountCents: body.minAmount } : {}),
        ...(body.maxAmount !== undefined ? { maxAmountCents: body.maxAmount } : {}),
        ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
        updatedAt: now,
        version: eb('version', '+', 1),
      }))
      .where('workspaceId', '=', auth.workspaceId)
      .where('id', '=', id);
    if (expectedVersion !== undefined) {
      query = query.where('version', '=', expectedVersion);
    }
    const result = await query.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new AppError('version_mismatch');
    }
    if (body.steps) {
      await writeSteps(trx, auth.workspaceId, id, body.steps);
    }
  });
  await recordAudit(deps, actor, { action: 'approval_flow.updated', targetType: 'approvalFlow', targetId: id, detail: { fields: Object.keys(body) } });
  return getFlow(deps, auth, id);
}

export async function deleteFlow(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  await getFlow(deps, auth, id);
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('approvalFlowSteps').where('workspaceId', '=', auth.workspaceId).where('flowId', '=', id).execute();
    await trx.deleteFrom('approvalFlows').where('workspaceId', '=', auth.workspaceId).where('id', '=', id).execute();
  });
  await recordAudit(deps, actor, { action: 'approval_flow.deleted', targetType: 'approvalFlow', targetId: id });
}
