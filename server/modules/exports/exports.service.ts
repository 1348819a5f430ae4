import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Locale } from '../../../common/locale';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { enqueueJob } from '../../jobs/jobs.repo';
import { notifyJobQueued } from '../../jobs/registry';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { requirePermission } from '../permissions/permissions.service';
import { timeFormatter } from './exports.columns';
import './exports.contacts';
import './exports.customers';
import { exportColumns, parseExportFilter, requireExportEntity } from './exports.registry';
import { type ExportOwner, type ExportRow, findExport, insertExport, listExportRows } from './exports.repo';
import type { CreateExportBody, ExportView, ListExportsQuery } from './exports.schema';

export const exportJobKind = 'export';

function ownerOf(auth: AuthContext): ExportOwner {
  return { userId: auth.userId, apiKeyId: auth.apiKeyId };
}

export function presentExport(row: ExportRow): ExportView {
  return {
    id: row.id,
    entity: row.entity,
    format: row.format === 'xlsx' ? 'xlsx' : 'csv',
    status: row.status,
    fileName: row.fileName,
    size: row.size,
    total: row.total,
    processed: row.processed,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export async function workspaceSettings(deps: Deps, workspaceId: string): Promise<{ locale: Locale; timezone: string }> {
  const w = await deps.db.selectFrom('workspaces').select(['locale', 'timezone']).where('id', '=', workspaceId).executeTakeFirst();
  return { locale: w?.locale === 'en' ? 'en' : 'zh-CN', timezone: w?.timezone ?? 'Asia/Shanghai' };
}

export function exportFilePath(dataDir: string, storageKey: string): string {
  return path.join(dataDir, storageKey);
}

/**
 * Queues an export of the records the caller may export, filtered like the list. The filter and
 * the columns are checked now, so a mistake is a 400 rather than a failed job.
 */
export async function createExport(deps: Deps, auth: AuthContext, actor: AuditActor, body: CreateExportBody): Promise<ExportView> {
  const definition = requireExportEntity(body.entity);
  requirePermission(auth.permissions, `${body.entity}:export`);
  const [definitions, settings] = await Promise.all([customFieldDefinitions(deps, auth.workspaceId, body.entity), workspaceSettings(deps, auth.workspaceId)]);
  const { list, extra } = parseExportFilter(definition, body.filter, definitions, auth.permissions);
  const { columns, unknown } = exportColumns(definition, body.columns, definitions, auth.permissions, settings.locale);
  if (unknown.length > 0) {
    throw new AppError('validation_failed', { errors: unknown.map((k) => ({ path: 'columns', message: `unknown column ${k}` })) });
  }
  // The entity's own checks of the filter (tags, search), now rather than as a failed job.
  await definition.plan(deps, auth, { list, extra, ids: body.ids, definitions, columns: columns.map((c) => c.key) });
  const id = newId();
  const now = nowIso(deps);
  const stamp = timeFormatter(settings.timezone)(now).replace(/[-:]/g, '').replace(' ', '-');
  const fileName = `${settings.locale === 'zh-CN' ? definition.names.zh : definition.names.en}-${stamp}.${body.format}`;
  await deps.db.transaction().execute(async (trx) => {
    const jobId = await enqueueJob(trx, { workspaceId: auth.workspaceId, kind: exportJobKind, payload: { exportId: id }, createdBy: auth.userId, maxAttempts: 3 }, now);
    await insertExport(trx, {
      id,
      workspaceId: auth.workspaceId,
      entity: body.entity,
      format: body.format,
      status: 'queued',
      request: JSON.stringify({ filter: body.filter, ids: body.ids ?? null, columns: body.columns ?? null }),
      fileName,
      storageKey: null,
      size: null,
      jobId,
      error: null,
      createdBy: auth.userId,
      apiKeyId: auth.apiKeyId,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
    });
  });
  notifyJobQueued();
  await recordAudit(deps, actor, {
    action: 'export.requested',
    targetType: 'export',
    targetId: id,
    detail: { entity: body.entity, format: body.format, filter: body.filter, ids: body.ids?.length ?? null, columns: body.columns ?? null },
  });
  return getExport(deps, auth, id);
}

async function loadExport(deps: Deps, auth: AuthContext, id: string): Promise<ExportRow> {
  const row = await findExport(deps.db, auth.workspaceId, id, ownerOf(auth));
  if (!row) {
    throw new AppError('not_found');
  }
  return row;
}

export async function getExport(deps: Deps, auth: AuthContext, id: string): Promise<ExportView> {
  return presentExport(await loadExport(deps, auth, id));
}

export async function listExports(deps: Deps, auth: AuthContext, query: ListExportsQuery) {
  const position = query.cursor ? decodeCursor(query.cursor, ['createdAt', 'id']) : undefined;
  const rows = await listExportRows(deps.db, auth.workspaceId, ownerOf(auth), query.limit, position);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(presentExport),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

/** The finished file, for its requester only. */
export async function exportDownload(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<{ fileName: string; size: number; mime: string; stream: Readable }> {
  const row = await loadExport(deps, auth, id);
  if (row.status !== 'done' || !row.storageKey) {
    throw new AppError('business_rule', { detail: `The export is ${row.status}, not ready to download` });
  }
  const file = exportFilePath(deps.config.dataDir, row.storageKey);
  const stat = await fs.promises.stat(file).catch(() => null);
  if (!stat) {
    throw new AppError('not_found', { detail: 'The exported file is no longer kept' });
  }
  await recordAudit(deps, actor, { action: 'export.downloaded', targetType: 'export', targetId: id });
  return {
    fileName: row.fileName,
    size: stat.size,
    mime: row.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    stream: fs.createReadStream(file),
  };
}
