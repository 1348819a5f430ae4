import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types';
import { stampVersion } from './authz-stamps';

/**
 * A user's role ids. The workspace's authorisation version comes along in the same query and is
 * stamped on the answer, so resolvePermissions (the next step of every request) needs no
 * second round trip for it.
 */
export async function findUserRoleIds(db: Kysely<Database>, workspaceId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('userRoles')
    .select(['roleId', sql<number | string | null>`(select version from authz_versions where workspace_id = ${workspaceId})`.as('authzVersion')])
    .where('workspaceId', '=', workspaceId)
    .where('userId', '=', userId)
    .execute();
  const roleIds = rows.map((r) => r.roleId);
  const first = rows[0];
  if (first) {
    stampVersion(roleIds, workspaceId, Number(first.authzVersion ?? 0));
  }
  return roleIds;
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


/** The workspace's authorisation version, bumped by triggers (migration 0012); 0 when never written. */
export async function findAuthzVersion(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const { rows } = await sql<{ version: number | string }>`select version from authz_versions where workspace_id = ${workspaceId}`.execute(db);
  return Number(rows[0]?.version ?? 0);
}
