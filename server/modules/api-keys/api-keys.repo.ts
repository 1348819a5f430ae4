import type { Kysely } from 'kysely';
import type { ApiKeysTable, Database } from '../../db/types';

export async function insertApiKey(db: Kysely<Database>, row: ApiKeysTable): Promise<void> {
  await db.insertInto('apiKeys').values(row).execute();
}

/** By secret hash only: the workspace is what the key tells us. */
export async function findApiKeyByHash(db: Kysely<Database>, secretHash: string) {
  return db
    .selectFrom('apiKeys')
    .select(['id', 'workspaceId', 'roleId', 'createdBy', 'revokedAt', 'lastUsedAt'])
    .where('secretHash', '=', secretHash)
    .executeTakeFirst();
}

export async function markApiKeyUsed(db: Kysely<Database>, workspaceId: string, id: string, at: string): Promise<void> {
  await db.updateTable('apiKeys').set({ lastUsedAt: at }).where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
}

const listColumns = [
  'k.id',
  'k.name',
  'k.roleId',
  'r.name as roleName',
  'k.prefix',
  'k.createdAt',
  'u.name as createdByName',
  'k.lastUsedAt',
  'k.revokedAt',
] as const;

export async function listApiKeys(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('apiKeys as k')
    .innerJoin('roles as r', 'r.id', 'k.roleId')
    .leftJoin('users as u', 'u.id', 'k.createdBy')
    .select(listColumns)
    .where('k.workspaceId', '=', workspaceId)
    .orderBy('k.createdAt', 'desc')
    .limit(500)
    .execute();
}

export async function findApiKey(db: Kysely<Database>, workspaceId: string, id: string) {
  return db
    .selectFrom('apiKeys as k')
    .innerJoin('roles as r', 'r.id', 'k.roleId')
    .leftJoin('users as u', 'u.id', 'k.createdBy')
    .select(listColumns)
    .where('k.workspaceId', '=', workspaceId)
    .where('k.id', '=', id)
    .executeTakeFirst();
}

export async function revokeApiKey(db: Kysely<Database>, workspaceId: string, id: string, at: string): Promise<number> {
  const result = await db
    .updateTable('apiKeys')
    .set({ revokedAt: at })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
