import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, ExportsTable } from '../../db/types';
import { findRun, type JobRunOwner, listRuns } from '../../jobs/progress';

export type ExportOwner = JobRunOwner;

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
  return findRun(db.selectFrom('exports').select(columns), workspaceId, id, owner);
}

export async function listExportRows(db: Kysely<Database>, workspaceId: string, owner: ExportOwner, limit: number, before?: { createdAt: string; id: string }) {
  return listRuns(db.selectFrom('exports').select(columns), workspaceId, owner, limit, before);
}

export async function updateExport(db: Kysely<Database>, id: string, patch: Updateable<ExportsTable>, now: string): Promise<void> {
  await db
    .updateTable('exports')
    .set({ ...patch, updatedAt: now })
    .where('id', '=', id)
    .execute();
}
