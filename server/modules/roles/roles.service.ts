import { type Action, findEntity } from '../../../common/permissions';
import { isUniqueViolation } from '../../db/dialect';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError, type FieldError } from '../../http/app-error';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { customCatalogFields } from '../custom-fields/custom-fields.service';
import { assertCanDelegate, type Permissions } from '../permissions/permissions.service';
import { countRoleUsage, deleteRole, findRoleGrants, insertRole, listRoles, replaceFieldRules, replaceGrants, updateRoleRow } from './roles.repo';
import type { CreateRoleBody, Role, RoleSummary, UpdateRoleBody } from './roles.schema';

type Grant = CreateRoleBody['permissions'][number];
type FieldRule = CreateRoleBody['fieldRules'][number];

/**
 * Checks grants and field rules against the catalog and normalises them: unscoped entities
 * always carry 'all'; duplicate entries collapse; default field rules (editable, unmasked) are dropped.
 */
type ExtraFields = Map<string, { key: string; mask?: string }[]>;

function normalise(permissions: readonly Grant[], fieldRules: readonly FieldRule[], extraFields: ExtraFields = new Map()) {
  const errors: FieldError[] = [];
  const grants = new Map<string, Grant>();
  permissions.forEach((g, i) => {
    const entity = findEntity(g.entity);
    if (!entity) {
      errors.push({ path: `permissions.${i}.entity`, message: 'unknown entity' });
      return;
    }
    if (!entity.actions.includes(g.action)) {
      errors.push({ path: `permissions.${i}.action`, message: `not an action of ${g.entity}` });
      return;
    }
    grants.set(`${g.entity}:${g.action}`, { ...g, scope: entity.scoped ? g.scope : 'all' });
  });
  const rules = new Map<string, FieldRule>();
  fieldRules.forEach((r, i) => {
    const field = findEntity(r.entity)?.fields.find((f) => f.key === r.field) ?? extraFields.get(r.entity)?.find((f) => f.key === r.field);
    if (!field) {
      errors.push({ path: `fieldRules.${i}`, message: 'unknown entity field' });
      return;
    }
    if (r.masked && !field.mask) {
      errors.push({ path: `fieldRules.${i}.masked`, message: 'this field cannot be masked' });
      return;
    }
    if (r.access === 'edit' && !r.masked) {
      return;
    }
    rules.set(`${r.entity}:${r.field}`, { ...r, masked: r.access !== 'hidden' && r.masked });
  });
  if (errors.length > 0) {
    throw new AppError('validation_failed', { errors });
  }
  return { grants: [...grants.values()], rules: [...rules.values()] };
}

function toSummary(row: Awaited<ReturnType<typeof listRoles>>[number]): RoleSummary {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    isSystem: row.isSystem === 1,
    userCount: Number(row.userCount ?? 0),
  };
}

export async function listRoleSummaries(deps: Deps, workspaceId: string): Promise<RoleSummary[]> {
  return (await listRoles(deps.db, workspaceId)).map(toSummary);
}

export async function getRole(deps: Deps, workspaceId: string, id: string): Promise<Role> {
  const row = (await listRoles(deps.db, workspaceId)).find((r) => r.id === id);
  if (!row) {
    throw new AppError('not_found');
  }
  const grants = await findRoleGrants(deps.db, workspaceId, id);
  return {
    ...toSummary(row),
    version: row.version,
    permissions: grants.permissions.map((g) => ({ entity: g.entity, action: g.action as Action, scope: g.scope as Grant['scope'] })),
    fieldRules: grants.fieldRules.map((r) => ({ entity: r.entity, field: r.field, access: r.access as FieldRule['access'], masked: r.masked === 1 })),
  };
}

function translateNameConflict(error: unknown): unknown {
  return isUniqueViolation(error) ? new AppError('name_taken', { errors: [{ path: 'name', message: 'already in use' }] }) : error;
}

export async function createRole(deps: Deps, actor: AuditActor, permissions: Permissions, body: CreateRoleBody): Promise<Role> {
  const { grants, rules } = normalise(body.permissions, body.fieldRules, await customCatalogFields(deps, actor.workspaceId));
  assertCanDelegate(permissions, grants);
  const id = newId();
  const now = nowIso(deps);
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertRole(trx, {
        id,
        workspaceId: actor.workspaceId,
        key: null,
        name: body.name,
        description: body.description ?? null,
        isSystem: 0,
        createdAt: now,
        updatedAt: now,
      });
      await replaceGrants(trx, actor.workspaceId, id, grants);
      await replaceFieldRules(trx, actor.workspaceId, id, rules);
    });
  } catch (error) {
    throw translateNameConflict(error);
  }
  await recordAudit(deps, actor, { action: 'role.created', targetType: 'role', targetId: id, detail: { name: body.name, permissions: grants, fieldRules: rules } });
  return getRole(deps, actor.workspaceId, id);
}

export async function updateRole(
  deps: Deps,
  actor: AuditActor,
  permissions: Permissions,
  id: string,
  body: UpdateRoleBody,
  expectedVersion?: number,
): Promise<Role> {
  const before = await getRole(deps, actor.workspaceId, id);
  // The admin role must always be able to do everything, or a workspace could lock itself out.
  if (before.key === 'admin' && (body.permissions !== undefined || body.fieldRules !== undefined)) {
    throw new AppError('role_protected');
  }
  const normalised = normalise(body.permissions ?? [], body.fieldRules ?? [], await customCatalogFields(deps, actor.workspaceId));
  assertCanDelegate(permissions, normalised.grants);
  const patch: { name?: string; description?: string | null } = {};
  if (body.name !== undefined) {patch.name = body.name;}
  if (body.description !== undefined) {patch.description = body.description;}
  try {
    await deps.db.transaction().execute(async (trx) => {
      const updated = await updateRoleRow(trx, actor.workspaceId, id, patch, nowIso(deps), expectedVersion);
      if (updated === 0) {
        throw new AppError('version_mismatch');
      }
      if (body.permissions !== undefined) {
        await replaceGrants(trx, actor.workspaceId, id, normalised.grants);
      }
      if (body.fieldRules !== undefined) {
        await replaceFieldRules(trx, actor.workspaceId, id, normalised.rules);
      }
    });
  } catch (error) {
    throw translateNameConflict(error);
  }
  const after = await getRole(deps, actor.workspaceId, id);
  await recordAudit(deps, actor, {
    action: 'role.updated',
    targetType: 'role',
    targetId: id,
    detail: {
      from: { name: before.name, permissions: before.permissions, fieldRules: before.fieldRules },
      to: { name: after.name, permissions: after.permissions, fieldRules: after.fieldRules },
    },
  });
  return after;
}

export async function removeRole(deps: Deps, actor: AuditActor, id: string): Promise<void> {
  const role = await getRole(deps, actor.workspaceId, id);
  if (role.key === 'admin') {
    throw new AppError('role_protected');
  }
  if ((await countRoleUsage(deps.db, actor.workspaceId, id)) > 0) {
    throw new AppError('role_in_use');
  }
  await deleteRole(deps.db, actor.workspaceId, id);
  await recordAudit(deps, actor, { action: 'role.deleted', targetType: 'role', targetId: id, detail: { name: role.name } });
}
