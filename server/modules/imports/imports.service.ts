import fs from 'node:fs';
import type { Locale } from '../../../common/locale';
import { localizeMessage } from '../../../common/messages-zh';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { cancelQueuedJob, enqueueJob } from '../../jobs/jobs.repo';
import { jobRunOwner, runRate, runsPage } from '../../jobs/progress';
import { notifyJobQueued } from '../../jobs/registry';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { requirePermission } from '../permissions/permissions.service';
import { entityImporter } from './imports.pipeline';
import { importAdapter, importEntityNames } from './imports.registry';
import { decodeHead, detectDelimiter, detectEncoding, detectFormat, importsDir, readHead, dataRows, scanFile, type SourceFile, type SourceRow, type TextEncoding } from './imports.files';
import { isIndexProgress } from './imports.indexing';
import { importJobKind, importFilePath, importSource, removeImportFile } from './imports.job';
import { guessMapping, headerKey, type ImportEntity, isImportEntity, type Mapping, mappingToJson, validateMapping } from './imports.mapping';
import {
  cancelImportRow,
  findImport,
  findRememberedMappings,
  type ImportRow,
  insertImport,
  listImportErrors,
  listImportRows,
  queueImport,
  rememberMappings,
} from './imports.repo';
import type { ImportColumn, ImportView, ListImportsQuery, MappingBody, PreviewResult, UploadResult } from './imports.schema';
import type { ReceivedUpload } from './imports.upload';

const previewRows = 100;

const ownerOf = jobRunOwner;

function columnsOf(row: ImportRow): ImportColumn[] {
  const value = parseJson(row.columns);
  return Array.isArray(value) ? (value as ImportColumn[]) : [];
}

