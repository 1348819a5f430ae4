import { type Kysely } from 'kysely';
import { z } from 'zod';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { checkFollowUpType, followUpAuthor, nextContactTime, prepareFollowUpEdit, writeFollowUpEdit } from '../follow-ups/follow-ups.edits';
import { attachableFiles, insertFollowUpWithFiles, storedAttachments, timelineAttachments } from '../follow-ups/follow-ups.files';
import { type ChangeScopes, followUpChangeScopes } from '../follow-ups/follow-ups.policy';
import { updateFollowUpRow } from '../follow-ups/follow-ups.repo';
import { changeableFollowUp, openRecordFollowUpFile, presentRecordFollowUp, type RecordFollowUpRow, recordFollowUpPage, recordFollowUps } from '../follow-ups/follow-ups.record';
import { type Attachment, followUpFields, type recordFollowUpBody, type recordFollowUpsQuery, type updateRecordFollowUpBody } from '../follow-ups/follow-ups.schema';
import { newestParents, recordSummary, refreshParents, summaryLength } from '../follow-ups/follow-ups.summary';
import { deleteFollowUpEntry, updateFollowUpEntry } from '../timeline/timeline.repo';
import { appendTimeline } from '../timeline/timeline.writer';
import { dealContext } from './deals.context';
import { loadDeal } from './deals.service';

/**
 * Follow-ups 跟进 on a deal live in follow_ups (entity 'deal', record_id = the deal) with the
 * deal's customer and contact, so they show on the customer's 360° page and count as contact with
 * the customer (the public pool's "no follow-up for N days" rule). Whoever sees the deal sees them;
 * edits and deletes follow the followUp rules (the author, or followUp:edit / delete scope over
 * the author), and keep the deal's, the customer's and the contact's last / next follow-up right.
 */
export const dealFollowUpSchema = z.object({ ...followUpFields, dealId: z.string() });
export type DealFollowUp = z.infer<typeof dealFollowUpSchema>;

function present(scopes: ChangeScopes, r: RecordFollowUpRow): DealFollowUp {
  return { ...presentRecordFollowUp(scopes, r), dealId: r.recordId };
}

function base(db: Kysely<Database>, workspaceId: string, dealId: string) {
  return recordFollowUps(db, workspaceId, 'deal', dealId);
}

/** The deal's last / next follow-up follows its newest live follow-up (deals keep no text of it). */
async function refreshDealSummary(trx: Kysely<Database>, workspaceId: string, dealId: string, removedNext: string | null): Promise<void> {
  const { lastFollowupAt, nextFollowupAt } = await recordSummary(trx, workspaceId, 'deal', dealId, removedNext);
  await trx.updateTable('deals').set({ lastFollowupAt, nextFollowupAt }).where('workspaceId', '=', workspaceId).where('id', '=', dealId).execute();
}

/** What the customer's timeline keeps of a deal's follow-up. */
function timelineData(id: string, type: string, content: string, deal: { id: string; name: string }, attachments: readonly Attachment[]) {
  return { followUpId: id, type, content, dealId: deal.id, dealName: deal.name, ...timelineAttachments(attachments) };
}

/** The deal's follow-ups, newest first, keyset-paged. */
export async function listDealFollowUps(deps: Deps, auth: AuthContext, dealId: string, query: z.infer<typeof recordFollowUpsQuery>) {
  await loadDeal(deps, await dealContext(deps, auth, []), dealId);
  const { page, scopes, nextCursor } = await recordFollowUpPage(deps, auth, 'deal', dealId, query);
  return { data: page.map((r) => present(scopes, r)), nextCursor };
}

