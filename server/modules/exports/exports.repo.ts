import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, ExportsTable } from '../../db/types';

export interface ExportOwner {
  userId: string | null;
  apiKeyId: string | null;
}

const columns = [
  'id',
  'workspaceId',
  'entity',
  'format',
  'status',
  'request',
  'fileName',
  'storageKey',
  'size',
  'total',
  'processed',
  'jobId',
  'error',
  'createdBy',
  'apiKeyId',
  'createdAt',
  'updatedAt',
  'startedAt',
  'finishedAt',
] as const;

export type ExportRow = Awaited<ReturnType<typeof findExport>> & object;

export async function insertExport(db: Kysely<Database>, row: Insertable<ExportsTable>): Promise<void> {
  await db.insertInto('exports').values(row).execute();
}

export async function findExport(db: Kysely<Database>, workspaceId: string, id: string, owner?: ExportOwner) {
  let q = db.selectFrom('exports').select(columns).where('workspaceId', '=', workspaceId).where('id', '=', id);
  if (owner) {
    q = owner.userId ? q.where('createdBy', '=', owner.userId) : q.where('apiKeyId', '=', owner.apiKeyId ?? '');
  }
  return q.executeTakeFirst();
}

export async function listExportRows(db: Kysely<Database>, workspaceId: string, owner: ExportOwner, limit: number, before?: { createdAt: string; id: string }) {
  let q = db.selectFrom('exports').select(columns).where('workspaceId', '=', workspaceId);
  q = owner.userId ? q.where('createdBy', '=', owner.userId) : q.where('apiKeyId', '=', owner.apiKeyId ?? '');
  if (before) {
    q = q.where((eb) => eb.or([eb('createdAt', '<', before.createdAt), eb.and([eb('createdAt', '=', before.createdAt), eb('id', '<', before.id)])]));
  }
  return q
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}

export async function updateExport(db: Kysely<Database>, id: string, patch: Updateable<ExportsTable>, now: string): Promise<void> {
  await db
    .updateTable('exports')
    .set({ ...patch, updatedAt: now })
    .where('id', '=', id)
    .execute();
}
