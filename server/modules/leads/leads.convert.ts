import type { Kysely } from 'kysely';
import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { customerContext } from '../customers/customers.context';
import { insertCustomer } from '../customers/customers.repo';
import { loadCustomer } from '../customers/customers.service';
import { createDeal } from '../deals/deals.service';
import { checkDuplicates } from '../duplicates/duplicates.service';
import { assertCanOwn } from '../pools/pools.limits';
import { can, inScope, scopeFilter } from '../permissions/permissions.service';
import { reindexContacts, reindexCustomers } from '../search/search.index';
import { storedAttachments, timelineAttachments } from '../follow-ups/follow-ups.files';
import { appendTimeline } from '../timeline/timeline.writer';
import type { ConvertLeadBody, ConvertPreview, ConvertResult } from './leads.convert.schema';
import { assertOpen, leadAccess, leadContext, loadLead } from './leads.context';
import { presentLead } from './leads.present';
import { appendLeadEvents, type LeadRow } from './leads.repo';

function customerNameOf(lead: { name: string; company: string | null }): string {
  return lead.company?.trim() || lead.name;
}

async function duplicatesOf(deps: Deps, auth: AuthContext, lead: LeadRow) {
  const probe = { name: customerNameOf(lead), ...(lead.phone ? { phone: lead.phone } : {}), ...(lead.email ? { email: lead.email } : {}) };
  return (await checkDuplicates(deps, auth, probe)).matches;
}

async function countFollowUps(db: Kysely<Database>, workspaceId: string, leadId: string): Promise<number> {
  const row = await db
    .selectFrom('followUps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', 'lead')
    .where('recordId', '=', leadId)
    .where('deletedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function loadConvertible(deps: Deps, auth: AuthContext, id: string) {
  const ctx = await leadContext(deps, auth);
  const lead = await loadLead(deps, ctx, id);
  assertOpen(lead);
  if (lead.status === 'invalid') {
    throw new AppError('business_rule', { detail: 'An invalid lead cannot be converted; change its status first' });
  }
  if (!leadAccess(ctx, lead).convert) {
    throw new AppError('forbidden');
  }
  return { ctx, lead };
}

/** What converting would create, and the customers it may duplicate (for the confirmation step). */
export async function previewConversion(deps: Deps, auth: AuthContext, id: string): Promise<ConvertPreview> {
  const { ctx, lead } = await loadConvertible(deps, auth, id);
  // Through the lead's field rules: a masked phone stays masked in the preview.
  const shown = presentLead(auth.permissions, ctx.definitions, lead, leadAccess(ctx, lead));
  const name = customerNameOf(lead);
  return {
    customer: {
      name,
      kind: lead.company ? 'company' : 'person',
      phone: shown.phone,
      email: shown.email,
      source: shown.source,
      industry: shown.industry,
      address: shown.address,
      ownerId: lead.ownerId ?? auth.userId,
      ownerName: lead.ownerId ? lead.ownerName : null,
    },
    contact: { name: lead.name, phone: shown.phone, email: shown.email, title: shown.title },
    deal: { name, source: shown.source },
    duplicates: await duplicatesOf(deps, auth, lead),
    followUps: await countFollowUps(deps.db, auth.workspaceId, id),
  };
}

/**
 * Moves the lead's follow-ups to the customer (entity, record and customer), puts them on the
 * customer's timeline at their own times, and brings the customer's last follow-up up to date.
 */
async function moveFollowUps(trx: Kysely<Database>, workspaceId: string, leadId: string, customerId: string): Promise<number> {
  const rows = await trx
    .selectFrom('followUps')
    .select(['id', 'type', 'content', 'attachments', 'ownerId', 'createdAt', 'nextFollowupAt', 'deletedAt'])
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', 'lead')
    .where('recordId', '=', leadId)
    .execute();
  if (rows.length === 0) {
    return 0;
  }
  await trx.updateTable('followUps').set({ entity: 'customer', recordId: customerId, customerId }).where('workspaceId', '=', workspaceId).where('entity', '=', 'lead').where('recordId', '=', leadId).execute();
  const visible = rows.filter((r) => r.deletedAt === null);
  await appendTimeline(
    trx,
    visible.map((r) => ({
      workspaceId,
      customerId,
      entity: 'followUp',
      recordId: r.id,
      kind: 'follow_up',
      actorUserId: r.ownerId,
      data: { followUpId: r.id, type: r.type, content: r.content, fromLeadId: leadId, ...timelineAttachments(storedAttachments(r)) },
      at: r.createdAt,
    })),
  );
  const newest = [...visible].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1))[0];
  if (newest) {
    const current = await trx.selectFrom('customers').select('lastFollowupAt').where('workspaceId', '=', workspaceId).where('id', '=', customerId).executeTakeFirst();
    if (!current?.lastFollowupAt || current.lastFollowupAt < newest.createdAt) {
      await trx
        .updateTable('customers')
        .set({ lastFollowupAt: newest.createdAt, lastFollowupContent: newest.content.slice(0, 1000), nextFollowupAt: newest.nextFollowupAt })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', customerId)
        .execute();
    }
  }
  return visible.length;
}

