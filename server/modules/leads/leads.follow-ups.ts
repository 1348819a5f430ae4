import type { Kysely } from 'kysely';
import { z } from 'zod';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { assertOpen, leadContext, loadLead } from './leads.context';
import { appendLeadEvents } from './leads.repo';
import { checkFollowUpType, followUpAuthor, nextContactTime, prepareFollowUpEdit, writeFollowUpEdit } from '../follow-ups/follow-ups.edits';
import { attachableFiles, insertFollowUpWithFiles } from '../follow-ups/follow-ups.files';
import { type ChangeScopes, followUpChangeScopes } from '../follow-ups/follow-ups.policy';
import { updateFollowUpRow } from '../follow-ups/follow-ups.repo';
import { changeableFollowUp, openRecordFollowUpFile, presentRecordFollowUp, type RecordFollowUpRow, recordFollowUpPage, recordFollowUps } from '../follow-ups/follow-ups.record';
import { followUpFields, type recordFollowUpBody, type recordFollowUpsQuery, type updateRecordFollowUpBody } from '../follow-ups/follow-ups.schema';
import { recordSummary, summaryLength } from '../follow-ups/follow-ups.summary';

/**
 * Follow-ups 跟进 on a lead live in the shared follow_ups table (entity 'lead', record_id = the
 * lead, no customer yet); converting the lead moves them to its customer. Whoever may see the
 * lead sees all of its follow-ups; edits and deletes follow the followUp rules (author, or
 * followUp:edit / delete scope over the author).
 */
export const leadFollowUpSchema = z.object({ ...followUpFields, leadId: z.string() });
export type LeadFollowUp = z.infer<typeof leadFollowUpSchema>;

function present(scopes: ChangeScopes, r: RecordFollowUpRow): LeadFollowUp {
  return { ...presentRecordFollowUp(scopes, r), leadId: r.recordId };
}

function base(db: Kysely<Database>, workspaceId: string, leadId: string) {
  return recordFollowUps(db, workspaceId, 'lead', leadId);
}

/** The lead's summary (last / next follow-up) follows its newest live follow-up. */
async function refreshLeadSummary(trx: Kysely<Database>, workspaceId: string, leadId: string, removedNext: string | null): Promise<void> {
  const summary = await recordSummary(trx, workspaceId, 'lead', leadId, removedNext);
  await trx.updateTable('leads').set(summary).where('workspaceId', '=', workspaceId).where('id', '=', leadId).execute();
}

export async function listLeadFollowUps(deps: Deps, auth: AuthContext, leadId: string, query: z.infer<typeof recordFollowUpsQuery>) {
  await loadLead(deps, await leadContext(deps, auth), leadId);
  const { page, scopes, nextCursor } = await recordFollowUpPage(deps, auth, 'lead', leadId, query);
  return { data: page.map((r) => present(scopes, r)), nextCursor };
}

/** Logs a follow-up on an open lead; a new lead becomes "contacted". */
export async function createLeadFollowUp(deps: Deps, auth: AuthContext, leadId: string, body: z.infer<typeof recordFollowUpBody>): Promise<LeadFollowUp> {
  const author = followUpAuthor(auth);
  const lead = await loadLead(deps, await leadContext(deps, auth), leadId);
  assertOpen(lead);
  await checkFollowUpType(deps, auth.workspaceId, body.type);
  const attachments = await attachableFiles(deps, auth, body.attachmentIds ?? [], null);
  const id = newId();
  const now = nowIso(deps);
  const next = nextContactTime(body.nextFollowupAt);
  await deps.db.transaction().execute(async (trx) => {
    await insertFollowUpWithFiles(
      trx,
      { id, workspaceId: auth.workspaceId, entity: 'lead', recordId: leadId, customerId: null, contactId: null, type: body.type, content: body.content, nextFollowupAt: next, ownerId: author, createdAt: now, updatedAt: now, deletedAt: null },
      attachments,
    );
    await trx
      .updateTable('leads')
      .set({ lastFollowupAt: now, lastFollowupContent: body.content.slice(0, summaryLength), nextFollowupAt: next })
      .where('workspaceId', '=', auth.workspaceId)
      .where('id', '=', leadId)
      .execute();
    if (lead.status === 'new') {
      await trx.updateTable('leads').set({ status: 'contacted' }).where('workspaceId', '=', auth.workspaceId).where('id', '=', leadId).where('status', '=', 'new').execute();
      await appendLeadEvents(trx, [{ workspaceId: auth.workspaceId, leadId, kind: 'field_change', actorUserId: author, data: { changes: { status: { from: 'new', to: 'contacted' } }, via: 'follow_up' }, at: now }]);
    }
  });
  const row = await base(deps.db, auth.workspaceId, leadId).where('f.id', '=', id).executeTakeFirstOrThrow();
  return present(await followUpChangeScopes(deps, auth), row);
}

async function loadForChange(deps: Deps, auth: AuthContext, leadId: string, followUpId: string, action: 'edit' | 'delete') {
  const lead = await loadLead(deps, await leadContext(deps, auth), leadId);
  const change = await changeableFollowUp(deps, auth, 'lead', leadId, followUpId, action);
  assertOpen(lead);
  return change;
}

/** Edits a follow-up of an open lead; with `expectedVersion` (If-Match) one changed meanwhile answers 412 version_mismatch. */
export async function updateLeadFollowUp(
  deps: Deps,
  auth: AuthContext,
  actor: AuditActor,
  leadId: string,
  followUpId: string,
  body: z.infer<typeof updateRecordFollowUpBody>,
  expectedVersion?: number,
): Promise<LeadFollowUp> {
  const { row, scopes } = await loadForChange(deps, auth, leadId, followUpId, 'edit');
  await checkFollowUpType(deps, auth.workspaceId, body.type, row.type);
  const now = nowIso(deps);
  const edit = await prepareFollowUpEdit(deps, auth, followUpId, body, now);
  await deps.db.transaction().execute(async (trx) => {
    await writeFollowUpEdit(trx, auth.workspaceId, followUpId, edit, now, expectedVersion);
    await refreshLeadSummary(trx, auth.workspaceId, leadId, null);
  });
  await recordAudit(deps, actor, { action: 'follow_up.updated', targetType: 'followUp', targetId: followUpId, detail: { leadId, changes: Object.keys(body) } });
  const updated = await base(deps.db, auth.workspaceId, leadId).where('f.id', '=', followUpId).executeTakeFirstOrThrow();
  return present(scopes, updated);
}

export async function deleteLeadFollowUp(deps: Deps, auth: AuthContext, actor: AuditActor, leadId: string, followUpId: string): Promise<void> {
  const { row } = await loadForChange(deps, auth, leadId, followUpId, 'delete');
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await updateFollowUpRow(trx, auth.workspaceId, followUpId, { deletedAt: now, updatedAt: now });
    await refreshLeadSummary(trx, auth.workspaceId, leadId, row.nextFollowupAt);
  });
  await recordAudit(deps, actor, { action: 'follow_up.deleted', targetType: 'followUp', targetId: followUpId, detail: { leadId, type: row.type } });
}

/** An attachment of a follow-up of a lead the caller can see (a converted lead's have moved to its customer). */
export async function openLeadFollowUpFile(deps: Deps, auth: AuthContext, leadId: string, followUpId: string, fileId: string) {
  await loadLead(deps, await leadContext(deps, auth), leadId);
  return openRecordFollowUpFile(deps, auth.workspaceId, 'lead', leadId, followUpId, fileId);
}