export async function createDealFollowUp(deps: Deps, auth: AuthContext, dealId: string, body: z.infer<typeof recordFollowUpBody>): Promise<DealFollowUp> {
  const author = followUpAuthor(auth);
  const ctx = await dealContext(deps, auth, []);
  const deal = await loadDeal(deps, ctx, dealId);
  await checkFollowUpType(deps, auth.workspaceId, body.type);
  const attachments = await attachableFiles(deps, auth, body.attachmentIds ?? [], null);
  const id = newId();
  const now = nowIso(deps);
  const next = nextContactTime(body.nextFollowupAt);
  await deps.db.transaction().execute(async (trx) => {
    await insertFollowUpWithFiles(
      trx,
      { id, workspaceId: auth.workspaceId, entity: 'deal', recordId: dealId, customerId: deal.customerId, contactId: deal.contactId, type: body.type, content: body.content, nextFollowupAt: next, ownerId: author, createdAt: now, updatedAt: now, deletedAt: null },
      attachments,
    );
    await trx.updateTable('deals').set({ lastFollowupAt: now, nextFollowupAt: next }).where('workspaceId', '=', auth.workspaceId).where('id', '=', dealId).execute();
    // Contact with the deal's customer — and its contact person, when the deal names one.
    const summary = { lastFollowupAt: now, lastFollowupContent: body.content.slice(0, summaryLength), ...(next ? { nextFollowupAt: next } : {}) };
    await trx.updateTable('customers').set(summary).where('workspaceId', '=', auth.workspaceId).where('id', '=', deal.customerId).execute();
    if (deal.contactId) {
      await trx.updateTable('contacts').set(summary).where('workspaceId', '=', auth.workspaceId).where('id', '=', deal.contactId).execute();
    }
    await appendTimeline(trx, {
      workspaceId: auth.workspaceId,
      customerId: deal.customerId,
      entity: 'followUp',
      recordId: id,
      kind: 'follow_up',
      actorUserId: author,
      data: timelineData(id, body.type, body.content, deal, attachments),
      at: now,
    });
  });
  const row = await base(deps.db, auth.workspaceId, dealId).where('f.id', '=', id).executeTakeFirstOrThrow();
  return present(await followUpChangeScopes(deps, auth), row);
}

/** The deal (which the caller must see) and its follow-up, which the caller must be allowed to `action`. */
async function loadForChange(deps: Deps, auth: AuthContext, dealId: string, followUpId: string, action: 'edit' | 'delete') {
  const deal = await loadDeal(deps, await dealContext(deps, auth, []), dealId);
  return { deal, ...(await changeableFollowUp(deps, auth, 'deal', dealId, followUpId, action)) };
}

/** Edits a follow-up of a deal; with `expectedVersion` (If-Match) one changed meanwhile answers 412 version_mismatch. */
export async function updateDealFollowUp(
  deps: Deps,
  auth: AuthContext,
  actor: AuditActor,
  dealId: string,
  followUpId: string,
  body: z.infer<typeof updateRecordFollowUpBody>,
  expectedVersion?: number,
): Promise<DealFollowUp> {
  const { deal, row, scopes } = await loadForChange(deps, auth, dealId, followUpId, 'edit');
  await checkFollowUpType(deps, auth.workspaceId, body.type, row.type);
  const now = nowIso(deps);
  const edit = await prepareFollowUpEdit(deps, auth, followUpId, body, now);
  await deps.db.transaction().execute(async (trx) => {
    await writeFollowUpEdit(trx, auth.workspaceId, followUpId, edit, now, expectedVersion);
    if (row.customerId) {
      const data = timelineData(followUpId, body.type ?? row.type, body.content ?? row.content, deal, edit.attachments ?? storedAttachments(row));
      await updateFollowUpEntry(trx, auth.workspaceId, row.customerId, followUpId, data);
    }
    await refreshDealSummary(trx, auth.workspaceId, dealId, null);
    await refreshParents(trx, auth.workspaceId, await newestParents(trx, auth.workspaceId, row), null);
  });
  await recordAudit(deps, actor, { action: 'follow_up.updated', targetType: 'followUp', targetId: followUpId, detail: { dealId, changes: Object.keys(body) } });
  const updated = await base(deps.db, auth.workspaceId, dealId).where('f.id', '=', followUpId).executeTakeFirstOrThrow();
  return present(scopes, updated);
}

/** Deletes a follow-up of a deal; it leaves the customer's timeline with it. */
export async function deleteDealFollowUp(deps: Deps, auth: AuthContext, actor: AuditActor, dealId: string, followUpId: string): Promise<void> {
  const { row } = await loadForChange(deps, auth, dealId, followUpId, 'delete');
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    const newest = await newestParents(trx, auth.workspaceId, row);
    await updateFollowUpRow(trx, auth.workspaceId, followUpId, { deletedAt: now, updatedAt: now });
    if (row.customerId) {
      await deleteFollowUpEntry(trx, auth.workspaceId, row.customerId, followUpId);
    }
    await refreshDealSummary(trx, auth.workspaceId, dealId, row.nextFollowupAt);
    await refreshParents(trx, auth.workspaceId, newest, row.nextFollowupAt);
  });
  await recordAudit(deps, actor, { action: 'follow_up.deleted', targetType: 'followUp', targetId: followUpId, detail: { dealId, type: row.type } });
}

/** An attachment of a follow-up of a deal the caller can see. */
export async function openDealFollowUpFile(deps: Deps, auth: AuthContext, dealId: string, followUpId: string, fileId: string) {
  await loadDeal(deps, await dealContext(deps, auth, []), dealId);
  return openRecordFollowUpFile(deps, auth.workspaceId, 'deal', dealId, followUpId, fileId);
}
