import { type Insertable, type Kysely, sql } from 'kysely';
import { parseJson } from '../../db/dialect';
import type { Database, ImportsTable } from '../../db/types';
import { findRun, type JobRunOwner, listRuns, type RunPosition } from '../../jobs/progress';
import { BulkInsert } from './bulk-insert';

/** Whose imports a caller sees: their own (see server/jobs/progress.ts). */
export type ImportOwner = JobRunOwner;

const columns = [
  'id',
  'workspaceId',
  'entity',
  'status',
  'fileName',
  'storageKey',
  'format',
  'encoding',
  'delimiter',
  'size',
  'columns',
  'rowCount',
  'rowCountExact',
  'mapping',
  'duplicateMode',
  'jobId',
  'total',
  'processed',
  'createdCount',
  'updatedCount',
  'skippedCount',
  'failedCount',
  'nextRow',
  'elapsedMs',
  'error',
  'createdBy',
  'apiKeyId',
  'createdAt',
  'updatedAt',
  'startedAt',
  'finishedAt',
] as const;

export type ImportRow = Awaited<ReturnType<typeof findImport>> & object;

export async function insertImport(db: Kysely<Database>, row: Insertable<ImportsTable>): Promise<void> {
  await db.insertInto('imports').values(row).execute();
}

/** An import with its job's progress (where the indexing stage stands: see imports.indexing.ts). */
const selectImports = (db: Kysely<Database>) =>
  db
    .selectFrom('imports')
    .select(columns)
    .select((eb) => eb.selectFrom('jobs').select('jobs.progress').whereRef('jobs.id', '=', 'imports.jobId').as('jobProgress'));

export async function findImport(db: Kysely<Database>, workspaceId: string, id: string, owner?: ImportOwner) {
  return findRun(selectImports(db), workspaceId, id, owner);
}

export async function listImportRows(db: Kysely<Database>, workspaceId: string, owner: ImportOwner, limit: number, before?: RunPosition) {
  return listRuns(selectImports(db), workspaceId, owner, limit, before);
}

/** A job's progress object (null when it has none yet). */
export async function jobProgress(db: Kysely<Database>, jobId: string): Promise<Record<string, unknown> | null> {
  const row = await db.selectFrom('jobs').select('progress').where('id', '=', jobId).executeTakeFirst();
  const value = parseJson(row?.progress ?? null);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** uploaded → queued, with the mapping the job will use. False when it was not waiting to start. */
export async function queueImport(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  input: { mapping: string; duplicateMode: string; jobId: string; total: number; now: string },
): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set({ status: 'queued', mapping: input.mapping, duplicateMode: input.duplicateMode, jobId: input.jobId, total: input.total, error: null, updatedAt: input.now })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'uploaded')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** queued (or running, after a crash) → running. False when the import was cancelled or finished. */
export async function markImportRunning(db: Kysely<Database>, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set((eb) => ({ status: 'running', startedAt: eb.fn.coalesce('startedAt', eb.val(now)), updatedAt: now }))
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface BatchCounts {
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/**
 * Moves the resume cursor from `from` to `to` and adds the batch's counts: the first statement of
 * a batch's transaction. It matches only while the import runs and nobody else moved the cursor,
 * so a batch is committed once even if two runners ever held the job (a lease that expired).
 */
export async function advanceImport(db: Kysely<Database>, id: string, from: number, to: number, counts: BatchCounts, now: string): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set((eb) => ({
      nextRow: to,
      processed: eb('processed', '+', counts.processed),
      createdCount: eb('createdCount', '+', counts.created),
      updatedCount: eb('updatedCount', '+', counts.updated),
      skippedCount: eb('skippedCount', '+', counts.skipped),
      failedCount: eb('failedCount', '+', counts.failed),
      total: sql<number>`case when total < processed + ${counts.processed} then processed + ${counts.processed} else total end`,
      updatedAt: now,
    }))
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('nextRow', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Working time, for rows/s and the ETA (a resumed import's pause is not counted). */
export async function addImportElapsed(db: Kysely<Database>, id: string, ms: number): Promise<void> {
  await db
    .updateTable('imports')
    .set((eb) => ({ elapsedMs: eb('elapsedMs', '+', ms) }))
    .where('id', '=', id)
    .execute();
}

/** running → done (the total becomes exact) / failed. */
export async function finishImport(db: Kysely<Database>, id: string, status: 'done' | 'failed', now: string, error: string | null = null): Promise<void> {
  let q = db.updateTable('imports').where('id', '=', id);
  if (status === 'done') {
    q = q.where('status', '=', 'running');
  } else {
    q = q.where('status', 'in', ['queued', 'running']);
  }
  await q
    .set((eb) => ({ status, error, finishedAt: now, updatedAt: now, ...(status === 'done' ? { total: eb.ref('processed') } : {}) }))
    .execute();
}

export async function cancelImportRow(db: Kysely<Database>, workspaceId: string, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set({ status: 'cancelled', finishedAt: now, updatedAt: now })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', ['uploaded', 'queued', 'running'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function importStatus(db: Kysely<Database>, id: string) {
  return db.selectFrom('imports').select(['status', 'nextRow']).where('id', '=', id).executeTakeFirst();
}

const insertErrors = new BulkInsert('importErrors', ['workspaceId', 'importId', 'rowNumber', 'reason', 'cells']);

export async function insertImportErrors(
  db: Kysely<Database>,
  rows: readonly { workspaceId: string; importId: string; rowNumber: number; reason: string; cells: string }[],
): Promise<void> {
  await insertErrors.insert(db, rows);
}

export async function listImportErrors(db: Kysely<Database>, workspaceId: string, importId: string, afterRow: number, limit: number) {
  return db
    .selectFrom('importErrors')
    .select(['rowNumber', 'reason', 'cells'])
    .where('workspaceId', '=', workspaceId)
    .where('importId', '=', importId)
    .where('rowNumber', '>', afterRow)
    .orderBy('rowNumber')
    .limit(limit)
    .execute();
}

export async function findRememberedMappings(db: Kysely<Database>, workspaceId: string, entity: string): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('importMappings').select(['headerKey', 'field']).where('workspaceId', '=', workspaceId).where('entity', '=', entity).execute();
  return new Map(rows.map((r) => [r.headerKey, r.field]));
}

/** Remembers the choice made for each header, so the next import of a similar file starts from it. */
export async function rememberMappings(db: Kysely<Database>, workspaceId: string, entity: string, choices: ReadonlyMap<string, string | null>, now: string): Promise<void> {
  const values = [...choices].map(([headerKey, field]) => ({ workspaceId, entity, headerKey, field, updatedAt: now }));
  if (values.length === 0) {
    return;
  }
  await db
    .insertInto('importMappings')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['workspaceId', 'entity', 'headerKey']).doUpdateSet((eb) => ({ field: eb.ref('excluded.field'), updatedAt: eb.ref('excluded.updatedAt') })),
    )
    .execute();
}
