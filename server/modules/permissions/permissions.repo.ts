import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';

export async function findUserRoleIds(db: Kysely<Database>, workspaceId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('userRoles')
    .select('roleId')
    .where('workspaceId', '=', workspaceId)
    .where('userId', '=', userId)
    .execute();
  return rows.map((r) => r.roleId);
}

export async function findGrants(db: Kysely<Database>, workspaceId: string, roleIds: readonly string[]) {
  if (roleIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('rolePermissions')
    .select(['roleId', 'entity', 'action', 'scope'])
    .where('workspaceId', '=', workspaceId)
    .where('roleId', 'in', roleIds)
    .execute();
}

export async function findFieldRules(db: Kysely<Database>, workspaceId: string, roleIds: readonly string[]) {
  if (roleIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('roleFieldRules')
    .select(['roleId', 'entity', 'field', 'access', 'masked'])
    .where('workspaceId', '=', workspaceId)
    .where('roleId', 'in', roleIds)
    .execute();
}

/** The organisation graph the data-scope engine walks: small (users × 3 columns). */
export async function findOrgGraph(db: Kysely<Database>, workspaceId: string) {
  const [users, departments] = await Promise.all([
    db.selectFrom('users').select(['id', 'managerId', 'departmentId']).where('workspaceId', '=', workspaceId).execute(),
    db.selectFrom('departments').select(['id', 'parentId', 'leaderId']).where('workspaceId', '=', workspaceId).execute(),
  ]);
  return { users, departments };
}

