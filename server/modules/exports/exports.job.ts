import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parseJson } from '../../db/dialect';
import { type Deps, nowIso } from '../../deps';
import { jobAuth } from '../../jobs/principal';
import { type JobContext, JobCancelledError, PermanentJobError, registerJobHandler } from '../../jobs/registry';
import { recordAudit } from '../audit-log/audit-log.service';
import { customerContext } from '../customers/customers.context';
import { presentCustomer } from '../customers/customers.present';
import { countCustomers, findTagsOf, listCustomerRows } from '../customers/customers.repo';
import { can, scopeFilter } from '../permissions/permissions.service';
import { listPicklists } from '../picklists/picklists.service';
import { type CellContext, csvRecord, customerExportColumns, timeFormatter } from './exports.columns';
import { cursorAfter, customerExportQuery } from './exports.query';
import { findExport, updateExport } from './exports.repo';
import { exportFilePath, exportJobKind, workspaceSettings } from './exports.service';

/** Rows per keyset page. */
export const exportTuning = { pageSize: 2000 };

export interface ExportJobPayload {
  exportId: string;
}

interface RowWriter {
  write: (rows: string[][]) => Promise<void>;
  close: () => Promise<void>;
}

/** CSV with a UTF-8 BOM, so Excel opens Chinese text correctly; one write per page. */
function csvWriter(file: string, headers: string[]): RowWriter {
  const out = fs.createWriteStream(file);
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      out.write(text, (error) => (error ? reject(error) : resolve()));
    });
  let first: Promise<void> | null = write(`\ufeff${csvRecord(headers)}`);
  return {
    write: async (rows) => {
      if (first) {
        await first;
        first = null;
      }
      let text = '';
      for (const r of rows) {
        text += csvRecord(r);
      }
      await write(text);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        out.on('error', reject);
        out.end(() => resolve());
      }),
  };
}

/**
 * exceljs hands each committed row to the zip compressor without ever saying "wait" (its sheet
 * stream's write always returns true), so rows produced faster than they are deflated pile up
 * in memory. Wait for the compressor's input to drain before writing the next page.
 */
async function compressorCaughtUp(sheet: unknown): Promise<void> {
  const pipes = (sheet as { stream?: { pipes?: unknown } }).stream?.pipes;
  for (const pipe of Array.isArray(pipes) ? pipes : []) {
    // archiver's streams come from the readable-stream package: no writableNeedDrain, only the state.
    const target = pipe as Writable & { _writableState?: { needDrain?: boolean } };
    while (target.writableNeedDrain ?? target._writableState?.needDrain) {
      await once(target, 'drain');
    }
  }
}

/** XLSX streamed row by row (exceljs WorkbookWriter), never held in memory. */
function xlsxWriter(file: string, headers: string[], sheetName: string): RowWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(headers).commit();
  return {
    write: async (rows) => {
      for (const r of rows) {
        sheet.addRow(r).commit();
      }
      await compressorCaughtUp(sheet);
    },
    close: async () => {
      sheet.commit();
      await workbook.commit();
    },
  };
}

/**
 * Writes an export: keyset pages through the list's own query (listCustomerRows: the same data
 * scope, filters and search as GET /customers, with the requester's export scope) and the list's
 * own presenter (presentCustomer: hidden fields left out, masked ones masked), into a temporary
 * file that becomes the download when complete.
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
  const auth = await jobAuth(deps, workspaceId, { userId: row.createdBy, apiKeyId: row.apiKeyId });
  if (!can(auth.permissions, 'customer:export')) {
    throw new PermanentJobError('The requester may no longer export customers');
  }
  const request = (parseJson(row.request) ?? {}) as { filter?: Record<string, string | string[]>; ids?: string[] | null; columns?: string[] | null };
  const customerCtx = await customerContext(deps, auth, []);
  const visibility = { ...customerCtx.visibility, scope: await scopeFilter(deps, auth, 'customer', 'export') };
  const settings = await workspaceSettings(deps, workspaceId);
  let query;
  try {
    query = await customerExportQuery(deps, auth, request.filter ?? {}, request.ids ?? undefined, customerCtx.definitions);
  } catch (error) {
    throw new PermanentJobError(`The filter is no longer valid: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { columns } = customerExportColumns(request.columns ?? undefined, customerCtx.definitions, auth.permissions, settings.locale);
  const picklists = await listPicklists(deps, workspaceId);
  const labels = (key: string) => new Map((picklists[`customer.${key}`] ?? []).map((o) => [o.value, o.label]));
  const cellContext: CellContext = {
    locale: settings.locale,
    labels: { level: labels('level'), source: labels('source'), industry: labels('industry') },
    formatTime: timeFormatter(settings.timezone),
  };
  const needTags = columns.some((c) => c.key === 'tags');
  const counted = await countCustomers(deps.db, deps.dialect, workspaceId, visibility, query.list, query.options, 50_000_000);
  const startedAt = nowIso(deps);
  await updateExport(deps.db, row.id, { status: 'running', total: counted.total, processed: 0, startedAt }, startedAt);

  const storageKey = path.join('exports', workspaceId, `${row.id}.${row.format === 'xlsx' ? 'xlsx' : 'csv'}`);
  const target = exportFilePath(deps.config.dataDir, storageKey);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.part`;
  const headers = columns.map((c) => c.header);
  const writer = row.format === 'xlsx' ? xlsxWriter(temp, headers, settings.locale === 'zh-CN' ? '客户' : 'Customers') : csvWriter(temp, headers);
  const noAccess = { edit: false, delete: false, transfer: false };
  let processed = 0;
  let list = { ...query.list, limit: exportTuning.pageSize, cursor: null as (typeof query.list)['cursor'] };
  try {
    for (;;) {
      signal.throwIfAborted();
      const rows = await listCustomerRows(deps.db, deps.dialect, workspaceId, visibility, list, query.options);
      const page = rows.slice(0, list.limit);
      const tags = needTags ? await findTagsOf(deps.db, workspaceId, 'customer', page.map((r) => r.id)) : [];
      const tagsOf = new Map<string, { id: string; name: string; color: string }[]>();
      for (const t of tags) {
        tagsOf.set(t.recordId, [...(tagsOf.get(t.recordId) ?? []), { id: t.id, name: t.name, color: t.color }]);
      }
      const out = page.map((r) => {
        const customer = presentCustomer(auth.permissions, customerCtx.definitions, r, tagsOf.get(r.id) ?? [], noAccess);
        return columns.map((c) => c.cell(customer, cellContext));
      });
      await writer.write(out);
      processed += page.length;
      await updateExport(deps.db, row.id, { processed }, nowIso(deps));
      const last = page.at(-1);
      if (rows.length <= list.limit || !last) {
        break;
      }
      list = { ...list, cursor: cursorAfter(list, last) };
      // One page at a time, so requests are served in between on the single SQLite connection.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.close();
  } catch (error) {
    await writer.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
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
