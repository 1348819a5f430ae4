import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { analyzeTables, parseJson, relaxCommitDurability, withBulkWriteCache } from '../../db/dialect';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { jobAuth } from '../../jobs/principal';
import { setJobProgress } from '../../jobs/jobs.repo';
import { type ClaimedJob, type JobContext, JobCancelledError, PermanentJobError, registerJobHandler } from '../../jobs/registry';
import { recordAudit } from '../audit-log/audit-log.service';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { can } from '../permissions/permissions.service';
import { IndexLane, isLanePosition, laneStart, runsAlongside } from './imports.index-lane';
import { defersIndex, idFloor, indexTuning, isIndexProgress, runIndexStage } from './imports.indexing';
import { entityImporter, type PreparedBatch } from './imports.pipeline';
import { dataRows, type SourceFile, type SourceRow, type TextEncoding } from './imports.files';
import { type ImportEntity, isImportEntity, mappingFromJson, validateMapping } from './imports.mapping';
import { importAdapter } from './imports.registry';
import { addImportElapsed, advanceImport, findImport, finishImport, type ImportRow, importStatus, insertImportErrors, jobProgress, markImportRunning } from './imports.repo';
import type { DuplicateMode } from './imports.values';

export const importJobKind = 'import';

/**
 * Rows per transaction (benchmarks may change it; 2000 keeps a SQLite batch around 100 ms), and the
 * SQLite page cache in MB while an import runs (see withBulkWriteCache). 10 000-row transactions
 * were measured at 1M rows on SQLite: 6 % less CPU, the same rows-stage time, and the peak RSS
 * over the 400 MB budget (426 MB: two big batches in memory) — see docs/import-export.md.
 */
export const importTuning = { batchSize: 2000, sqliteCacheMb: 48, sqliteCheckpointPages: 10_000 };

/**
 * SQLite: WAL pages between automatic checkpoints while an import runs (0: leave SQLite's 1 000).
 * A checkpoint copies every page changed since the last one into the database file; a bulk load
 * changes the same index pages batch after batch, so fewer checkpoints copy each page fewer times.
 */
async function withCheckpointEvery<T>(deps: Deps, pages: number, run: () => Promise<T>): Promise<T> {
  if (deps.dialect !== 'sqlite' || pages <= 0) {
    return run();
  }
  const before = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(deps.db)).rows[0]?.wal_autocheckpoint ?? 1000;
  await sql.raw(`pragma wal_autocheckpoint = ${Math.trunc(pages)}`).execute(deps.db);
  try {
    return await run();
  } finally {
    await sql.raw(`pragma wal_autocheckpoint = ${Math.trunc(before)}`).execute(deps.db);
  }
}

export interface ImportJobPayload {
  importId: string;
}

export function importFilePath(dataDir: string, storageKey: string): string {
  return path.join(dataDir, storageKey);
}

/** Where an import's uploaded file is and how to read it, from the import's row. */
export function importSource(dataDir: string, row: Pick<ImportRow, 'storageKey' | 'format' | 'encoding' | 'delimiter'>): SourceFile {
  return {
    path: importFilePath(dataDir, row.storageKey),
    format: row.format === 'xlsx' ? 'xlsx' : 'csv',
    encoding: row.encoding as TextEncoding,
    delimiter: row.delimiter,
  };
}

export async function removeImportFile(dataDir: string, storageKey: string): Promise<void> {
  await fs.promises.rm(importFilePath(dataDir, storageKey), { force: true });
}

function asDuplicateMode(value: string | null): DuplicateMode {
  return value === 'update' || value === 'create' ? value : 'skip';
}

class ImportStopped extends Error {}

/**
 * The job's progress as the rows stage leaves it: `indexFrom`, where the indexing walk starts, and
 * `lane`, how far the walk beside the rows got (PostgreSQL) — plus the closing stage's position, once there.
 */
type ImportProgress = Record<string, unknown> & { indexFrom?: string; lane?: unknown };

/**
 * The closing stage (imports.indexing.ts): search entries for the records the import created.
 * Runs however the rows stage ended — done, cancelled, or stopped by a bad row in the file — since
 * every committed record must become searchable; a no-op when no batch ever committed.
 */
