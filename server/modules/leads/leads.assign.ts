import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { inScope } from '../permissions/permissions.service';
import { advanceCursor, findLeadSettings, findRoundRobinMembers, saveLeadSettings } from './leads.assign.repo';
import { assertOpen, leadContext, loadLead } from './leads.context';
import { appendLeadEvents, type LeadRow, updateLeadRow } from './leads.repo';
import { reindexLeads } from './leads.search';
import type { LeadSettingsBody } from './leads.schema';

/**
 * The next `count` owners of a department's round-robin (轮流分配): the cursor advances atomically
 * inside the caller's transaction, so concurrent creates never hand out the same turn twice.
 */
export async function roundRobinOwners(trx: Kysely<Database>, workspaceId: string, departmentId: string, count: number, at: string): Promise<string[]> {
  const members = await findRoundRobinMembers(trx, workspaceId, departmentId);
  if (members.length === 0) {
    throw new AppError('business_rule', { detail: 'The department has no active members who work leads' });
  }
  const end = await advanceCursor(trx, workspaceId, departmentId, count, at);
  return Array.from({ length: count }, (_, i) => members[(end - count + i) % members.length] as string);
}

export async function getLeadSettings(deps: Deps, workspaceId: string) {
  const row = await findLeadSettings(deps.db, workspaceId);
  return {
    autoAssignDepartmentId: row?.autoAssignDepartmentId ?? null,
    autoAssignDepartmentName: row?.autoAssignDepartmentName ?? null,
    autoAssignOnCreate: row?.autoAssignOnCreate === 1,
  };
}

/** The automatic assignment setting: an admin's (lead:assign over everyone). */
export async function updateLeadSettings(deps: Deps, auth: AuthContext, actor: AuditActor, body: LeadSettingsBody) {
  const ctx = await leadContext(deps, auth);
  if (ctx.assign?.kind !== 'all') {
    throw new AppError('forbidden');
  }
  if (body.autoAssignOnCreate && !body.autoAssignDepartmentId) {
    throw new AppError('validation_failed', { errors: [{ path: 'autoAssignDepartmentId', message: 'choose the department to assign within' }] });
  }
  if (body.autoAssignDepartmentId) {
    const department = await deps.db.selectFrom('departments').select('id').where('workspaceId', '=', auth.workspaceId).where('id', '=', body.autoAssignDepartmentId).executeTakeFirst();
    if (!department) {
      throw new AppError('validation_failed', { errors: [{ path: 'autoAssignDepartmentId', message: 'no such department' }] });
    }
  }
  await saveLeadSettings(deps.db, auth.workspaceId, {
    autoAssignDepartmentId: body.autoAssignDepartmentId,
    autoAssignOnCreate: body.autoAssignOnCreate ? 1 : 0,
    updatedAt: nowIso(deps),
    updatedBy: auth.userId,
  });
  await recordAudit(deps, actor, { action: 'lead.settings_changed', targetType: 'lead', detail: { ...body } });
  return getLeadSettings(deps, auth.workspaceId);
}

export interface AssignInput {
  ownerId?: string | undefined;
  departmentId?: string | undefined;
  reason?: string | undefined;
}

/**
 * 分配: gives leads to one user, or deals them out round-robin over a department's active members
 * (the department given, else the one in the settings). Needs lead:assign over the current owners
 * and over the new ones. Every change of owner lands on the lead's history.
 */
export async function assignLeads(deps: Deps, auth: AuthContext, actor: AuditActor, ids: readonly string[], input: AssignInput): Promise<{ assigned: number; owners: Record<string, string> }> {
  const ctx = await leadContext(deps, auth);
  const scope = ctx.assign;
  if (!scope) {
    throw new AppError('forbidden');
  }
  const unique = [...new Set(ids)];
  const rows: LeadRow[] = [];
  for (const id of unique) {
    const row = await loadLead(deps, ctx, id);
    assertOpen(row);
    if (!inScope(scope, row.ownerId)) {
      throw new AppError('forbidden', { detail: `You may not assign ${row.name}` });
    }
    rows.push(row);
  }
  let departmentId: string | null = null;
  if (input.ownerId) {
    const user = await deps.db.selectFrom('users').select(['id', 'status']).where('workspaceId', '=', auth.workspaceId).where('id', '=', input.ownerId).executeTakeFirst();
    if (!user || user.status !== 'active') {
      throw new AppError('validation_failed', { errors: [{ path: 'ownerId', message: 'no such active user' }] });
    }
    if (!inScope(scope, input.ownerId)) {
      throw new AppError('forbidden', { detail: 'You may not assign leads to this user' });
    }
  } else {
    departmentId = input.departmentId ?? (await getLeadSettings(deps, auth.workspaceId)).autoAssignDepartmentId;
    if (!departmentId) {
      throw new AppError('validation_failed', { errors: [{ path: 'departmentId', message: 'choose a department (none is set for automatic assignment)' }] });
    }
    const department = await deps.db.selectFrom('departments').select('id').where('workspaceId', '=', auth.workspaceId).where('id', '=', departmentId).executeTakeFirst();
    if (!department) {
      throw new AppError('validation_failed', { errors: [{ path: 'departmentId', message: 'no such department' }] });
    }
    const members = await findRoundRobinMembers(deps.db, auth.workspaceId, departmentId);
    if (members.some((m) => !inScope(scope, m))) {
      throw new AppError('forbidden', { detail: 'You may not assign leads to everyone in this department' });
    }
  }
  const now = nowIso(deps);
  const owners: Record<string, string> = {};
  await deps.db.transaction().execute(async (trx) => {
    const targets = departmentId ? await roundRobinOwners(trx, auth.workspaceId, departmentId, rows.length, now) : rows.map(() => input.ownerId as string);
    for (const [i, row] of rows.entries()) {
      const ownerId = targets[i] as string;
      owners[row.id] = ownerId;
      if (row.ownerId === ownerId) {
        continue;
      }
      if ((await updateLeadRow(trx, auth.workspaceId, row.id, { ownerId, ownerSince: now }, now)) === 0) {
        throw new AppError('lead_converted');
      }
      await appendLeadEvents(trx, [
        {
          workspaceId: auth.workspaceId,
          leadId: row.id,
          kind: 'assigned',
          actorUserId: auth.userId,
          data: { from: row.ownerId, fromName: row.ownerName, to: ownerId, via: departmentId ? 'round_robin' : 'manual', departmentId, reason: input.reason ?? null },
          at: now,
        },
      ]);
    }
    // The search index scopes by owner.
    await reindexLeads(trx, deps.dialect, auth.workspaceId, rows.map((r) => r.id));
  });
  await recordAudit(deps, actor, { action: 'lead.assigned', targetType: 'lead', detail: { owners, departmentId, reason: input.reason ?? null } });
  return { assigned: rows.length, owners };
}
