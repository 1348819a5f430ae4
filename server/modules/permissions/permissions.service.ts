import {
  type Action,
  type FieldAccessLevel,
  findEntity,
  maskValue,
  type PermissionKey,
  permissionKey,
  type Scope,
  scopes as allScopes,
} from '../../../common/permissions';
import { AppError } from '../../http/app-error';
import type { Deps } from '../../deps';
import { cached, versionFor } from './authz-cache';
import { stampVersion } from './authz-stamps';
import { findFieldRules, findGrants, findOrgGraph } from './permissions.repo';
import { type OrgGraph, resolveScope, type ScopeFilter } from './scope';

export interface FieldAccess {
  access: FieldAccessLevel;
  masked: boolean;
}

/** A principal's effective permissions: the union of all its roles. */
export interface Permissions {
  /** permission key → every scope some role grants for it */
  actions: Map<PermissionKey, Scope[]>;
  /** entity → field → access; fields without an entry are editable and unmasked */
  fields: Map<string, Map<string, FieldAccess>>;
}

/** The slice of the request's auth context the engine needs. */
export interface Principal {
  workspaceId: string;
  userId: string | null;
  permissions: Permissions;
}

const accessRank: Record<FieldAccessLevel, number> = { hidden: 0, read: 1, edit: 2 };

function isScope(value: string): value is Scope {
  return (allScopes as readonly string[]).includes(value);
}

function isAccess(value: string): value is FieldAccessLevel {
  return value in accessRank;
}

/**
 * Loads and merges the grants of a set of roles. A user with several roles gets the widest of each.
 * Cached per workspace authorisation version (see authz-cache.ts): one small read per request
 * instead of two queries and the merge. The answer is shared between requests: never mutate it.
 */
export async function resolvePermissions(deps: Deps, workspaceId: string, roleIds: readonly string[]): Promise<Permissions> {
  const version = await versionFor(deps, workspaceId, roleIds);
  const roles = [...new Set(roleIds)].sort();
  const permissions = await cached(deps, `permissions|${workspaceId}|${version}|${roles.join(',')}`, () => loadPermissions(deps, workspaceId, roles));
  stampVersion(permissions, workspaceId, version);
  return permissions;
}

async function loadPermissions(deps: Deps, workspaceId: string, roleIds: readonly string[]): Promise<Permissions> {
  const [grants, rules] = await Promise.all([
    findGrants(deps.db, workspaceId, roleIds),
    findFieldRules(deps.db, workspaceId, roleIds),
  ]);
  const actions = new Map<PermissionKey, Scope[]>();
  /** entity → the roles granting any action on it: only their field rules count for it */
  const rolesByEntity = new Map<string, Set<string>>();
  for (const g of grants) {
    const definition = findEntity(g.entity);
    if (!definition || !definition.actions.includes(g.action as Action) || !isScope(g.scope)) {
      continue; // a grant for something no longer registered grants nothing
    }
    rolesByEntity.set(g.entity, (rolesByEntity.get(g.entity) ?? new Set<string>()).add(g.roleId));
    const key = permissionKey(g.entity, g.action as Action);
    const list = actions.get(key) ?? [];
    if (!list.includes(g.scope)) {
      list.push(g.scope);
    }
    actions.set(key, list);
  }

  // Field rules restrict; a role without a rule for a field leaves it editable. So the merged
  // rule for a field is a restriction only when every role with access to the entity restricts
  // it — a role that grants nothing on the entity (say, departments only) lifts nothing.
  const byField = new Map<string, Map<string, FieldAccess>>();
  for (const r of rules) {
    if (!isAccess(r.access) || !rolesByEntity.get(r.entity)?.has(r.roleId)) {
      continue;
    }
    const id = `${r.entity}\u0000${r.field}`;
    const perRole = byField.get(id) ?? new Map<string, FieldAccess>();
    perRole.set(r.roleId, { access: r.access, masked: r.masked === 1 });
    byField.set(id, perRole);
  }
  const fields = new Map<string, Map<string, FieldAccess>>();
  for (const [id, perRole] of byField) {
    const [entity = '', field = ''] = id.split('\u0000');
    if (perRole.size < (rolesByEntity.get(entity)?.size ?? 0)) {
      continue;
    }
    let access: FieldAccessLevel = 'hidden';
    let masked = true;
    for (const rule of perRole.values()) {
      if (accessRank[rule.access] > accessRank[access]) {
        access = rule.access;
      }
      if (rule.access !== 'hidden' && !rule.masked) {
        masked = false;
      }
    }
    if (access === 'edit' && !masked) {
      continue;
    }
    const entityFields = fields.get(entity) ?? new Map<string, FieldAccess>();
    entityFields.set(field, { access, masked: access !== 'hidden' && masked });
    fields.set(entity, entityFields);
  }
  return { actions, fields };
}

export function can(permissions: Permissions, key: PermissionKey): boolean {
  return (permissions.actions.get(key)?.length ?? 0) > 0;
}

export function requirePermission(permissions: Permissions, key: PermissionKey): void {
  if (!can(permissions, key)) {
    throw new AppError('forbidden');
  }
}