export function presentImport(row: ImportRow): ImportView {
  const { rowsPerSecond, etaSeconds } = runRate(row.processed, row.total, row.elapsedMs, row.status);
  const mapping = parseJson(row.mapping);
  const progress = parseJson(row.jobProgress ?? null);
  const indexing = row.status === 'running' && isIndexProgress(progress) ? progress : null;
  return {
    id: row.id,
    entity: row.entity,
    status: row.status,
    fileName: row.fileName,
    format: row.format === 'xlsx' ? 'xlsx' : 'csv',
    encoding: row.encoding,
    rowCount: row.rowCount,
    columns: columnsOf(row),
    mapping: typeof mapping === 'object' && mapping !== null ? (mapping as Record<string, string>) : null,
    duplicateMode: row.duplicateMode === 'skip' || row.duplicateMode === 'update' || row.duplicateMode === 'create' ? row.duplicateMode : null,
    total: row.total,
    processed: row.processed,
    created: row.createdCount,
    updated: row.updatedCount,
    skipped: row.skippedCount,
    failed: row.failedCount,
    rowsPerSecond,
    etaSeconds,
    stage: indexing ? 'indexing' : row.status === 'running' ? 'rows' : null,
    indexed: indexing ? indexing.indexed : null,
    toIndex: indexing ? indexing.toIndex : null,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** An import of the caller's (only the importer sees it), or 404. */
async function loadImport(deps: Deps, auth: AuthContext, id: string): Promise<ImportRow> {
  const row = await findImport(deps.db, auth.workspaceId, id, ownerOf(auth));
  if (!row) {
    throw new AppError('not_found');
  }
  return row;
}

function entityOf(row: ImportRow): ImportEntity {
  return row.entity;
}

/**
 * Takes an uploaded file: checks the importer may import the entity, detects the format (CSV or
 * XLSX) and a CSV's encoding (UTF-8 with or without BOM, else GB18030/GBK as Excel in China
 * saves it) and separator, reads the header and sample rows, counts (or estimates) the rows, and
 * guesses the mapping.
 */
export async function createImport(deps: Deps, auth: AuthContext, actor: AuditActor, upload: ReceivedUpload): Promise<UploadResult> {
  const file = upload.file;
  try {
    const entity = upload.fields.entity ?? 'customer';
    if (!isImportEntity(entity)) {
      throw new AppError('validation_failed', { errors: [{ path: 'entity', message: `must be one of ${importEntityNames().sort().join(', ')}` }] });
    }
    requirePermission(auth.permissions, `${entity}:import`);
    if (!file) {
      throw new AppError('validation_failed', { errors: [{ path: 'file', message: 'attach the CSV or Excel file as "file"' }] });
    }
    const head = await readHead(file.path);
    const format = detectFormat(head, file.fileName);
    if (format === 'xls') {
      throw new AppError('unsupported_media_type', { detail: 'Old .xls workbooks are not supported: save the file as .xlsx or CSV' });
    }
    if (format === null) {
      throw new AppError('unsupported_media_type', { detail: 'Upload a CSV or an Excel (.xlsx) file' });
    }
    const encoding: TextEncoding = format === 'csv' ? detectEncoding(head) : 'utf-8';
    const delimiter = format === 'csv' ? detectDelimiter(decodeHead(head, encoding)) : ',';
    const source: SourceFile = { path: file.path, format, encoding, delimiter };
    let scan;
    try {
      scan = await scanFile(source, file.size);
    } catch (error) {
      throw new AppError('validation_failed', { errors: [{ path: 'file', message: `cannot read the file: ${error instanceof Error ? error.message : String(error)}` }] });
    }
    if (scan.headers.length === 0) {
      throw new AppError('validation_failed', { errors: [{ path: 'file', message: 'the file is empty' }] });
    }
    const columns: ImportColumn[] = scan.headers.map((header, index) => ({
      index,
      header: header === '' ? `#${index + 1}` : header,
      sample: scan.samples.map((cells) => cells[index] ?? ''),
    }));
    const [definitions, remembered] = await Promise.all([
      customFieldDefinitions(deps, auth.workspaceId, entity),
      findRememberedMappings(deps.db, auth.workspaceId, entity),
    ]);
    const guesses = guessMapping(
      entity,
      columns.map((c) => c.header),
      definitions,
      remembered,
    );
    const id = newId();
    const storageKey = path.join('imports', auth.workspaceId, `${id}.${format}`);
    await fs.promises.rename(file.path, importFilePath(deps.config.dataDir, storageKey));
    const now = nowIso(deps);
    await insertImport(deps.db, {
      id,
      workspaceId: auth.workspaceId,
      entity,
      status: 'uploaded',
      fileName: file.fileName,
      storageKey,
      format,
      encoding,
      delimiter,
      size: file.size,
      columns: JSON.stringify(columns),
      rowCount: scan.rowCount,
      rowCountExact: scan.exact ? 1 : 0,
      mapping: null,
      duplicateMode: null,
      jobId: null,
      total: scan.rowCount,
      error: null,
      createdBy: auth.userId,
      apiKeyId: auth.apiKeyId,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
    });
    await recordAudit(deps, actor, { action: 'import.uploaded', targetType: 'import', targetId: id, detail: { entity, fileName: file.fileName, size: file.size, rowCount: scan.rowCount } });
    const adapter = importAdapter(entity);
    return {
      id,
      entity,
      fileName: file.fileName,
      format,
      encoding,
      rowCount: scan.rowCount,
      rowCountExact: scan.exact,
      columns,
      guesses,
      fields: [...(adapter?.fields ?? [])],
      requiredFields: [...(adapter?.requiredFields ?? [])],
    };
  } finally {
    if (file) {
      await fs.promises.rm(file.path, { force: true });
    }
  }
}

export function uploadDir(deps: Deps, auth: AuthContext): string {
  return importsDir(deps.config.dataDir, auth.workspaceId);
}

async function checkedMapping(deps: Deps, auth: AuthContext, row: ImportRow, body: MappingBody): Promise<Mapping> {
  const entity = entityOf(row);
  requirePermission(auth.permissions, `${entity}:import`);
  const definitions = await customFieldDefinitions(deps, auth.workspaceId, entity);
  const mapping = validateMapping(entity, body.mapping, columnsOf(row).length, definitions, auth.permissions);
  importAdapter(entity)?.checkRun?.(auth.permissions, mapping, body.duplicateMode);
  return mapping;
}

/** The first 100 rows as the import would take them: values, errors, duplicates — nothing is written. */
export async function previewImport(deps: Deps, auth: AuthContext, id: string, body: MappingBody, locale: Locale): Promise<PreviewResult> {
  const row = await loadImport(deps, auth, id);
  const mapping = await checkedMapping(deps, auth, row, body);
  const source = importSource(deps.config.dataDir, row);
  if (!fs.existsSync(source.path)) {
    throw new AppError('business_rule', { detail: 'This import has finished; its file is no longer kept' });
  }
  const rows: SourceRow[] = [];
  for await (const r of dataRows(source)) {
    rows.push(r);
    if (rows.length >= previewRows) {
      break;
    }
  }
  const importer = await entityImporter(entityOf(row), { deps, auth, mapping, duplicateMode: body.duplicateMode, now: nowIso(deps) });
  const plan = await importer.plan(deps.db, rows, { preview: true });
  const out = plan.outcomes.map((o) => ({
    rowNumber: o.rowNumber,
    values: o.values,
    errors: o.errors.map((e) => ({ field: e.field, message: localizeMessage(e.message, locale) })),
    action: o.action,
    ...(o.duplicateOf ? { duplicateOf: o.duplicateOf } : {}),
  }));
  return {
    rows: out,
    validCount: out.filter((o) => o.errors.length === 0).length,
    errorCount: out.filter((o) => o.errors.length > 0).length,
    duplicateCount: out.filter((o) => o.duplicateOf !== undefined).length,
  };
}

/**
 * Queues the import as a background job with the chosen mapping and duplicate handling, and
 * remembers the choices for the workspace's next import.
 */
export async function startImport(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: MappingBody): Promise<ImportView> {
  const row = await loadImport(deps, auth, id);
  const mapping = await checkedMapping(deps, auth, row, body);
  if (row.status !== 'uploaded') {
    throw new AppError('business_rule', { detail: `This import is already ${row.status}` });
  }
  const choices = new Map<string, string | null>();
  for (const column of columnsOf(row)) {
    const key = headerKey(column.header);
    if (key !== '' && !choices.has(key)) {
      choices.set(key, mapping.get(column.index) ?? null);
    }
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    const jobId = await enqueueJob(trx, { workspaceId: auth.workspaceId, kind: importJobKind, payload: { importId: id }, createdBy: auth.userId, maxAttempts: 5 }, now);
    if (!(await queueImport(trx, auth.workspaceId, id, { mapping: JSON.stringify(mappingToJson(mapping)), duplicateMode: body.duplicateMode, jobId, total: row.rowCount, now }))) {
      throw new AppError('business_rule', { detail: 'This import has already been started' });
    }
    await rememberMappings(trx, auth.workspaceId, entityOf(row), choices, now);
  });
  notifyJobQueued();
  await recordAudit(deps, actor, {
    action: 'import.started',
    targetType: 'import',
    targetId: id,
    detail: { entity: row.entity, fileName: row.fileName, duplicateMode: body.duplicateMode, mapping: mappingToJson(mapping) },
  });
  return getImport(deps, auth, id);
}

export async function getImport(deps: Deps, auth: AuthContext, id: string): Promise<ImportView> {
  return presentImport(await loadImport(deps, auth, id));
}

export async function listImports(deps: Deps, auth: AuthContext, query: ListImportsQuery) {
  return runsPage(query.cursor, query.limit, (before) => listImportRows(deps.db, auth.workspaceId, ownerOf(auth), query.limit, before), presentImport);
}

/** Stops an import: a queued one never runs; a running one stops after its current batch (what was committed stays). */
export async function cancelImport(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<ImportView> {
  const row = await loadImport(deps, auth, id);
  if (row.status === 'cancelled') {
    return presentImport(row);
  }
  if (row.status === 'done' || row.status === 'failed') {
    throw new AppError('business_rule', { detail: `This import has already ${row.status === 'done' ? 'finished' : 'failed'}` });
  }
  const now = nowIso(deps);
  await cancelImportRow(deps.db, auth.workspaceId, id, now);
  if (row.jobId) {
    await cancelQueuedJob(deps.db, auth.workspaceId, row.jobId, now);
  }
  if (row.status !== 'running') {
    await removeImportFile(deps.config.dataDir, row.storageKey);
  }
  await recordAudit(deps, actor, { action: 'import.cancelled', targetType: 'import', targetId: id, detail: { processed: row.processed } });
  return getImport(deps, auth, id);
}

/**
 * A failed row's stored reason (`field: message; …`, written by the job in English) as its reader
 * wants it: each field under the file's own column header, each message in their language.
 */
export function readableReason(reason: string, headerOf: ReadonlyMap<string, string>, locale: Locale): string {
  return reason
    .split('; ')
    .map((part) => {
      const at = part.indexOf(': ');
      if (at < 0) {
        return localizeMessage(part, locale);
      }
      const field = part.slice(0, at);
      return `${headerOf.get(field) ?? field}: ${localizeMessage(part.slice(at + 2), locale)}`;
    })
    .join(locale === 'zh-CN' ? '；' : '; ');
}

/**
 * The rows that failed, as CSV (UTF-8 with BOM, so Excel shows Chinese right): row number,
 * reason, then the row's original cells under the file's own headers — fix and import again.
 */
export async function importErrorsCsv(deps: Deps, auth: AuthContext, id: string, locale: Locale): Promise<{ fileName: string; stream: Readable }> {
  const row = await loadImport(deps, auth, id);
  const zh = locale === 'zh-CN';
  const headers = columnsOf(row).map((c) => c.header);
  const headerOf = new Map(Object.entries(presentImport(row).mapping ?? {}).map(([index, field]) => [field, headers[Number(index)] ?? field]));
  const out = new PassThrough();
  out.write('\ufeff');
  const csv = stringify();
  csv.pipe(out);
  const fail = (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error)));
  const pump = async () => {
    const write = (record: string[]) => (csv.write(record) ? Promise.resolve() : new Promise<void>((resolve) => csv.once('drain', () => resolve())));
    await write([zh ? '行号' : 'Row', zh ? '错误原因' : 'Reason', ...headers]);
    let after = 0;
    for (;;) {
      const page = await listImportErrors(deps.db, auth.workspaceId, id, after, 1000);
      for (const e of page) {
        const cells = parseJson(e.cells);
        await write([String(e.rowNumber), readableReason(e.reason, headerOf, locale), ...(Array.isArray(cells) ? cells.map(String) : [])]);
      }
      if (page.length < 1000) {
        break;
      }
      after = page.at(-1)?.rowNumber ?? after;
    }
    csv.end();
  };
  pump().catch(fail);
  const base = row.fileName.replace(/\.[^.]+$/, '');
  return { fileName: `${base}-${zh ? '错误行' : 'errors'}.csv`, stream: out };
}
