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

/** Counts a failed sign-in in the database itself, so parallel guesses each count; returns the new count. */
export async function incrementFailedLogins(db: Kysely<Database>, workspaceId: string, userId: string): Promise<number> {
  const row = await db
    .updateTable('users')
    .set((eb) => ({ failedLogins: eb('failedLogins', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', userId)
    .returning('failedLogins')
    .executeTakeFirst();
  return Number(row?.failedLogins ?? 0);
}

export async function lockAccount(db: Kysely<Database>, workspaceId: string, userId: string, lockedUntil: string): Promise<void> {
  await db.updateTable('users').set({ failedLogins: 0, lockedUntil }).where('workspaceId', '=', workspaceId).where('id', '=', userId).execute();
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
