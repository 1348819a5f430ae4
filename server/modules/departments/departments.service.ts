import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { findOrgGraph } from '../permissions/permissions.repo';
import { isInDepartmentTree } from '../permissions/scope';
import { countExisting } from '../users/users.repo';
import {
  countDepartmentDependents,
  deleteDepartment,
  findDepartment,
  insertDepartment,
  listDepartments,
  maxSiblingSort,
  updateDepartment,
} from './departments.repo';
import type { CreateDepartmentBody, Department, UpdateDepartmentBody } from './departments.schema';

export async function listAllDepartments(deps: Deps, workspaceId: string): Promise<Department[]> {
  const rows = await listDepartments(deps.db, workspaceId);
  return rows.map((r) => ({ ...r, memberCount: Number(r.memberCount ?? 0) }));
}

async function getDepartment(deps: Deps, workspaceId: string, id: string): Promise<Department> {
  const found = (await listAllDepartments(deps, workspaceId)).find((d) => d.id === id);
  if (!found) {
    throw new AppError('not_found');
  }
  return found;
}

async function assertRefs(deps: Deps, workspaceId: string, parentId?: string | null, leaderId?: string | null): Promise<void> {
  const errors: { path: string; message: string }[] = [];
  if (parentId && (await countExisting(deps.db, workspaceId, 'departments', [parentId])) !== 1) {
    errors.push({ path: 'parentId', message: 'no such department' });
  }
  if (leaderId && (await countExisting(deps.db, workspaceId, 'users', [leaderId])) !== 1) {
    errors.push({ path: 'leaderId', message: 'no such user' });
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', { errors });
  }
}

export async function createDepartment(deps: Deps, actor: AuditActor, body: CreateDepartmentBody): Promise<Department> {
  const workspaceId = actor.workspaceId;
  await assertRefs(deps, workspaceId, body.parentId, body.leaderId);
  const id = newId();
  const now = nowIso(deps);
  const parentId = body.parentId ?? null;
  await insertDepartment(deps.db, {
    id,
    workspaceId,
    name: body.name,
    parentId,
    leaderId: body.leaderId ?? null,
    sort: body.sort ?? (await maxSiblingSort(deps.db, workspaceId, parentId)) + 1,
    createdAt: now,
    updatedAt: now,
  });
  await recordAudit(deps, actor, { action: 'department.created', targetType: 'department', targetId: id, detail: { name: body.name, parentId } });
  return getDepartment(deps, workspaceId, id);
}

/**
 * Renames, re-parents (drag and drop in the tree), sets the leader or the order among siblings.
 * With `expectedVersion` (If-Match) a department changed meanwhile answers 412 version_mismatch.
 */
export async function updateDepartmentById(deps: Deps, actor: AuditActor, id: string, body: UpdateDepartmentBody, expectedVersion?: number): Promise<Department> {
  const workspaceId = actor.workspaceId;
  const before = await findDepartment(deps.db, workspaceId, id);
  if (!before) {
    throw new AppError('not_found');
  }
  await assertRefs(deps, workspaceId, body.parentId, body.leaderId);
  if (body.parentId) {
    const org = await findOrgGraph(deps.db, workspaceId);
    if (isInDepartmentTree(org, id, body.parentId)) {
      throw new AppError('department_cycle');
    }
  }
  const patch: Parameters<typeof updateDepartment>[3] = {};
  if (body.name !== undefined) {patch.name = body.name;}
  if (body.parentId !== undefined) {patch.parentId = body.parentId;}
  if (body.leaderId !== undefined) {patch.leaderId = body.leaderId;}
  if (body.sort !== undefined) {patch.sort = body.sort;}
  if ((await updateDepartment(deps.db, workspaceId, id, patch, nowIso(deps), expectedVersion)) === 0) {
    throw new AppError('version_mismatch');
  }
  await recordAudit(deps, actor, {
    action: 'department.updated',
    targetType: 'department',
    targetId: id,
    detail: { from: { name: before.name, parentId: before.parentId, leaderId: before.leaderId }, to: patch },
  });
  return getDepartment(deps, workspaceId, id);
}

export async function deleteDepartmentById(deps: Deps, actor: AuditActor, id: string): Promise<void> {
  const workspaceId = actor.workspaceId;
  const existing = await findDepartment(deps.db, workspaceId, id);
  if (!existing) {
    throw new AppError('not_found');
  }
  const dependents = await countDepartmentDependents(deps.db, workspaceId, id);
  if (dependents.children > 0 || dependents.members > 0) {
    throw new AppError('department_not_empty', { detail: `${dependents.children} sub-departments, ${dependents.members} members` });
  }
  await deleteDepartment(deps.db, workspaceId, id);
  await recordAudit(deps, actor, { action: 'department.deleted', targetType: 'department', targetId: id, detail: { name: existing.name } });
}
