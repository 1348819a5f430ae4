import type { Kysely } from 'kysely';
import type { Database, RolesTable } from '../../db/types';
import { updateVersioned } from '../../db/versioned-update';

export async function listRoles(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('roles as r')
    .select((eb) => [
      'r.id',
      'r.key',
      'r.name',
      'r.description',
      'r.isSystem',
      'r.version',
      eb
        .selectFrom('userRoles as ur')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('ur.roleId', '=', 'r.id')
        .where('ur.workspaceId', '=', workspaceId)
        .as('userCount'),
    ])
    .where('r.workspaceId', '=', workspaceId)
    .orderBy('r.isSystem', 'desc')
    .orderBy('r.createdAt')
    // Seeded roles share one createdAt; the time-ordered id keeps them in creation order.
    .orderBy('r.id')
    .execute();
}

export async function findRoleGrants(db: Kysely<Database>, workspaceId: string, roleId: string) {
  const [permissions, fieldRules] = await Promise.all([
    db
      .selectFrom('rolePermissions')
      .select(['entity', 'action', 'scope'])
      .where('workspaceId', '=', workspaceId)
      .where('roleId', '=', roleId)
      .orderBy('entity')
      .orderBy('action')
      .execute(),
    db
      .selectFrom('roleFieldRules')
      .select(['entity', 'field', 'access', 'masked'])
      .where('workspaceId', '=', workspaceId)
      .where('roleId', '=', roleId)
      .orderBy('entity')
      .orderBy('field')
      .execute(),
  ]);
  return { permissions, fieldRules };
}

export async function insertRole(db: Kysely<Database>, row: Omit<RolesTable, 'version'>): Promise<void> {
  await db.insertInto('roles').values(row).execute();
}

export async function updateRoleRow(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Partial<Pick<RolesTable, 'name' | 'description'>>,
  at: string,
  expectedVersion?: number,
): Promise<number> {
  return updateVersioned(db, 'roles', workspaceId, id, { ...patch, updatedAt: at }, expectedVersion);
}

export async function replaceGrants(
  db: Kysely<Database>,
  workspaceId: string,
  roleId: string,
  grants: readonly { entity: string; action: string; scope: string }[],
): Promise<void> {
  await db.deleteFrom('rolePermissions').where('workspaceId', '=', workspaceId).where('roleId', '=', roleId).execute();
  if (grants.length > 0) {
    await db
      .insertInto('rolePermissions')
      .values(grants.map((g) => ({ ...g, workspaceId, roleId })))
      .execute();
  }
}

export async function replaceFieldRules(
  db: Kysely<Database>,
  workspaceId: string,
  roleId: string,
  rules: readonly { entity: string; field: string; access: string; masked: boolean }[],
): Promise<void> {
  await db.deleteFrom('roleFieldRules').where('workspaceId', '=', workspaceId).where('roleId', '=', roleId).execute();
  if (rules.length > 0) {
    await db
      .insertInto('roleFieldRules')
      .values(rules.map((r) => ({ ...r, masked: r.masked ? 1 : 0, workspaceId, roleId })))
      .execute();
  }
}

export async function countRoleUsage(db: Kysely<Database>, workspaceId: string, roleId: string): Promise<number> {
  const [users, keys] = await Promise.all([
    db
      .selectFrom('userRoles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspaceId', '=', workspaceId)
      .where('roleId', '=', roleId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('apiKeys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspaceId', '=', workspaceId)
      .where('roleId', '=', roleId)
      .executeTakeFirstOrThrow(),
  ]);
  return Number(users.n) + Number(keys.n);
}

export async function deleteRole(db: Kysely<Database>, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('rolePermissions').where('workspaceId', '=', workspaceId).where('roleId', '=', id).execute();
  await db.deleteFrom('roleFieldRules').where('workspaceId', '=', workspaceId).where('roleId', '=', id).execute();
  await db.deleteFrom('roles').where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
}
