import fs from 'node:fs';
import path from 'node:path';
import { parseJson } from '../../db/dialect';
import { longRead } from '../../db/read-worker';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { jobAuth } from '../../jobs/principal';
import { type JobContext, JobCancelledError, PermanentJobError, registerJobHandler } from '../../jobs/registry';
import { recordAudit } from '../audit-log/audit-log.service';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { can } from '../permissions/permissions.service';
import { presentedLabel } from '../picklists/picklist-defaults';
import { listPicklists } from '../picklists/picklists.service';
import { timeFormatter } from './exports.columns';
import { type CellContext, cursorAfter, exportColumns, exportEntity, parseExportFilter } from './exports.registry';
import { findExport, updateExport } from './exports.repo';
import { exportFilePath, exportJobKind, workspaceSettings } from './exports.service';
import { csvWriter, type RowWriter, xlsxWriter } from './exports.writers';

/**
 * pageSize: rows per keyset page (one long read each); sliceRows / sliceMs: the main thread turns a
 * page into file rows a slice at a time and lets other requests in after `sliceMs` of work.
 */
export const exportTuning = { pageSize: 1000, sliceRows: 250, sliceMs: 8 };

export interface ExportJobPayload {
  exportId: string;
}

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

function why(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes an export: keyset pages of the entity's own list query (see exports.registry.ts), read on
 * a long-read worker so the server keeps answering, the next page read while this one is written;
 * rows presented by the entity's own presenter (hidden fields left out, masked ones masked) into a
 * temporary file that becomes the download when complete.
 */
async function runExport(ctx: JobContext<ExportJobPayload>): Promise<void> {
  const { deps, job, signal } = ctx;
  const workspaceId = job.workspaceId ?? '';
  const row = await findExport(deps.db, workspaceId, job.payload.exportId);
  if (!row) {
    throw new PermanentJobError('export not found');
  }
  if (row.status === 'cancelled') {
    throw new JobCancelledError();
  }
  if (row.status === 'done' || row.status === 'failed') {
    return;
  }
  const definition = exportEntity(row.entity);
  if (!definition) {
    throw new PermanentJobError(`Exporting ${row.entity} records is not available`);
  }
  const auth = await jobAuth(deps, workspaceId, { userId: row.createdBy, apiKeyId: row.apiKeyId });
  if (!can(auth.permissions, `${row.entity}:export`)) {
    throw new PermanentJobError(`The requester may no longer export ${row.entity} records`);
  }
  const request = (parseJson(row.request) ?? {}) as { filter?: Record<string, string | string[]>; ids?: string[] | null; columns?: string[] | null };
  const [definitions, settings, picklists] = await Promise.all([
    customFieldDefinitions(deps, workspaceId, row.entity),
    workspaceSettings(deps, workspaceId),
    listPicklists(deps, workspaceId),
  ]);
  const { columns } = exportColumns(definition, request.columns ?? undefined, definitions, auth.permissions, settings.locale);
  let parsed;
  let plan;
  try {
    parsed = parseExportFilter(definition, request.filter ?? {}, definitions, auth.permissions);
    plan = await definition.plan(deps, auth, { list: parsed.list, extra: parsed.extra, ids: request.ids ?? undefined, definitions, columns: columns.map((c) => c.key) });
  } catch (error) {
    if (error instanceof AppError) {
      throw new PermanentJobError(`The filter is no longer valid: ${why(error)}`);
    }
    throw error;
  }
  const labels = new Map<string, Map<string, string>>();
  const cellContext: CellContext = {
    locale: settings.locale,
    label: (listKey, value) => {
      if (value === null || value === undefined || value === '') {
        return '';
      }
      let map = labels.get(listKey);
      if (!map) {
        // In the file's language, like its headers: a seeded label nobody renamed follows it.
        map = new Map((picklists[listKey] ?? []).map((o) => [o.value, presentedLabel(listKey, o.value, o.label, settings.locale)]));
        labels.set(listKey, map);
      }
      return map.get(value) ?? value;
    },
    formatTime: timeFormatter(settings.timezone),
    word: settings.locale === 'zh-CN' ? (zh) => zh : (_zh, en) => en,
  };
  const reads = longRead(deps);
  const startedAt = nowIso(deps);
  await updateExport(deps.db, row.id, { status: 'running', total: 0, processed: 0, startedAt }, startedAt);
  // The count runs beside the pages (on the other worker): progress gets its total when it is known.
  let processed = 0;
  const countQuery = plan.count;
  const counted = countQuery
    ? (async () => {
        const total = await countQuery(reads.db);
        await updateExport(deps.db, row.id, { total: Math.max(total, processed) }, nowIso(deps));
      })().catch(() => undefined)
    : Promise.resolve();

  const storageKey = path.join('exports', workspaceId, `${row.id}.${row.format === 'xlsx' ? 'xlsx' : 'csv'}`);
  const target = exportFilePath(deps.config.dataDir, storageKey);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.part`;
  const headers = columns.map((c) => c.header);
  const sheetName = settings.locale === 'zh-CN' ? definition.names.zh : definition.names.en.charAt(0).toUpperCase() + definition.names.en.slice(1);
  const writer: RowWriter = row.format === 'xlsx' ? xlsxWriter(temp, headers, sheetName) : csvWriter(temp, headers);
  const pageSize = exportTuning.pageSize;
  const readPage = (list: typeof parsed.list) => plan.page(reads.db, list);
  let list = { ...parsed.list, limit: pageSize, cursor: null as (typeof parsed.list)['cursor'] };
  let next = readPage(list);
  try {
    for (;;) {
      signal.throwIfAborted();
      const rows = await next;
      const page = rows.length > pageSize ? rows.slice(0, pageSize) : rows;
      const last = page.at(-1);
      const more = rows.length > pageSize && last !== undefined;
      if (more) {
        // Read the next page while this one is written.
        list = { ...list, cursor: cursorAfter(list, last) };
        next = readPage(list);
        next.catch(() => undefined);
      }
      let sliceStarted = performance.now();
      for (let i = 0; i < page.length; i += exportTuning.sliceRows) {
        const items = await plan.present(page.slice(i, i + exportTuning.sliceRows));
        const out: string[][] = new Array<string[]>(items.length);
        for (let r = 0; r < items.length; r += 1) {
          const item = items[r];
          const cells = new Array<string>(columns.length);
          for (let c = 0; c < columns.length; c += 1) {
            cells[c] = (columns[c] as (typeof columns)[number]).cell(item, cellContext);
          }
          out[r] = cells;
        }
        await writer.write(out);
        if (performance.now() - sliceStarted > exportTuning.sliceMs) {
          await yieldToRequests();
          sliceStarted = performance.now();
        }
      }
      processed += page.length;
      await updateExport(deps.db, row.id, { processed }, nowIso(deps));
      if (!more) {
        break;
      }
    }
    await writer.close();
  } catch (error) {
    await writer.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  await counted;
  await fs.promises.rename(temp, target);
  const size = (await fs.promises.stat(target)).size;
  const finishedAt = nowIso(deps);
  await updateExport(deps.db, row.id, { status: 'done', total: processed, processed, storageKey, size, finishedAt, error: null }, finishedAt);
  await recordAudit(
    deps,
    { workspaceId, userId: row.createdBy, apiKeyId: row.apiKeyId, ip: null, userAgent: null },
    { action: 'export.finished', targetType: 'export', targetId: row.id, detail: { entity: row.entity, format: row.format, rows: processed } },
  );
}

async function exportFailed(deps: Deps, exportId: string, error: string): Promise<void> {
  const now = nowIso(deps);
  await updateExport(deps.db, exportId, { status: 'failed', error, finishedAt: now }, now);
}

registerJobHandler<ExportJobPayload>({
  kind: exportJobKind,
  maxAttempts: 3,
  run: runExport,
  onFailed: (deps, job, error) => exportFailed(deps, job.payload.exportId, error),
});
