import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import { isUniqueViolation } from '../../db/dialect';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { deleteUserSessions } from '../auth/sessions.repo';
import { assertPasswordPolicy, hashPassword } from '../auth/passwords';
import { findGrants, findOrgGraph, findUserRoleIds } from '../permissions/permissions.repo';
import { assertCanDelegate, assertWritableFields, fieldAccess, presentFields, scopeFilter } from '../permissions/permissions.service';
import {
  activeAdminIds,
  countExisting,
  findRolesOfUsers,
  findUser,
  findUserCredentials,
  insertUser,
  listUsers,
  setPasswordHash,
  setUserRoles,
  updateUser,
  type UserPatch,
  type UserRow,
} from './users.repo';
import type { CreateUserBody, ListUsersQuery, UpdateUserBody, User } from './users.schema';

/** Which response properties carry each permission-catalog field of the user entity. */
const userFieldKeys: Record<string, (keyof User)[]> = {
  email: ['email'],
  phone: ['phone'],
  department: ['departmentId', 'departmentName'],
  manager: ['managerId', 'managerName'],
  roles: ['roleIds', 'roleNames'],
};

/** Refuses to hand out roles that can do more than the caller can. */
async function assertCanAssignRoles(deps: Deps, auth: AuthContext, roleIds: readonly string[]): Promise<void> {
  if (roleIds.length > 0) {
    assertCanDelegate(auth.permissions, await findGrants(deps.db, auth.workspaceId, roleIds));
  }
}

/** Changing a user who holds more power than the caller (say, resetting an admin's password) would be a takeover. */
async function assertOutranks(deps: Deps, auth: AuthContext, userId: string): Promise<void> {
  await assertCanAssignRoles(deps, auth, await findUserRoleIds(deps.db, auth.workspaceId, userId));
}

/** The catalog fields a write sets, for the field-permission check. */
function touchedFields(body: Partial<Pick<CreateUserBody, 'name' | 'email' | 'phone' | 'departmentId' | 'managerId' | 'roleIds'>>): string[] {
  const map = { name: 'name', email: 'email', phone: 'phone', departmentId: 'department', managerId: 'manager', roleIds: 'roles' } as const;
  return (Object.keys(map) as (keyof typeof map)[]).filter((k) => body[k] !== undefined).map((k) => map[k]);
}

async function withRoles(db: Kysely<Database>, workspaceId: string, rows: readonly UserRow[]): Promise<User[]> {
  const roles = await findRolesOfUsers(
    db,
    workspaceId,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const mine = roles.filter((r) => r.userId === row.id);
    return {
      ...row,
      status: row.status,
      roleIds: mine.map((r) => r.id),
      roleNames: mine.map((r) => r.name),
    };
  });
}

function present(auth: AuthContext, user: User): User {
  return presentFields(auth.permissions, 'user', user, userFieldKeys);
}

async function loadVisible(deps: Deps, auth: AuthContext, id: string, action: 'view' | 'edit' | 'delete'): Promise<User> {
  const scope = await scopeFilter(deps, auth, 'user', action);
  const row = await findUser(deps.db, auth.workspaceId, id, scope);
  if (!row) {
    throw new AppError('not_found');
  }
  const [user] = await withRoles(deps.db, auth.workspaceId, [row]);
  return user as User;
}

