import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { openStoredFile } from '../files/files.service';
import { storedAttachments } from './follow-ups.files';
import { type ChangeScopes, followUpAccess, followUpChangeScopes } from './follow-ups.policy';
import type { recordFollowUpsQuery } from './follow-ups.schema';

/**
 * Follow-ups seen through their record — a lead's or a deal's — rather than through followUp:view:
 * whoever may see the record sees all of them. What leads and deals do alike lives here (the
 * answer's fields, newest-first keyset pages, who may change one, its attachments); each keeps
 * its own summary and timeline rules.
 */
export type RecordEntity = 'lead' | 'deal';

/** The record's live follow-ups. */
export function recordFollowUps(db: Kysely<Database>, workspaceId: string, entity: RecordEntity, recordId: string) {
  return db
    .selectFrom('followUps as f')
    .leftJoin('users as u', 'u.id', 'f.ownerId')
    .select(['f.id', 'f.recordId', 'f.customerId', 'f.contactId', 'f.type', 'f.content', 'f.nextFollowupAt', 'f.attachments', 'f.ownerId', 'u.name as ownerName', 'f.createdAt', 'f.updatedAt', 'f.version'])
    .where('f.workspaceId', '=', workspaceId)
    .where('f.entity', '=', entity)
    .where('f.recordId', '=', recordId)
    .where('f.deletedAt', 'is', null);
}

export type RecordFollowUpRow = Awaited<ReturnType<ReturnType<typeof recordFollowUps>['executeTakeFirstOrThrow']>>;

export function presentRecordFollowUp(scopes: ChangeScopes, r: RecordFollowUpRow) {
  return {
    id: r.id,
    type: r.type,
    content: r.content,
    nextFollowupAt: r.nextFollowupAt,
    attachments: storedAttachments(r),
    ownerId: r.ownerId,
    ownerName: r.ownerName,
    access: followUpAccess(scopes, r.ownerId),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

/** The condition for the rows after `cursor` in (created_at, id) descending order (none without one). */
function olderThanCursor(cursor: string | undefined): Expression<SqlBool> | null {
  if (!cursor) {
    return null;
  }
  const before = decodeCursor(cursor, ['createdAt', 'id']);
  return sql<SqlBool>`(f.created_at < ${before.createdAt} or (f.created_at = ${before.createdAt} and f.id < ${before.id}))`;
}

/** One newest-first page of the record's follow-ups (the caller has checked it may see the record). */
export async function recordFollowUpPage(deps: Deps, auth: AuthContext, entity: RecordEntity, recordId: string, query: z.infer<typeof recordFollowUpsQuery>) {
  const older = olderThanCursor(query.cursor);
  const q = recordFollowUps(deps.db, auth.workspaceId, entity, recordId);
  const [rows, scopes] = await Promise.all([(older ? q.where(older) : q).orderBy('f.createdAt', 'desc').orderBy('f.id', 'desc').limit(query.limit + 1).execute(), followUpChangeScopes(deps, auth)]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { page, scopes, nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

/** One of the record's follow-ups, which the caller must be allowed to `action` (the author, or followUp:edit / delete scope over them). */
export async function changeableFollowUp(deps: Deps, auth: AuthContext, entity: RecordEntity, recordId: string, followUpId: string, action: 'edit' | 'delete') {
  const row = await recordFollowUps(deps.db, auth.workspaceId, entity, recordId).where('f.id', '=', followUpId).executeTakeFirst();
  if (!row) {
    throw new AppError('not_found');
  }
  const scopes = await followUpChangeScopes(deps, auth);
  if (!followUpAccess(scopes, row.ownerId)[action]) {
    throw new AppError('forbidden');
  }
  return { row, scopes };
}

/** An attachment of one of the record's live follow-ups, opened for reading (the caller has checked it may see the record). */
export async function openRecordFollowUpFile(deps: Deps, workspaceId: string, entity: RecordEntity, recordId: string, followUpId: string, fileId: string) {
  const file = await deps.db
    .selectFrom('followUpFiles as ff')
    .innerJoin('followUps as f', 'f.id', 'ff.followUpId')
    .innerJoin('files as fl', 'fl.id', 'ff.fileId')
    .select(['fl.id', 'fl.name', 'fl.mime', 'fl.size', 'fl.storageKey'])
    .where('ff.workspaceId', '=', workspaceId)
    .where('ff.followUpId', '=', followUpId)
    .where('ff.fileId', '=', fileId)
    .where('f.entity', '=', entity)
    .where('f.recordId', '=', recordId)
    .where('f.deletedAt', 'is', null)
    .executeTakeFirst();
  if (!file) {
    throw new AppError('not_found');
  }
  return { file, stream: openStoredFile(deps, file) };
}
