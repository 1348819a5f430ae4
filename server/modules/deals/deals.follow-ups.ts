import { type Kysely } from 'kysely';
import { z } from 'zod';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { checkFollowUpType, followUpPatch } from '../follow-ups/follow-ups.edits';
import { type ChangeScopes, followUpAccess, followUpChangeScopes } from '../follow-ups/follow-ups.policy';
import { updateFollowUpRow } from '../follow-ups/follow-ups.repo';
import { followUpPage, olderThanCursor } from '../follow-ups/follow-ups.record-page';
import type { recordFollowUpBody, recordFollowUpsQuery, updateRecordFollowUpBody } from '../follow-ups/follow-ups.schema';
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
export const dealFollowUpSchema = z.object({
  id: z.string(),
  dealId: z.string(),
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
export type DealFollowUp = z.infer<typeof dealFollowUpSchema>;

function base(db: Kysely<Database>, workspaceId: string, dealId: string) {
  return db
    .selectFrom('followUps as f')
    .leftJoin('users as u', 'u.id', 'f.ownerId')
    .select(['f.id', 'f.recordId', 'f.customerId', 'f.contactId', 'f.type', 'f.content', 'f.nextFollowupAt', 'f.ownerId', 'u.name as ownerName', 'f.createdAt', 'f.updatedAt', 'f.version'])
    .where('f.workspaceId', '=', workspaceId)
    .where('f.entity', '=', 'deal')
    .where('f.recordId', '=', dealId)
    .where('f.deletedAt', 'is', null);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

function present(scopes: ChangeScopes, r: Row): DealFollowUp {
  return {
    id: r.id,
    dealId: r.recordId,
    type: r.type,
    content: r.content,
    nextFollowupAt: r.nextFollowupAt,
    ownerId: r.ownerId,
    ownerName: r.ownerName,
    access: followUpAccess(scopes, r.ownerId),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

/** The deal's last / next follow-up follows its newest live follow-up (deals keep no text of it). */
async function refreshDealSummary(trx: Kysely<Database>, workspaceId: string, dealId: string, removedNext: string | null): Promise<void> {
  const { lastFollowupAt, nextFollowupAt } = await recordSummary(trx, workspaceId, 'deal', dealId, removedNext);
  await trx.updateTable('deals').set({ lastFollowupAt, nextFollowupAt }).where('workspaceId', '=', workspaceId).where('id', '=', dealId).execute();
}

/** What the customer's timeline keeps of a deal's follow-up. */
function timelineData(id: string, type: string, content: string, deal: { id: string; name: string }) {
  return { followUpId: id, type, content, dealId: deal.id, dealName: deal.name };
}

/** The deal's follow-ups, newest first, keyset-paged. */
export async function listDealFollowUps(deps: Deps, auth: AuthContext, dealId: string, query: z.infer<typeof recordFollowUpsQuery>) {
  const ctx = await dealContext(deps, auth, []);
  await loadDeal(deps, ctx, dealId);
  const older = olderThanCursor(query.cursor);
  const q = base(deps.db, auth.workspaceId, dealId);
  const [rows, scopes] = await Promise.all([(older ? q.where(older) : q).orderBy('f.createdAt', 'desc').orderBy('f.id', 'desc').limit(query.limit + 1).execute(), followUpChangeScopes(deps, auth)]);
  const { page, nextCursor } = followUpPage(rows, query.limit);
  return { data: page.map((r) => present(scopes, r)), nextCursor };
}

export async function createDealFollowUp(deps: Deps, auth: AuthContext, dealId: string, body: z.infer<typeof recordFollowUpBody>): Promise<DealFollowUp> {
  const author = auth.userId;
  if (!author) {
    throw new AppError('forbidden', { detail: 'Follow-ups are written by a user; this API key has none' });
  }
  const ctx = await dealContext(deps, auth, []);
  const deal = await loadDeal(deps, ctx, dealId);
  await checkFollowUpType(deps, auth.workspaceId, body.type);
  const id = newId();
  const now = nowIso(deps);
  const next = body.nextFollowupAt ? new Date(body.nextFollowupAt).toISOString() : null;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('followUps')
      .values({
        id,
        workspaceId: auth.workspaceId,
        entity: 'deal',
        recordId: dealId,
        customerId: deal.customerId,
        contactId: deal.contactId,
        type: body.type,
        content: body.content,
        nextFollowupAt: next,
        attachments: '[]',
        ownerId: author,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      })
      .execute();
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
      data: timelineData(id, body.type, body.content, deal),
      at: now,
    });
  });
  const row = await base(deps.db, auth.workspaceId, dealId).where('f.id', '=', id).executeTakeFirstOrThrow();
  return present(await followUpChangeScopes(deps, auth), row);
}

/** The deal (which the caller must see) and its follow-up, which the caller must be allowed to `action`. */
async function loadForChange(deps: Deps, auth: AuthContext, dealId: string, followUpId: string, action: 'edit' | 'delete') {
  const deal = await loadDeal(deps, await dealContext(deps, auth, []), dealId);
  const row = await base(deps.db, auth.workspaceId, dealId).where('f.id', '=', followUpId).executeTakeFirst();
  if (!row) {
    throw new AppError('not_found');
  }
  const scopes = await followUpChangeScopes(deps, auth);
  if (!followUpAccess(scopes, row.ownerId)[action]) {
    throw new AppError('forbidden');
  }
  return { deal, row, scopes };
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
  await deps.db.transaction().execute(async (trx) => {
    if ((await updateFollowUpRow(trx, auth.workspaceId, followUpId, followUpPatch(body, now), expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
    if (row.customerId) {
      await updateFollowUpEntry(trx, auth.workspaceId, row.customerId, followUpId, timelineData(followUpId, body.type ?? row.type, body.content ?? row.content, deal));
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