async function indexImported(ctx: JobContext<ImportJobPayload>, entity: string, workspaceId: string, progress: ImportProgress, toIndex: number): Promise<void> {
  const adapter = importAdapter(entity);
  if (!adapter || !defersIndex(adapter, ctx.deps.dialect) || typeof progress.indexFrom !== 'string') {
    return;
  }
  const start = isIndexProgress(progress) ? progress : laneStart(isLanePosition(progress.lane) ? progress.lane : undefined, progress.indexFrom, Date.now());
  await runIndexStage({
    deps: ctx.deps,
    adapter,
    workspaceId,
    after: start.after,
    indexed: start.indexed,
    toIndex,
    save: (p, trx) => ctx.setProgress({ ...progress, ...p }, trx),
    signal: ctx.signal,
  });
}

/**
 * Runs an import: streams the file, skips rows before the resume cursor, and commits batches.
 * Each batch's transaction first moves the cursor (and adds the counts), then writes the records
 * and failed rows: so progress and data are committed together, and a process killed mid-way
 * resumes at the first row it had not committed — nothing twice, nothing lost.
 */
async function runImport(ctx: JobContext<ImportJobPayload>): Promise<void> {
  const { deps, job, signal } = ctx;
  const workspaceId = job.workspaceId ?? '';
  const row = await findImport(deps.db, workspaceId, job.payload.importId);
  if (!row) {
    throw new PermanentJobError('import not found');
  }
  // Where an earlier attempt stopped: the rows stage's progress, the indexing stage's position.
  const saved: ImportProgress = (await jobProgress(deps.db, job.id)) ?? {};
  if (row.status === 'cancelled') {
    // Cancelled while a killed attempt held it: what it committed still gets its search entries.
    await indexImported(ctx, row.entity, workspaceId, saved, row.createdCount);
    throw new JobCancelledError();
  }
  if (row.status === 'done' || row.status === 'failed' || row.status === 'uploaded') {
    return;
  }
  if (!isImportEntity(row.entity)) {
    throw new PermanentJobError(`cannot import ${row.entity}`);
  }
  if (isIndexProgress(saved)) {
    // Every row was committed before the attempt that was stopped: only the indexing stage is left.
    await indexImported(ctx, row.entity, workspaceId, saved, row.createdCount);
    await finishRun(ctx, row);
    return;
  }
  const entity: ImportEntity = row.entity;
  const auth = await jobAuth(deps, workspaceId, { userId: row.createdBy, apiKeyId: row.apiKeyId });
  if (!can(auth.permissions, `${entity}:import`)) {
    throw new PermanentJobError(`The importer may no longer import ${entity} records`);
  }
  let mapping;
  try {
    const definitions = await customFieldDefinitions(deps, workspaceId, entity);
    const columns = (parseJson(row.columns) as unknown[] | null)?.length ?? 0;
    mapping = validateMapping(entity, Object.fromEntries(mappingFromJson(parseJson(row.mapping))), columns, definitions, auth.permissions);
  } catch (error) {
    throw new PermanentJobError(error instanceof AppError ? `The mapping is no longer valid: ${JSON.stringify(error.errors ?? error.message)}` : String(error));
  }
  const file = importSource(deps.config.dataDir, row);
  if (!fs.existsSync(file.path)) {
    throw new PermanentJobError('The uploaded file is gone');
  }
  if (!(await markImportRunning(deps.db, row.id, nowIso(deps)))) {
    throw new JobCancelledError();
  }
  const importer = await entityImporter(entity, { deps, auth, mapping, duplicateMode: asDuplicateMode(row.duplicateMode), now: nowIso(deps) }).catch((error: unknown) => {
    // The importer lost a permission it needs (say, seeing customers to file contacts under): retrying will not help.
    throw error instanceof AppError ? new PermanentJobError(error.detail ?? error.message) : error;
  });
  const totals = { processed: row.processed, created: row.createdCount, updated: row.updatedCount, skipped: row.skippedCount, failed: row.failedCount };
  let next = row.nextRow;
  let batch: SourceRow[] = [];
  let mark = 0;
  let analyzeAt = importTuning.batchSize;
  // The indexing stage's start: ids below the first this import can have created (UUIDv7 sort by
  // time; a margin for other hosts' clocks). Fixed by the first attempt, carried by the progress.
  const started = Math.min(Date.now(), new Date(row.startedAt ?? Date.now()).getTime() || Date.now());
  const indexFrom = typeof saved.indexFrom === 'string' ? saved.indexFrom : idFloor(started - indexTuning.clockSkewMs);
  let progress: ImportProgress = { ...saved, indexFrom };
  // PostgreSQL: new records get their search entries beside the rows (imports.index-lane.ts).
  const lane =
    defersIndex(importer.adapter, deps.dialect) && runsAlongside(deps.dialect)
      ? new IndexLane({
          deps,
          adapter: importer.adapter,
          workspaceId,
          start: laneStart(isLanePosition(saved.lane) ? saved.lane : undefined, indexFrom, Date.now()),
          save: (position, trx) => ctx.setProgress({ ...progress, lane: position }, trx),
          signal,
        })
      : null;

  const commit = async (input: PreparedBatch) => {
    signal.throwIfAborted();
    lane?.check();
    const { rows } = input;
    const from = next;
    const to = (rows.at(-1)?.rowNumber ?? from - 1) + 1;
    const now = nowIso(deps);
    await deps.db.transaction().execute(async (trx) => {
      await relaxCommitDurability(trx, deps.dialect);
      const plan = await importer.plan(trx, input, { preview: false });
      const counts = { processed: rows.length, created: 0, updated: 0, skipped: 0, failed: 0 };
      for (const o of plan.outcomes) {
        if (o.action === 'create') {
          counts.created += 1;
        } else if (o.action === 'update') {
          counts.updated += 1;
        } else if (o.action === 'skip') {
          counts.skipped += 1;
        } else {
          counts.failed += 1;
        }
      }
      if (!(await advanceImport(trx, row.id, from, to, counts, now))) {
        throw new ImportStopped();
      }
      await plan.write(trx);
      const failed = plan.outcomes.filter((o) => o.action === 'fail');
      if (failed.length > 0) {
        await insertImportErrors(
          trx,
          failed.map((o) => ({
            workspaceId,
            importId: row.id,
            rowNumber: o.rowNumber,
            reason: o.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
            cells: JSON.stringify(o.cells),
          })),
        );
      }
      totals.processed += counts.processed;
      totals.created += counts.created;
      totals.updated += counts.updated;
      totals.skipped += counts.skipped;
      totals.failed += counts.failed;
      // Time since the end of the previous batch's work (its commit included), up to this one's end.
      const end = performance.now();
      await addImportElapsed(trx, row.id, Math.max(0, Math.round(end - mark)));
      mark = end;
      progress = { importId: row.id, nextRow: to, ...totals, indexFrom, ...(lane ? { lane: lane.at } : {}) };
      await ctx.setProgress(progress, trx);
    });
    next = to;
    lane?.kick();
    if (totals.processed >= analyzeAt) {
      // The tables grow fast: keep the planner's picture of them current (doubling steps).
      analyzeAt = totals.processed * 2;
      await analyzeTables(deps.db, deps.dialect, [...importer.adapter.analyzeTables]);
    }
    // Let requests waiting on the (single, synchronous) SQLite connection in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  };

  /*
   * One batch is written while the next is read and prepared (parsed, validated: no database
   * access). With PostgreSQL the writes run in the server process, so the two overlap; batches
   * still commit one after the other, in file order, each planned against the data the previous
   * one committed.
   */
  let inFlight: Promise<void> | null = null;
  const send = async (rows: SourceRow[]) => {
    const prepared = importer.prepare(rows);
    if (inFlight) {
      await inFlight;
    }
    const started = commit(prepared);
    // Awaited before the next batch or at the end; until then a failure must not count as unhandled.
    started.catch(() => undefined);
    inFlight = started;
  };

  try {
    await withBulkWriteCache(deps.db, deps.dialect, importTuning.sqliteCacheMb, () => withCheckpointEvery(deps, importTuning.sqliteCheckpointPages, async () => {
      try {
        for await (const source of dataRows(file)) {
          if (source.rowNumber < next) {
            continue;
          }
          if (mark === 0) {
            mark = performance.now();
          }
          batch.push(source);
          if (batch.length >= importTuning.batchSize) {
            const rows = batch;
            batch = [];
            await send(rows);
          }
        }
        if (batch.length > 0) {
          await send(batch);
        }
        await inFlight;
      } finally {
        // Never leave a batch (or an indexing window) writing behind a failure (the error handling below reads the import).
        await inFlight?.catch(() => undefined);
        await lane?.stop();
      }
    }));
  } catch (error) {
    // The lane has stopped (above): its last committed position is where the closing stage goes on.
    progress = lane ? { ...progress, lane: lane.at } : progress;
    if (error instanceof ImportStopped) {
      const current = await importStatus(deps.db, row.id);
      if (current?.status === 'cancelled') {
        await removeImportFile(deps.config.dataDir, row.storageKey);
        await indexImported(ctx, entity, workspaceId, progress, totals.created);
        throw new JobCancelledError();
      }
      throw new Error('The import moved on elsewhere (its cursor changed)', { cause: error });
    }
    // csv-parse's errors (an unclosed quote, a record over the size limit) will not go away on retry.
    if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('CSV_')) {
      await indexImported(ctx, entity, workspaceId, progress, totals.created);
      throw new PermanentJobError(`The file could not be read: ${error.message}`);
    }
    throw error;
  }
  if (defersIndex(importer.adapter, deps.dialect)) {
    lane?.check();
    // Every row is committed: from here a resumed attempt goes straight to the indexing stage,
    // which starts where the lane got to (or, without a lane, at the import's first record).
    const from = lane ? lane.at : { after: indexFrom, indexed: 0 };
    const indexing: ImportProgress = { ...progress, stage: 'indexing', after: from.after, indexed: from.indexed, toIndex: Math.max(totals.created, from.indexed) };
    await ctx.setProgress(indexing);
    await withBulkWriteCache(deps.db, deps.dialect, importTuning.sqliteCacheMb, () =>
      withCheckpointEvery(deps, importTuning.sqliteCheckpointPages, () => indexImported(ctx, entity, workspaceId, indexing, totals.created)),
    );
  }
  await finishRun(ctx, row);
}