/** Lists users the caller may see (data scope of user:view), newest last, keyset-paged. */
export async function listUsersPage(deps: Deps, auth: AuthContext, query: ListUsersQuery) {
  const scope = await scopeFilter(deps, auth, 'user', 'view');
  const after = query.cursor ? decodeCursor(query.cursor, ['createdAt', 'id']) : undefined;
  // Searching or filtering by a hidden or masked field would reveal it one guess at a time.
  const searchIn = (['name', 'email', 'phone'] as const).filter((field) => {
    const rule = fieldAccess(auth.permissions, 'user', field);
    return rule.access !== 'hidden' && !rule.masked;
  });
  if (query.departmentId && fieldAccess(auth.permissions, 'user', 'department').access === 'hidden') {
    throw new AppError('field_forbidden', { errors: [{ path: 'departmentId', message: 'not visible for your role' }] });
  }
  const rows = await listUsers(deps.db, deps.dialect, auth.workspaceId, scope, { ...query, after, searchIn });
  const pageRows = rows.slice(0, query.limit);
  const users = await withRoles(deps.db, auth.workspaceId, pageRows);
  const last = pageRows.at(-1);
  return {
    data: users.map((u) => present(auth, u)),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

export async function getUser(deps: Deps, auth: AuthContext, id: string): Promise<User> {
  return present(auth, await loadVisible(deps, auth, id, 'view'));
}

async function assertReferences(
  deps: Deps,
  workspaceId: string,
  refs: { departmentId?: string | null | undefined; managerId?: string | null | undefined; roleIds?: readonly string[] | undefined },
): Promise<void> {
  const errors: { path: string; message: string }[] = [];
  if (refs.departmentId && (await countExisting(deps.db, workspaceId, 'departments', [refs.departmentId])) !== 1) {
    errors.push({ path: 'departmentId', message: 'no such department' });
  }
  if (refs.managerId && (await countExisting(deps.db, workspaceId, 'users', [refs.managerId])) !== 1) {
    errors.push({ path: 'managerId', message: 'no such user' });
  }
  const roleIds = [...new Set(refs.roleIds ?? [])];
  if (roleIds.length > 0 && (await countExisting(deps.db, workspaceId, 'roles', roleIds)) !== roleIds.length) {
    errors.push({ path: 'roleIds', message: 'no such role' });
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', { errors });
  }
}

/** Rejects a manager assignment that would make the chain loop back to the user. */
async function assertNoManagerCycle(deps: Deps, workspaceId: string, userId: string, managerId: string): Promise<void> {
  if (managerId === userId) {
    throw new AppError('manager_cycle');
  }
  const org = await findOrgGraph(deps.db, workspaceId);
  const managerOf = new Map(org.users.map((u) => [u.id, u.managerId]));
  const seen = new Set<string>();
  let current: string | null | undefined = managerId;
  while (current && !seen.has(current)) {
    if (current === userId) {
      throw new AppError('manager_cycle');
    }
    seen.add(current);
    current = managerOf.get(current);
  }
}

async function assertKeepsAnAdmin(deps: Deps, workspaceId: string, userId: string, stillAdmin: boolean): Promise<void> {
  if (stillAdmin) {
    return;
  }
  const admins = await activeAdminIds(deps.db, workspaceId);
  if (admins.length === 1 && admins[0] === userId) {
    throw new AppError('last_admin');
  }
}

export async function createUser(deps: Deps, auth: AuthContext, actor: AuditActor, body: CreateUserBody): Promise<User> {
  // On create, null and [] are the defaults (what a form sends for empty inputs): only a real
  // value sets a field, so a role that may not set roles or phone can still create users.
  const setFields = touchedFields({
    name: body.name,
    email: body.email,
    phone: body.phone ?? undefined,
    departmentId: body.departmentId ?? undefined,
    managerId: body.managerId ?? undefined,
    roleIds: body.roleIds.length > 0 ? body.roleIds : undefined,
  });
  assertWritableFields(auth.permissions, 'user', setFields);
  await assertReferences(deps, auth.workspaceId, body);
  await assertCanAssignRoles(deps, auth, body.roleIds);
  assertPasswordPolicy(body.password, body.email);
  const id = newId();
  const now = nowIso(deps);
  const passwordHash = await hashPassword(body.password, { memoryKib: deps.config.argon2MemoryKib });
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertUser(trx, {
        id,
        workspaceId: auth.workspaceId,
        email: body.email,
        name: body.name,
        phone: body.phone ?? null,
        passwordHash,
        departmentId: body.departmentId ?? null,
        managerId: body.managerId ?? null,
        status: 'active',
        locale: body.locale ?? null,
        lockedUntil: null,
        lastLoginAt: null,
        passwordChangedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      await setUserRoles(trx, auth.workspaceId, id, [...new Set(body.roleIds)]);
    });
  } catch (error) {
    throw translateEmailConflict(error);
  }
  await recordAudit(deps, actor, {
    action: 'user.created',
    targetType: 'user',
    targetId: id,
    detail: { email: body.email, name: body.name, roleIds: body.roleIds },
  });
  return getUser(deps, auth, id).catch(() => loadVisibleUnscoped(deps, auth, id));
}

/** A creator may be unable to see the user they created (narrow view scope); show it once anyway. */
async function loadVisibleUnscoped(deps: Deps, auth: AuthContext, id: string): Promise<User> {
  const row = await findUser(deps.db, auth.workspaceId, id);
  if (!row) {
    throw new AppError('not_found');
  }
  const [user] = await withRoles(deps.db, auth.workspaceId, [row]);
  return present(auth, user as User);
}

function translateEmailConflict(error: unknown): unknown {
  return isUniqueViolation(error) ? new AppError('email_taken', { errors: [{ path: 'email', message: 'already in use' }] }) : error;
}

export async function updateUserProfile(
  deps: Deps,
  auth: AuthContext,
  actor: AuditActor,
  id: string,
  body: UpdateUserBody,
  expectedVersion?: number,
): Promise<User> {
  const before = await loadVisible(deps, auth, id, 'edit');
  await assertOutranks(deps, auth, id);
  assertWritableFields(auth.permissions, 'user', touchedFields(body));
  await assertReferences(deps, auth.workspaceId, body);
  if (body.roleIds !== undefined) {
    await assertCanAssignRoles(deps, auth, body.roleIds);
  }
  if (body.managerId) {
    await assertNoManagerCycle(deps, auth.workspaceId, id, body.managerId);
  }
  if (body.roleIds !== undefined) {
    const adminRoleIds = await adminRoleIdsOf(deps, auth.workspaceId);
    await assertKeepsAnAdmin(deps, auth.workspaceId, id, body.roleIds.some((r) => adminRoleIds.includes(r)));
  }
  const patch: UserPatch = {};
  for (const key of ['name', 'email', 'phone', 'departmentId', 'managerId'] as const) {
    if (body[key] !== undefined) {
      patch[key] = body[key] as never;
    }
  }
  try {
    await deps.db.transaction().execute(async (trx) => {
      const updated = await updateUser(trx, auth.workspaceId, id, patch, nowIso(deps), expectedVersion);
      if (updated === 0) {
        throw new AppError('version_mismatch');
      }
      if (body.roleIds !== undefined) {
        await setUserRoles(trx, auth.workspaceId, id, [...new Set(body.roleIds)]);
      }
    });
  } catch (error) {
    throw translateEmailConflict(error);
  }
  const after = await loadVisibleUnscoped(deps, auth, id);
  await recordAudit(deps, actor, {
    action: 'user.updated',
    targetType: 'user',
    targetId: id,
    detail: { changes: diff(before, after, ['name', 'email', 'phone', 'departmentId', 'managerId', 'roleIds']) },
  });
  return after;
}

function diff(before: User, after: User, keys: (keyof User)[]): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of keys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
    }
  }
  return changes;
}