/**
 * 转化: in one transaction, a customer (or the existing one chosen), its primary contact from the
 * lead's person, optionally a deal, the lead's follow-ups moved over, the conversion on the
 * customer's timeline, and the lead marked converted (read-only). The lead's source carries over
 * to the customer and the deal. A new customer that matches existing ones (company name, phone,
 * email) needs `ignoreDuplicates`; the preview lists the matches.
 */
export async function convertLead(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: ConvertLeadBody): Promise<ConvertResult> {
  const { lead } = await loadConvertible(deps, auth, id);
  const ownerId = lead.ownerId ?? auth.userId;
  const workspaceId = auth.workspaceId;
  let existing: { id: string; ownerId: string | null; primaryContactId: string | null } | null = null;
  if (body.customerId) {
    const row = await loadCustomer(deps, await customerContext(deps, auth, []), body.customerId).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'not_found' ? new AppError('validation_failed', { errors: [{ path: 'customerId', message: 'no such customer' }] }) : error;
    });
    existing = { id: row.id, ownerId: row.ownerId, primaryContactId: row.primaryContactId };
    if (!can(auth.permissions, 'contact:create')) {
      throw new AppError('forbidden', { detail: 'You may not add contacts to customers' });
    }
  } else {
    if (!inScope(await scopeFilter(deps, auth, 'customer', 'create'), ownerId)) {
      throw new AppError('forbidden', { detail: "You may not create customers for this lead's owner" });
    }
    if (!body.ignoreDuplicates && (await duplicatesOf(deps, auth, lead)).length > 0) {
      throw new AppError('duplicate_customer');
    }
  }
  if (body.deal) {
    // Resolved before the transaction, so nothing inside it reads through the pool.
    await scopeFilter(deps, auth, 'deal', 'create');
    await scopeFilter(deps, auth, 'customer', 'view');
  }
  const now = nowIso(deps);
  const customerId = existing?.id ?? newId();
  const contactId = newId();
  const customerOwner = existing ? existing.ownerId : ownerId;
  let dealId: string | null = null;
  let moved = 0;
  await deps.db.transaction().execute(async (trx) => {
    // Claims the lead first: a second, concurrent conversion finds it converted and stops here.
    const claimed = await trx
      .updateTable('leads')
      .set((eb) => ({ status: 'converted', convertedAt: now, convertedBy: auth.userId, updatedAt: now, version: eb('version', '+', 1) }))
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .where('status', '<>', 'converted')
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) {
      throw new AppError('lead_converted');
    }
    const customerName = body.customerName ?? customerNameOf(lead);
    if (!existing) {
      // 客户数上限: the new customer counts against its owner's ownership limit.
      if (ownerId) {
        await assertCanOwn(trx, deps.dialect, workspaceId, ownerId, [{ dealStatus: 'none' }]);
      }
      await insertCustomer(trx, {
        id: customerId,
        workspaceId,
        name: customerName,
        nameKey: companyKey(customerName),
        kind: lead.company ? 'company' : 'person',
        phone: lead.phone,
        phoneKey: phoneKey(lead.phone),
        email: lead.email,
        emailKey: emailKey(lead.email),
        website: null,
        level: null,
        source: lead.source,
        industry: lead.industry,
        lifecycleStage: 'prospect',
        dealStatus: 'none',
        ownerId,
        locked: 0,
        province: null,
        city: null,
        district: null,
        address: lead.address,
        primaryContactId: null,
        remark: lead.remark,
        lastFollowupAt: null,
        lastFollowupContent: null,
        nextFollowupAt: lead.nextFollowupAt,
        ownerSince: ownerId ? now : null,
        custom: '{}',
        createdBy: auth.userId,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
        deletedBy: null,
      });
      await appendTimeline(trx, { workspaceId, customerId, entity: 'customer', recordId: customerId, kind: 'created', actorUserId: auth.userId, data: { name: customerName, ownerId, fromLeadId: id }, at: now });
    }
    const primary = !existing || existing.primaryContactId === null;
    await trx
      .insertInto('contacts')
      .values({
        id: contactId,
        workspaceId,
        customerId,
        ownerId: customerOwner,
        name: lead.name,
        phone: lead.phone,
        phoneKey: phoneKey(lead.phone),
        email: lead.email,
        emailKey: emailKey(lead.email),
        title: lead.title,
        department: null,
        wechat: null,
        isPrimary: primary ? 1 : 0,
        isDecisionMaker: 0,
        remark: null,
        lastFollowupAt: null,
        nextFollowupAt: null,
        custom: '{}',
        createdBy: auth.userId,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      })
      .execute();
    if (primary) {
      await trx.updateTable('customers').set({ primaryContactId: contactId }).where('workspaceId', '=', workspaceId).where('id', '=', customerId).execute();
    }
    await appendTimeline(trx, { workspaceId, customerId, entity: 'contact', recordId: contactId, kind: 'contact_added', actorUserId: auth.userId, data: { name: lead.name, fromLeadId: id }, at: now });
    moved = await moveFollowUps(trx, workspaceId, id, customerId);
    if (body.deal) {
      const deal = await createDeal(
        deps,
        { ...auth, actor },
        {
          name: body.deal.name ?? customerName,
          customerId,
          contactId,
          leadId: id,
          ownerId: customerOwner,
          source: lead.source,
          ...(body.deal.pipelineId ? { pipelineId: body.deal.pipelineId } : {}),
          ...(body.deal.stageId ? { stageId: body.deal.stageId } : {}),
          ...(body.deal.amount !== undefined ? { amount: body.deal.amount } : {}),
          ...(body.deal.expectedCloseDate ? { expectedCloseDate: body.deal.expectedCloseDate } : {}),
        },
        trx,
      );
      dealId = deal.id;
    }
    await trx.updateTable('leads').set({ customerId, contactId, dealId }).where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
    await appendTimeline(trx, {
      workspaceId,
      customerId,
      entity: 'lead',
      recordId: id,
      kind: 'lead_converted',
      actorUserId: auth.userId,
      data: { leadId: id, leadName: lead.name, source: lead.source, contactId, dealId, attached: existing !== null, followUps: moved },
      at: now,
    });
    await appendLeadEvents(trx, [{ workspaceId, leadId: id, kind: 'converted', actorUserId: auth.userId, data: { customerId, contactId, dealId, attached: existing !== null }, at: now }]);
    await reindexCustomers(trx, deps.dialect, workspaceId, [customerId]);
    await reindexContacts(trx, deps.dialect, workspaceId, [contactId]);
  });
  await recordAudit(deps, actor, { action: 'lead.converted', targetType: 'lead', targetId: id, detail: { customerId, contactId, dealId, attached: existing !== null } });
  return { leadId: id, customerId, contactId, dealId, createdCustomer: existing === null, movedFollowUps: moved };
}
