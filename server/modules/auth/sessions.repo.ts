import { type Kysely, sql } from 'kysely';
import type { Database, SessionsTable } from '../../db/types';

export async function insertSession(db: Kysely<Database>, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/**
 * Looks a session up by its token hash — before the workspace is known, so by primary key only —
 * with what every request needs next in the same statement: the user's role ids (one row per
 * role; one row with a null role when the user has none) and the workspace's authorisation
 * version (authz-cache.ts). On PostgreSQL each statement is a round trip; this was three.
 */
export async function findSessionWithUser(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 's.userId').onRef('u.workspaceId', '=', 's.workspaceId'))
    .leftJoin('userRoles as ur', (j) => j.onRef('ur.userId', '=', 's.userId').onRef('ur.workspaceId', '=', 's.workspaceId'))
    .select([
      's.id',
      's.workspaceId',
      's.userId',
      's.csrfToken',
      's.lastSeenAt',
      's.expiresAt',
      'u.status',
      'u.locale',
      'ur.roleId',
      sql<number | string | null>`(select av.version from authz_versions av where av.workspace_id = s.workspace_id)`.as('authzVersion'),
    ])
    .where('s.id', '=', id)
    .execute();
}

export async function touchSession(db: Kysely<Database>, workspaceId: string, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ lastSeenAt: at }).where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<Database>, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
}

/** Signs a user out everywhere, optionally keeping one session (the one changing the password). */
export async function deleteUserSessions(db: Kysely<Database>, workspaceId: string, userId: string, keepId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('workspaceId', '=', workspaceId).where('userId', '=', userId);
  if (keepId) {
    q = q.where('id', '!=', keepId);
  }
  await q.execute();
}
