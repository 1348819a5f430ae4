import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { listReads, scansRows } from '../../list/list-reads';
import type { ParsedList } from '../../list/list-spec';
import { encodeListCursor, parseListQuery } from '../../list/parse-list';
import { fieldAccess } from '../permissions/permissions.service';
import { followUpListSpec } from './follow-ups.list-spec';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { contactContext } from '../contacts/contacts.policy';
import { findContact } from '../contacts/contacts.repo';
import { customerContext } from '../customers/customers.context';
import { loadCustomer } from '../customers/customers.service';
import { deleteFollowUpEntry, updateFollowUpEntry } from '../timeline/timeline.repo';
import { appendTimeline } from '../timeline/timeline.writer';
import { type FollowUpContext, followUpAccess, followUpContext } from './follow-ups.policy';
import { attachableFiles, insertFollowUpWithFiles, storedAttachments, timelineAttachments } from './follow-ups.files';
import {
  findFollowUp,
  findFollowupSummary,
  type FollowUpRow,
  listFollowUpRows,
  countFollowUps,
  followUpTuning,
  scanSlice,
  setContactFollowup,
  setCustomerFollowup,
  updateFollowUpRow,
} from './follow-ups.repo';
import { checkFollowUpType, followUpAuthor, nextContactTime, prepareFollowUpEdit, writeFollowUpEdit } from './follow-ups.edits';
import { newestParents, type Parent, refreshParents, summaryLength } from './follow-ups.summary';
import { listedFollowUpEntities, type Attachment, type CreateFollowUpBody, type FollowUp, type FollowUpPage, type ListFollowUpsQuery, type UpdateFollowUpBody } from './follow-ups.schema';

function listedEntity(entity: string): FollowUp['entity'] {
  return (listedFollowUpEntities as readonly string[]).includes(entity) ? (entity as FollowUp['entity']) : 'customer';
}