/** running → done, once both stages are through: the file goes, the audit log gets the totals. */
async function finishRun(ctx: JobContext<ImportJobPayload>, row: NonNullable<Awaited<ReturnType<typeof findImport>>>): Promise<void> {
  const { deps } = ctx;
  await finishImport(deps.db, row.id, 'done', nowIso(deps));
  await removeImportFile(deps.config.dataDir, row.storageKey);
  const done = await findImport(deps.db, row.workspaceId, row.id);
  if (done?.status === 'cancelled') {
    // Cancelled during the indexing stage: every row had been written, and the stage still ran to its end.
    throw new JobCancelledError();
  }
  const totals = done
    ? { processed: done.processed, created: done.createdCount, updated: done.updatedCount, skipped: done.skippedCount, failed: done.failedCount }
    : { processed: row.processed, created: row.createdCount, updated: row.updatedCount, skipped: row.skippedCount, failed: row.failedCount };
  await recordAudit(
    deps,
    { workspaceId: row.workspaceId, userId: row.createdBy, apiKeyId: row.apiKeyId, ip: null, userAgent: null },
    { action: 'import.finished', targetType: 'import', targetId: row.id, detail: { entity: row.entity, fileName: row.fileName, ...totals } },
  );
}

async function importFailed(deps: Deps, job: ClaimedJob<ImportJobPayload>, error: string): Promise<void> {
  const workspaceId = job.workspaceId ?? '';
  const importId = job.payload.importId;
  const row = await findImport(deps.db, workspaceId, importId);
  if (!row) {
    return;
  }
  // Records committed before the failure stay: they still get their search entries (best effort:
  // whatever stopped the job may stop this too; a workspace reindex would then pick them up).
  const ctx: JobContext<ImportJobPayload> = {
    deps,
    job,
    signal: new AbortController().signal,
    setProgress: (progress, db) => setJobProgress(db ?? deps.db, job.id, progress, nowIso(deps)),
  };
  await indexImported(ctx, row.entity, workspaceId, (await jobProgress(deps.db, job.id)) ?? {}, row.createdCount).catch(() => undefined);
  await finishImport(deps.db, importId, 'failed', nowIso(deps), error);
  await removeImportFile(deps.config.dataDir, row.storageKey);
  await recordAudit(
    deps,
    { workspaceId, userId: row.createdBy, apiKeyId: row.apiKeyId, ip: null, userAgent: null },
    { action: 'import.failed', targetType: 'import', targetId: importId, detail: { entity: row.entity, fileName: row.fileName, error } },
  );
}

registerJobHandler<ImportJobPayload>({
  kind: importJobKind,
  maxAttempts: 5,
  run: runImport,
  onFailed: (deps, job, error) => importFailed(deps, job, error),
});
