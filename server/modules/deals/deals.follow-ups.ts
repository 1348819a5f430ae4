import { z } from 'zod';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { isoTimestamp, textSchema } from '../../http/schemas';
import { activeValues } from '../picklists/picklists.service';
import { appendTimeline } from '../timeline/timeline.writer';
import { dealContext } from './deals.context';
import { loadDeal } from './deals.service';

export const dealFollowUpBody = z.strictObject({
  type: z.string().trim().min(1).max(64),
  content: textSchema(5000),
  nextFollowupAt: isoTimestamp.nullish(),
});

export const dealFollowUpSchema = z.object({
  id: z.string(),
  type: z.string(),
  content: z.string(),
  nextFollowupAt: z.string().nullable(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  createdAt: z.string(),
});

const summaryLength = 1000;

/**
 * Follow-ups 跟进 on a deal live in follow_ups (entity 'deal', record_id = the deal) with the
 * deal's customer and contact, so they show on the customer's 360° page and count as contact with
 * the customer (the public pool's "no follow-up for N days" rule). Whoever sees the deal sees them.
 */
export async function listDealFollowUps(deps: Deps, auth: AuthContext, dealId: string) {
  const ctx = await dealContext(deps, auth, []);
  await loadDeal(deps, ctx, dealId);
  const rows = await deps.db
    .selectFrom('followUps as f')
    .leftJoin('users as u', 'u.id', 'f.ownerId')
    .select(['f.id', 'f.type', 'f.content', 'f.nextFollowupAt', 'f.ownerId', 'u.name as ownerName', 'f.createdAt'])
    .where('f.workspaceId', '=', auth.workspaceId)
    .where('f.entity', '=', 'deal')
    .where('f.recordId', '=', dealId)
    .where('f.deletedAt', 'is', null)
    .orderBy('f.createdAt', 'desc')
    .limit(200)
    .execute();
  return { data: rows };
}

export async function createDealFollowUp(deps: Deps, auth: AuthContext, dealId: string, body: z.infer<typeof dealFollowUpBody>) {
  const author = auth.userId;
  if (!author) {
    throw new AppError('forbidden', { detail: 'Follow-ups are written by a user; this API key has none' });
  }
  const ctx = await dealContext(deps, auth, []);
  const deal = await loadDeal(deps, ctx, dealId);
  if (!(await activeValues(deps, auth.workspaceId, 'followUp.type')).has(body.type)) {
    throw new AppError('validation_failed', { errors: [{ path: 'type', message: 'not one of the configured follow-up types' }] });
  }
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
    await trx
      .updateTable('customers')
      .set({ lastFollowupAt: now, lastFollowupContent: body.content.slice(0, summaryLength), ...(next ? { nextFollowupAt: next } : {}) })
      .where('workspaceId', '=', auth.workspaceId)
      .where('id', '=', deal.customerId)
      .execute();
    await appendTimeline(trx, {
      workspaceId: auth.workspaceId,
      customerId: deal.customerId,
      entity: 'followUp',
      recordId: id,
      kind: 'follow_up',
      actorUserId: author,
      data: { followUpId: id, type: body.type, content: body.content, dealId, dealName: deal.name },
      at: now,
    });
  });
  const user = await deps.db.selectFrom('users').select('name').where('id', '=', author).executeTakeFirst();
  return { id, type: body.type, content: body.content, nextFollowupAt: next, ownerId: author, ownerName: user?.name ?? null, createdAt: now };
}