async function adminRoleIdsOf(deps: Deps, workspaceId: string): Promise<string[]> {
  const rows = await deps.db.selectFrom('roles').select('id').where('workspaceId', '=', workspaceId).where('key', '=', 'admin').execute();
  return rows.map((r) => r.id);
}

/** Deactivated users cannot sign in (their sessions end now); their records stay. */
export async function setUserStatus(
  deps: Deps,
  auth: AuthContext,
  actor: AuditActor,
  id: string,
  status: 'active' | 'inactive',
): Promise<User> {
  await loadVisible(deps, auth, id, 'delete');
  await assertOutranks(deps, auth, id);
  if (status === 'inactive') {
    if (id === auth.userId) {
      throw new AppError('self_action');
    }
    await assertKeepsAnAdmin(deps, auth.workspaceId, id, false);
  }
  await updateUser(deps.db, auth.workspaceId, id, { status }, nowIso(deps));
  if (status === 'inactive') {
    await deleteUserSessions(deps.db, auth.workspaceId, id);
  }
  await recordAudit(deps, actor, { action: status === 'inactive' ? 'user.deactivated' : 'user.activated', targetType: 'user', targetId: id });
  return loadVisibleUnscoped(deps, auth, id);
}

/** An admin sets a new password; the user is signed out everywhere. */
export async function resetUserPassword(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, password: string): Promise<void> {
  await loadVisible(deps, auth, id, 'edit');
  await assertOutranks(deps, auth, id);
  const creds = await findUserCredentials(deps.db, auth.workspaceId, id);
  if (!creds) {
    throw new AppError('not_found');
  }
  assertPasswordPolicy(password, creds.email);
  const hash = await hashPassword(password, { memoryKib: deps.config.argon2MemoryKib });
  await setPasswordHash(deps.db, auth.workspaceId, id, hash, nowIso(deps));
  await deleteUserSessions(deps.db, auth.workspaceId, id);
  await recordAudit(deps, actor, { action: 'user.password_reset', targetType: 'user', targetId: id });
}

/** A user's own record, unmasked: field rules protect other people's data, not your own. */
export async function getOwnUser(deps: Deps, workspaceId: string, userId: string): Promise<User> {
  const row = await findUser(deps.db, workspaceId, userId);
  if (!row) {
    throw new AppError('not_found');
  }
  const [user] = await withRoles(deps.db, workspaceId, [row]);
  return user as User;
}
