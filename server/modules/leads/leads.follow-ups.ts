import type { Kysely } from 'kysely';
import { z } from 'zod';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { assertOpen, leadContext, loadLead } from './leads.context';
import { appendLeadEvents } from './leads.repo';
import { checkFollowUpType, followUpPatch } from '../follow-ups/follow-ups.edits';
import { type ChangeScopes, followUpAccess, followUpChangeScopes } from '../follow-ups/follow-ups.policy';
import { updateFollowUpRow } from '../follow-ups/follow-ups.repo';
import { followUpPage, olderThanCursor } from '../follow-ups/follow-ups.record-page';
import type { recordFollowUpBody, recordFollowUpsQuery, updateRecordFollowUpBody } from '../follow-ups/follow-ups.schema';
import { recordSummary, summaryLength } from '../follow-ups/follow-ups.summary';

/**
 * Follow-ups 跟进 on a lead live in the shared follow_ups table (entity 'lead', record_id = the
 * lead, no customer yet); converting the lead moves them to its customer. Whoever may see the
 * lead sees all of its follow-ups; edits and deletes follow the followUp rules (author, or
 * followUp:edit / delete scope over the author).
 */
export const leadFollowUpSchema = z.object({
  id: z.string(),
  leadId: z.string(),
  type: z.string(),
  content: z.string(),
  nextFollowupAt: z.string().nullable(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  access: z.object({ edit: z.boolean(), delete: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Send it back as `If-Match` on PATCH: a follow-up changed meanwhile answers 412. */
  version: z.number().int(),
});
export type LeadFollowUp = z.infer<typeof leadFollowUpSchema>;
export const leadFollowUpPage = z.object({ data: z.array(leadFollowUpSchema), nextCursor: z.string().nullable() });


function base(db: Kysely<Database>, workspaceId: string, leadId: string) {
  return db
    .selectFrom('followUps as f')
    .leftJoin('users as u', 'u.id', 'f.ownerId')
    .select(['f.id', 'f.recordId', 'f.type', 'f.content', 'f.nextFollowupAt', 'f.ownerId', 'u.name as ownerName', 'f.createdAt', 'f.updatedAt', 'f.version'])
    .where('f.workspaceId', '=', workspaceId)
    .where('f.entity', '=', 'lead')
    .where('f.recordId', '=', leadId)
    .where('f.deletedAt', 'is', null);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

function present(scopes: ChangeScopes, r: Row): LeadFollowUp {
  return { id: r.id, leadId: r.recordId, type: r.type, content: r.content, nextFollowupAt: r.nextFollowupAt, ownerId: r.ownerId, ownerName: r.ownerName, access: followUpAccess(scopes, r.ownerId), createdAt: r.createdAt, updatedAt: r.updatedAt, version: r.version };
}

/** The lead's summary (last / next follow-up) follows its newest live follow-up. */
async function refreshLeadSummary(trx: Kysely<Database>, workspaceId: string, leadId: string, removedNext: string | null): Promise<void> {
  const summary = await recordSummary(trx, workspaceId, 'lead', leadId, removedNext);
  await trx.updateTable('leads').set(summary).where('workspaceId', '=', workspaceId).where('id', '=', leadId).execute();
}

export async function listLeadFollowUps(deps: Deps, auth: AuthContext, leadId: string, query: z.infer<typeof recordFollowUpsQuery>) {
  await loadLead(deps, await leadContext(deps, auth), leadId);
  const scopes = await followUpChangeScopes(deps, auth);
  const older = olderThanCursor(query.cursor);
  const q = base(deps.db, auth.workspaceId, leadId);
  const rows = await (older ? q.where(older) : q).orderBy('f.createdAt', 'desc').orderBy('f.id', 'desc').limit(query.limit + 1).execute();
  const { page, nextCursor } = followUpPage(rows, query.limit);
  return { data: page.map((r) => present(scopes, r)), nextCursor };
}

/** Logs a follow-up on an open lead; a new lead becomes "contacted". */
export async function createLeadFollowUp(deps: Deps, auth: AuthContext, leadId: string, body: z.infer<typeof recordFollowUpBody>): Promise<LeadFollowUp> {
  const author = auth.userId;
  if (!author) {
    throw new AppError('forbidden', { detail: 'Follow-ups are written by a user; this API key has none' });
  }
  const lead = await loadLead(deps, await leadContext(deps, auth), leadId);
  assertOpen(lead);
  await checkFollowUpType(deps, auth.workspaceId, body.type);
  const id = newId();
  const now = nowIso(deps);
  const next = body.nextFollowupAt ? new Date(body.nextFollowupAt).toISOString() : null;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('followUps')
      .values({ id, workspaceId: auth.workspaceId, entity: 'lead', recordId: leadId, customerId: null, contactId: null, type: body.type, content: body.content, nextFollowupAt: next, attachments: '[]', ownerId: author, createdAt: now, updatedAt: now, deletedAt: null })
      .execute();
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
  const row = await base(deps.db, auth.workspaceId, leadId).where('f.id', '=', followUpId).executeTakeFirst();
  if (!row) {
    throw new AppError('not_found');
  }
  assertOpen(lead);
  const scopes = await followUpChangeScopes(deps, auth);
  if (!followUpAccess(scopes, row.ownerId)[action]) {
    throw new AppError('forbidden');
  }
  return { row, scopes };
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
  await deps.db.transaction().execute(async (trx) => {
    if ((await updateFollowUpRow(trx, auth.workspaceId, followUpId, followUpPatch(body, now), expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
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
