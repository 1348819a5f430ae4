import type { Kysely } from 'kysely';
import { containsInsensitive, type DialectName } from '../../db/dialect';
import type { Database, UsersTable } from '../../db/types';
import type { ScopeFilter } from '../permissions/scope';
import { updateVersioned } from '../../db/versioned-update';

const userColumns = [
  'u.id',
  'u.name',
  'u.email',
  'u.phone',
  'u.departmentId',
  'd.name as departmentName',
  'u.managerId',
  'm.name as managerName',
  'u.status',
  'u.locale',
  'u.lastLoginAt',
  'u.createdAt',
  'u.updatedAt',
  'u.version',
] as const;

function baseQuery(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.departmentId')
    .leftJoin('users as m', 'm.id', 'u.managerId')
    .select(userColumns)
    .where('u.workspaceId', '=', workspaceId);
}

export type UserRow = Awaited<ReturnType<typeof findUser>> & object;

export async function findUser(db: Kysely<Database>, workspaceId: string, id: string, scope?: ScopeFilter) {
  let q = baseQuery(db, workspaceId).where('u.id', '=', id);
  if (scope && scope.kind === 'owners') {
    q = scope.ownerIds.length === 0 ? q.where((eb) => eb.val(false)) : q.where('u.id', 'in', scope.ownerIds);
  }
  return q.executeTakeFirst();
}

export type SearchableUserColumn = 'name' | 'email' | 'phone';

export interface UserListFilter {
  q?: string | undefined;
  status?: 'active' | 'inactive' | undefined;
  departmentId?: string | undefined;
  /** The columns `q` searches: only those the caller may read in clear. */
  searchIn: readonly SearchableUserColumn[];
  limit: number;
  after?: { createdAt: string; id: string } | undefined;
}

/** Keyset page ordered by creation; the data scope is part of the WHERE clause. */
export async function listUsers(db: Kysely<Database>, dialect: DialectName, workspaceId: string, scope: ScopeFilter, f: UserListFilter) {
  let q = baseQuery(db, workspaceId);
  if (scope.kind === 'owners') {
    if (scope.ownerIds.length === 0) {
      return [];
    }
    q = q.where('u.id', 'in', scope.ownerIds);
  }
  if (f.status) {
    q = q.where('u.status', '=', f.status);
  }
  if (f.departmentId) {
    q = q.where('u.departmentId', '=', f.departmentId);
  }
  const text = f.q;
  if (text) {
    q = q.where((eb) => eb.or(f.searchIn.map((column) => containsInsensitive(dialect, `u.${column}`, text))));
  }
  const after = f.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([eb('u.createdAt', '>', after.createdAt), eb.and([eb('u.createdAt', '=', after.createdAt), eb('u.id', '>', after.id)])]),
    );
  }
  return q.orderBy('u.createdAt', 'asc').orderBy('u.id', 'asc').limit(f.limit + 1).execute();
}

export async function findRolesOfUsers(db: Kysely<Database>, workspaceId: string, userIds: readonly string[]) {
  if (userIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('userRoles as ur')
    .innerJoin('roles as r', 'r.id', 'ur.roleId')
    .select(['ur.userId', 'r.id', 'r.name'])
    .where('ur.workspaceId', '=', workspaceId)
    .where('ur.userId', 'in', userIds)
    .orderBy('r.name')
    .execute();
}

export async function insertUser(db: Kysely<Database>, row: Omit<UsersTable, 'failedLogins' | 'version'>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export type UserPatch = Partial<Pick<UsersTable, 'name' | 'email' | 'phone' | 'departmentId' | 'managerId' | 'status' | 'locale'>>;

/** Optimistic concurrency: with `expectedVersion`, the update only happens on that version. */
export async function updateUser(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: UserPatch,
  at: string,
  expectedVersion?: number,
): Promise<number> {
  return updateVersioned(db, 'users', workspaceId, id, { ...patch, updatedAt: at }, expectedVersion);
}

export async function setUserRoles(db: Kysely<Database>, workspaceId: string, userId: string, roleIds: readonly string[]): Promise<void> {
  await db.deleteFrom('userRoles').where('workspaceId', '=', workspaceId).where('userId', '=', userId).execute();
  if (roleIds.length > 0) {
    await db
      .insertInto('userRoles')
      .values(roleIds.map((roleId) => ({ workspaceId, userId, roleId })))
      .execute();
  }
}

export async function countExisting(
  db: Kysely<Database>,
  workspaceId: string,
  table: 'departments' | 'users' | 'roles',
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) {
    return 0;
  }
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active users holding the admin role: the last one may not be demoted or deactivated. */
export async function activeAdminIds(db: Kysely<Database>, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('userRoles as ur')
    .innerJoin('roles as r', 'r.id', 'ur.roleId')
    .innerJoin('users as u', 'u.id', 'ur.userId')
    .select('u.id')
    .where('ur.workspaceId', '=', workspaceId)
    .where('r.key', '=', 'admin')
    .where('u.status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

export async function findUserCredentials(db: Kysely<Database>, workspaceId: string, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'passwordHash', 'status'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function setPasswordHash(db: Kysely<Database>, workspaceId: string, id: string, hash: string, at: string): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ passwordHash: hash, passwordChangedAt: at, updatedAt: at, failedLogins: 0, lockedUntil: null, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}
