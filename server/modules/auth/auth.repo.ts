import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';

/** Sign-in happens before the workspace is known: the email finds it. */
export async function findLoginCandidates(db: Kysely<Database>, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'workspaceId', 'email', 'passwordHash', 'status', 'failedLogins', 'lockedUntil'])
    .where('email', '=', email)
    .limit(10)
    .execute();
}

export async function recordFailedLogin(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
  failedLogins: number,
  lockedUntil: string | null,
): Promise<void> {
  await db.updateTable('users').set({ failedLogins, lockedUntil }).where('workspaceId', '=', workspaceId).where('id', '=', userId).execute();
}

export async function recordSuccessfulLogin(db: Kysely<Database>, workspaceId: string, userId: string, at: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: at })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', userId)
    .execute();
}

export async function findWorkspace(db: Kysely<Database>, workspaceId: string) {
  return db.selectFrom('workspaces').select(['id', 'name', 'currency', 'locale', 'timezone']).where('id', '=', workspaceId).executeTakeFirstOrThrow();
}