export function presentFollowUp(ctx: FollowUpContext, row: FollowUpRow): FollowUp {
  return {
    id: row.id,
    entity: listedEntity(row.entity),
    recordId: row.recordId,
    recordName: row.recordName,
    customerId: row.customerId,
    customerName: row.customerName,
    contactId: row.contactId,
    contactName: row.contactName,
    type: row.type,
    content: row.content,
    nextFollowupAt: row.nextFollowupAt,
    attachments: storedAttachments(row),
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    access: followUpAccess(ctx, row.ownerId),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

async function loadFollowUp(deps: Deps, ctx: FollowUpContext, id: string): Promise<FollowUpRow> {
  const row = await findFollowUp(deps.db, ctx, id);
  if (!row) {
    throw new AppError('not_found');
  }
  return row;
}

export async function getFollowUp(deps: Deps, auth: AuthContext, id: string): Promise<FollowUp> {
  const ctx = await followUpContext(deps, auth);
  return presentFollowUp(ctx, await loadFollowUp(deps, ctx, id));
}

/**
 * `q` on follow-ups is `content[contains]`: the follow-up's text is what there is to search. As a
 * filter it also sends the page to a long read (listReads), as every substring scan goes.
 */
export function withContentSearch(list: ParsedList): ParsedList {
  const content = followUpListSpec.fields.find((f) => f.name === 'content');
  if (list.q === undefined || !content) {
    return list;
  }
  return { ...list, q: undefined, filters: [...list.filters, { target: { kind: 'field', field: content }, op: 'contains', values: [list.q] }] };
}

/**
 * Follow-ups the caller may see, newest first unless sorted otherwise, keyset-paged, filtered as a
 * list. A content search reads one slice of followUpTuning.scanRows follow-ups per request: its page may
 * hold fewer rows than asked with a cursor to go on (`searchedTo` says how far it read), and it
 * has no count, which would read every follow-up.
 */
export async function listFollowUps(deps: Deps, auth: AuthContext, query: ListFollowUpsQuery): Promise<FollowUpPage> {
  const ctx = await followUpContext(deps, auth);
  const { id, ...raw } = query;
  const list = withContentSearch(parseListQuery(raw, followUpListSpec, [], (f) => fieldAccess(auth.permissions, 'followUp', f)));
  const reads = listReads(deps, list);
  const scanning = scansRows(list) && !id;
  const through = scanning ? await scanSlice(reads.page, deps.dialect, auth.workspaceId, list, followUpTuning.scanRows) : null;
  const options = { ids: id, through };
  const rows = await listFollowUpRows(reads.page, deps.dialect, ctx, list, options);
  const page = rows.slice(0, list.limit);
  const last = page.at(-1);
  const result: FollowUpPage = { data: page.map((r) => presentFollowUp(ctx, r)), nextCursor: null };
  if (rows.length > list.limit && last) {
    result.nextCursor = encodeListCursor(list.sort.name, last.createdAt, last.id);
  } else if (through) {
    // The slice ended before the page filled: go on after it.
    result.nextCursor = encodeListCursor(list.sort.name, through.createdAt, through.id);
    result.searchedTo = through.createdAt;
  }
  if (list.count && !scanning) {
    const counted = await countFollowUps(reads.count, deps.dialect, ctx, list, options);
    result.total = counted.total;
    result.countExact = counted.exact;
  }
  return result;
}

function noSuchRecord(error: unknown): unknown {
  // A record the caller cannot see is, to them, one that does not exist: a bad reference (400).
  return error instanceof AppError && error.code === 'not_found' ? new AppError('validation_failed', { errors: [{ path: 'recordId', message: 'no such record' }] }) : error;
}

/** The customer (and contact) a new follow-up belongs to; the caller must be able to see it. */
async function resolveParent(deps: Deps, auth: AuthContext, entity: 'customer' | 'contact', recordId: string): Promise<{ customerId: string; contactId: string | null }> {
  if (entity === 'customer') {
    const customer = await loadCustomer(deps, await customerContext(deps, auth, []), recordId).catch((error: unknown) => {
      throw noSuchRecord(error);
    });
    return { customerId: customer.id, contactId: null };
  }
  const ctx = await contactContext(deps, auth);
  const contact = await findContact(deps.db, auth.workspaceId, recordId, ctx.visibility);
  if (!contact) {
    throw noSuchRecord(new AppError('not_found'));
  }
  return { customerId: contact.customerId, contactId: contact.id };
}

/** What the timeline keeps of a follow-up: enough to show it (with its files) without a join. */
function timelineData(id: string, type: string, content: string, contactId: string | null, attachments: readonly Attachment[]) {
  return {
    followUpId: id,
    type,
    content,
    ...(contactId ? { contactId } : {}),
    ...timelineAttachments(attachments),
  };
}

/**
 * Logs a follow-up 跟进 on a customer or contact. In the same transaction the parent's (and for a
 * contact, its customer's) last follow-up time and text and next follow-up time are set from it,
 * and it lands on the customer's timeline.
 */
export async function createFollowUp(deps: Deps, auth: AuthContext, body: CreateFollowUpBody): Promise<FollowUp> {
  const author = followUpAuthor(auth);
  await checkFollowUpType(deps, auth.workspaceId, body.type);
  const parent = await resolveParent(deps, auth, body.entity, body.recordId);
  const attachments = await attachableFiles(deps, auth, body.attachmentIds ?? [], null);
  const id = newId();
  const now = nowIso(deps);
  const next = nextContactTime(body.nextFollowupAt);
  await deps.db.transaction().execute(async (trx) => {
    await insertFollowUpWithFiles(
      trx,
      { id, workspaceId: auth.workspaceId, entity: body.entity, recordId: body.recordId, customerId: parent.customerId, contactId: parent.contactId, type: body.type, content: body.content, nextFollowupAt: next, ownerId: author, createdAt: now, updatedAt: now, deletedAt: null },
      attachments,
    );
    // Without a next time of its own, a follow-up leaves a next contact that is still ahead (a
    // meeting planned on the record or by another follow-up); one already due is what it fulfilled.
    const summaryOf = async (p: Parent) => {
      const planned = next ? null : ((await findFollowupSummary(trx, auth.workspaceId, p))?.nextFollowupAt ?? null);
      return { lastFollowupAt: now, lastFollowupContent: body.content.slice(0, summaryLength), nextFollowupAt: next ?? (planned !== null && planned > now ? planned : null) };
    };
    await setCustomerFollowup(trx, auth.workspaceId, parent.customerId, await summaryOf({ customerId: parent.customerId }));
    if (parent.contactId) {
      await setContactFollowup(trx, auth.workspaceId, parent.contactId, await summaryOf({ contactId: parent.contactId }));
    }
    await appendTimeline(trx, {
      workspaceId: auth.workspaceId,
      customerId: parent.customerId,
      entity: 'followUp',
      recordId: id,
      kind: 'follow_up',
      actorUserId: author,
      data: timelineData(id, body.type, body.content, parent.contactId, attachments),
      at: now,
    });
  });
  // The author may lack followUp:view (a create-only role): answer what was made anyway.
  const ctx = await followUpContext(deps, auth, { lenient: true });
  const row = await findFollowUp(deps.db, ctx, id, { visibleOnly: false });
  return presentFollowUp(ctx, row as FollowUpRow);
}

/**
 * Edits a follow-up: its author, or someone whose followUp:edit scope covers the author. With
 * `expectedVersion` (If-Match) one changed meanwhile answers 412 version_mismatch.
 */
export async function updateFollowUp(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: UpdateFollowUpBody, expectedVersion?: number): Promise<FollowUp> {
  const ctx = await followUpContext(deps, auth);
  const row = await loadFollowUp(deps, ctx, id);
  if (!followUpAccess(ctx, row.ownerId).edit) {
    throw new AppError('forbidden');
  }
  await checkFollowUpType(deps, auth.workspaceId, body.type, row.type);
  const now = nowIso(deps);
  const edit = await prepareFollowUpEdit(deps, auth, id, body, now);
  await deps.db.transaction().execute(async (trx) => {
    await writeFollowUpEdit(trx, auth.workspaceId, id, edit, now, expectedVersion);
    if (row.customerId) {
      const data = timelineData(id, body.type ?? row.type, body.content ?? row.content, row.contactId, edit.attachments ?? storedAttachments(row));
      await updateFollowUpEntry(trx, auth.workspaceId, row.customerId, id, data);
    }
    await refreshParents(trx, auth.workspaceId, await newestParents(trx, auth.workspaceId, row), null);
  });
  await recordAudit(deps, actor, { action: 'follow_up.updated', targetType: 'followUp', targetId: id, detail: { changes: Object.keys(body) } });
  return getFollowUp(deps, auth, id);
}

/** Deletes a follow-up (soft): its author, or someone whose followUp:delete scope covers the author. */
export async function deleteFollowUp(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  const ctx = await followUpContext(deps, auth);
  const row = await loadFollowUp(deps, ctx, id);
  if (!followUpAccess(ctx, row.ownerId).delete) {
    throw new AppError('forbidden');
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    const newest = await newestParents(trx, auth.workspaceId, row);
    await updateFollowUpRow(trx, auth.workspaceId, id, { deletedAt: now, updatedAt: now });
    if (row.customerId) {
      await deleteFollowUpEntry(trx, auth.workspaceId, row.customerId, id);
    }
    await refreshParents(trx, auth.workspaceId, newest, row.nextFollowupAt);
  });
  await recordAudit(deps, actor, { action: 'follow_up.deleted', targetType: 'followUp', targetId: id, detail: { customerId: row.customerId, type: row.type } });
}