/**
 * The data scope of an action as a filter the repo turns into a WHERE clause. Throws 403 when
 * the action is not granted at all — routes check that earlier, this is the backstop.
 */
export async function scopeFilter(deps: Deps, principal: Principal, entity: string, action: Action): Promise<ScopeFilter> {
  const granted = principal.permissions.actions.get(permissionKey(entity, action)) ?? [];
  if (granted.length === 0) {
    throw new AppError('forbidden');
  }
  if (granted.includes('all')) {
    return { kind: 'all' };
  }
  const version = await versionFor(deps, principal.workspaceId, principal.permissions);
  const key = `scope|${principal.workspaceId}|${version}|${principal.userId ?? ''}|${[...granted].sort().join(',')}`;
  return cached(deps, key, async () => resolveScope(await orgGraphOf(deps, principal), principal.userId, granted));
}

/**
 * The workspace's organisation graph (users, departments) at the principal's authorisation
 * version: read once per change, not once per request (authz-cache.ts).
 */
export async function orgGraphOf(deps: Deps, principal: Principal): Promise<OrgGraph> {
  const version = await versionFor(deps, principal.workspaceId, principal.permissions);
  return cached(deps, `org|${principal.workspaceId}|${version}`, () => findOrgGraph(deps.db, principal.workspaceId));
}

export function inScope(filter: ScopeFilter, ownerId: string | null): boolean {
  return filter.kind === 'all' || (ownerId !== null && filter.ownerIds.includes(ownerId));
}

export function fieldAccess(permissions: Permissions, entity: string, field: string): FieldAccess {
  return permissions.fields.get(entity)?.get(field) ?? { access: 'edit', masked: false };
}

/**
 * Applies field rules to a record on its way out: hidden fields are removed, masked ones
 * masked. `fieldKeys` maps each catalog field to the record properties that carry it.
 */
export function presentFields<T extends object>(
  permissions: Permissions,
  entity: string,
  record: T,
  fieldKeys: Readonly<Record<string, readonly (keyof T)[]>>,
): T {
  const rules = permissions.fields.get(entity);
  if (!rules) {
    return record;
  }
  const definition = findEntity(entity);
  const out: T = { ...record };
  for (const [field, rule] of rules) {
    const keys = fieldKeys[field] ?? [];
    if (rule.access === 'hidden') {
      for (const key of keys) {
        delete out[key];
      }
      continue;
    }
    const kind = definition?.fields.find((f) => f.key === field)?.mask;
    if (rule.masked && kind) {
      for (const key of keys) {
        const value = out[key];
        if (typeof value === 'string' && value !== '') {
          out[key] = maskValue(kind, value) as T[keyof T];
        }
      }
    }
  }
  return out;
}

/** Whether the principal may write a field: not hidden, read-only or masked. */
export function canWriteField(permissions: Permissions, entity: string, field: string): boolean {
  const rule = fieldAccess(permissions, entity, field);
  return rule.access === 'edit' && !rule.masked;
}

/** Rejects a write that touches a field the principal may not edit (hidden, read-only or masked). */
export function assertWritableFields(permissions: Permissions, entity: string, fields: readonly string[]): void {
  const denied = fields.filter((f) => !canWriteField(permissions, entity, f));
  if (denied.length > 0) {
    throw new AppError('field_forbidden', {
      errors: denied.map((path) => ({ path, message: 'not editable for your role' })),
    });
  }
}

/** The JSON shape the web app receives from /auth/me. */
export function serializePermissions(permissions: Permissions) {
  const actions: Record<string, Scope> = {};
  const rank: Record<Scope, number> = { own: 0, subordinates: 1, department: 2, departmentTree: 3, all: 4 };
  for (const [key, list] of permissions.actions) {
    actions[key] = list.reduce((a, b) => (rank[b] > rank[a] ? b : a));
  }
  const fields: Record<string, Record<string, FieldAccess>> = {};
  for (const [entity, map] of permissions.fields) {
    fields[entity] = Object.fromEntries(map);
  }
  return { actions, fields };
}

/** Whether holding `held` scopes covers granting `wanted`: departmentTree covers department, all covers everything. */
function scopeCovers(held: readonly Scope[], wanted: Scope): boolean {
  if (held.includes('all') || held.includes(wanted)) {
    return true;
  }
  if (wanted === 'department' && held.includes('departmentTree')) {
    return true;
  }
  // Every scope includes the caller's own records.
  return wanted === 'own' && held.length > 0;
}

/**
 * Nobody hands out more than they hold: assigning a role to a user, giving it to an API key or
 * editing its grants is refused when the role can do something the caller cannot. Without this,
 * anyone with user:edit could make themselves an admin.
 */
export function assertCanDelegate(permissions: Permissions, grants: readonly { entity: string; action: string; scope: string }[]): void {
  const exceeding = grants.filter((g) => {
    const held = permissions.actions.get(`${g.entity}:${g.action}` as PermissionKey) ?? [];
    return !isScope(g.scope) || !scopeCovers(held, g.scope);
  });
  if (exceeding.length > 0) {
    throw new AppError('forbidden', {
      detail: `You cannot grant permissions you do not hold: ${exceeding.map((g) => `${g.entity}:${g.action}:${g.scope}`).join(', ')}`,
    });
  }
}
