import type { Kysely, Updateable } from 'kysely';
import { formatMoney } from '../../../common/money';
import { parseJson } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { DealsTable } from '../../db/types-deals';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError, type FieldError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { checkCustomValues, throwIfFieldProblems } from '../custom-fields/custom-fields.service';
import { claimUniqueValues } from '../custom-fields/unique-values';
import { findCustomer } from '../customers/customers.repo';
import { assertWritableFields, fieldAccess, inScope, type Principal, scopeFilter } from '../permissions/permissions.service';
import { ensureDefaultPipeline } from '../pipelines/pipelines.seed';
import { appendTimeline, changedFields } from '../timeline/timeline.writer';
import { countExisting } from '../users/users.repo';
import { type DealContext, dealAccess, dealContext } from './deals.context';
import { resolveLines } from './deals.lines';
import { presentDealRows } from './deals.present';
import { type DealRow, findDeal, findLines, findStageHistory, insertDeal, replaceLines, updateDealRow } from './deals.repo';
import { type CreateDealInput, type Deal, type DealDetail, type UpdateDealBody } from './deals.schema';

/** Catalog field (permissions) of each writable property, for the field-permission check. */
export const dealPermissionFieldOf: Partial<Record<string, string>> = {
  amount: 'amount',
  expectedCloseDate: 'expectedCloseDate',
  source: 'source',
  remark: 'remark',
  lines: 'lines',
  ownerId: 'owner',
  tagIds: 'tags',
};

/** A stage of the pipeline (or the pipeline's first stage), or validation errors. */
export async function resolveStage(
  db: Kysely<Database>,
  workspaceId: string,
  pipelineId: string,
  stageId: string | undefined,
): Promise<{ pipelineId: string; stageId: string } | null> {
  let q = db
    .selectFrom('pipelineStages as s')
    .innerJoin('pipelines as p', 'p.id', 's.pipelineId')
    .select(['s.id', 's.pipelineId'])
    .where('s.workspaceId', '=', workspaceId)
    .where('s.pipelineId', '=', pipelineId)
    .where('s.deletedAt', 'is', null)
    .where('p.deletedAt', 'is', null);
  if (stageId) {
    q = q.where('s.id', '=', stageId);
  }
  const row = await q.orderBy('s.sort').orderBy('s.createdAt').limit(1).executeTakeFirst();
  return row ? { pipelineId: row.pipelineId, stageId: row.id } : null;
}

/**
 * A prospect customer with a deal has shown intent: creating or winning a deal moves a 潜在
 * customer to 意向 (never backwards, never to 成交 — only an approved contract makes it dealt).
 */
export async function promoteProspect(db: Kysely<Database>, workspaceId: string, customerId: string, actorUserId: string | null, now: string, dealId: string): Promise<void> {
  const result = await db
    .updateTable('customers')
    .set({ lifecycleStage: 'intent', updatedAt: now })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', customerId)
    .where('lifecycleStage', '=', 'prospect')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) {
    await appendTimeline(db, {
      workspaceId,
      customerId,
      entity: 'customer',
      recordId: customerId,
      kind: 'field_change',
      actorUserId,
      data: { changes: { lifecycleStage: { from: 'prospect', to: 'intent' } }, dealId },
      at: now,
    });
  }
}

/**
 * Creates a deal 商机 for a customer the caller can see. Owner: the caller unless told otherwise
 * (another owner needs deal:create over that owner). Pipeline: the workspace default (seeded on
 * first use); stage: the pipeline's first. Lines come from products; when given, the amount is
 * their sum. Writes the first stage-history row and the customer's timeline.
 *
 * Pass `trx` to run inside the caller's transaction (lead conversion does): every read and write
 * then goes through it, and the answer is the stored row (not re-read through the pool).
 */
export async function createDeal(deps: Deps, ctx: Principal & { actor?: AuditActor }, input: CreateDealInput, trx?: Kysely<Database>): Promise<DealRow> {
  const body = input;
  const d: Deps = trx ? { ...deps, db: trx } : deps;
  const db = d.db;
  const workspaceId = ctx.workspaceId;
  const createScope = await scopeFilter(d, ctx, 'deal', 'create');
  const dctx = await dealContext(d, ctx, []);
  const ownerId = body.ownerId === undefined ? ctx.userId : body.ownerId;
  if (ownerId !== ctx.userId && (ownerId === null || !inScope(createScope, ownerId))) {
    throw new AppError('forbidden', { detail: 'You may not create deals for this owner' });
  }
  assertWritableFields(
    ctx.permissions,
    'deal',
    Object.entries(dealPermissionFieldOf)
      .filter(([k]) => k !== 'ownerId' && body[k as keyof typeof body] !== undefined && body[k as keyof typeof body] !== null)
      .map(([, f]) => f as string),
  );
  const errors: FieldError[] = [];
  const customerScope = await scopeFilter(d, ctx, 'customer', 'view');
  const customer = await findCustomer(db, workspaceId, body.customerId, { scope: customerScope, userId: ctx.userId, now: nowIso(d) });
  if (!customer || customer.deletedAt !== null) {
    errors.push({ path: 'customerId', message: 'no such customer' });
  }
  if (body.contactId) {
    const contact = await db
      .selectFrom('contacts')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', body.contactId)
      .where('customerId', '=', body.customerId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (!contact) {
      errors.push({ path: 'contactId', message: 'not a contact of this customer' });
    }
  }
  if (ownerId && (await countExisting(db, workspaceId, 'users', [ownerId])) !== 1) {
    errors.push({ path: 'ownerId', message: 'no such user' });
  }
  const now = nowIso(d);
  const pipelineId = body.pipelineId ?? (await ensureDefaultPipeline(db, workspaceId, now));
  const stage = await resolveStage(db, workspaceId, pipelineId, body.stageId);
  if (!stage) {
    errors.push({ path: body.stageId ? 'stageId' : 'pipelineId', message: 'no such stage in this pipeline' });
  }
  const lines = await resolveLines(db, workspaceId, body.lines ?? []);
  errors.push(...lines.errors);
  const custom = await checkCustomValues(d, workspaceId, { entity: 'deal', noun: 'deal', definitions: dctx.definitions }, body.custom, null);
  errors.push(...custom.errors);
  assertWritableFields(
    ctx.permissions,
    'deal',
    Object.keys(body.custom ?? {}).map((k) => `cf.${k}`),
  );
  if (body.tagIds?.length) {
    const found = await db.selectFrom('tags').select('id').where('workspaceId', '=', workspaceId).where('id', 'in', [...new Set(body.tagIds)]).execute();
    if (found.length !== new Set(body.tagIds).size) {
      errors.push({ path: 'tagIds', message: 'no such tag' });
    }
  }
  if (errors.length > 0 || !stage || !customer) {
    throw new AppError('validation_failed', { errors });
  }
  throwIfFieldProblems([], custom.conflicts);
  const id = newId();
  const amountCents = body.lines ? lines.lines.reduce((sum, l) => sum + l.amountCents, 0) : (body.amount ?? 0);
  const row = {
    id,
    workspaceId,
    customerId: body.customerId,
    contactId: body.contactId ?? null,
    leadId: body.leadId ?? null,
    name: body.name,
    pipelineId: stage.pipelineId,
    stageId: stage.stageId,
    amountCents,
    expectedCloseDate: body.expectedCloseDate ?? null,
    status: 'open' as const,
    lostReason: null,
    ownerId,
    source: body.source ?? null,
    remark: body.remark ?? null,
    stageEnteredAt: now,
    lastFollowupAt: null,
    nextFollowupAt: body.nextFollowupAt ? new Date(body.nextFollowupAt).toISOString() : null,
    custom: JSON.stringify(custom.values),
    closedAt: null,
    createdBy: ctx.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    deletedBy: null,
  };
  const write = async (t: Kysely<Database>) => {
    await claimUniqueValues(t, d.dialect, workspaceId, { entity: 'deal', noun: 'deal' }, custom.claims, null);
    await insertDeal(t, row);
    await replaceLines(
      t,
      workspaceId,
      id,
      lines.lines.map((l, i) => ({ ...l, id: newId(), workspaceId, dealId: id, sort: i, createdAt: now })),
    );
    await t
      .insertInto('dealStageHistory')
      .values({ id: newId(), workspaceId, dealId: id, pipelineId: stage.pipelineId, stageId: stage.stageId, enteredAt: now, leftAt: null, exitKind: null, actorUserId: ctx.userId })
      .execute();
    if (body.tagIds?.length) {
      await t
        .insertInto('recordTags')
        .values([...new Set(body.tagIds)].map((tagId) => ({ workspaceId, entity: 'deal', recordId: id, tagId })))
        .execute();
    }
    await appendTimeline(t, {
      workspaceId,
      customerId: body.customerId,
      entity: 'deal',
      recordId: id,
      kind: 'deal_created',
      actorUserId: ctx.userId,
      data: { name: body.name, amount: formatMoney(amountCents), stageId: stage.stageId, leadId: body.leadId ?? null },
      at: now,
    });
    await promoteProspect(t, workspaceId, body.customerId, ctx.userId, now, id);
    if (ctx.actor) {
      await recordAudit({ ...d, db: t }, ctx.actor, { action: 'deal.created', targetType: 'deal', targetId: id, detail: { name: body.name, customerId: body.customerId } });
    }
  };
  if (trx) {
    await write(trx);
  } else {
    await deps.db.transaction().execute(write);
  }
  const stored = await findDeal(trx ?? deps.db, workspaceId, id);
  if (!stored) {
    throw new AppError('internal');
  }
  return stored;
}

/**
 * A deal the caller may see (not in the bin unless asked), or 404 — existence is not revealed.
 * `unscoped` only for answering what the caller just made (they may have given it to someone else).
 */
export async function loadDeal(deps: Deps, ctx: DealContext, id: string, options: { deleted?: boolean; unscoped?: boolean } = {}): Promise<DealRow> {
  const row = await findDeal(deps.db, ctx.principal.workspaceId, id, options.unscoped ? undefined : ctx.view);
  if (!row || (row.deletedAt !== null) !== (options.deleted ?? false)) {
    throw new AppError('not_found');
  }
  return row;
}

/** The deal with its product lines and stage history (time spent per stage). */
export async function getDeal(deps: Deps, auth: AuthContext, id: string, options: { deleted?: boolean; unscoped?: boolean } = {}): Promise<DealDetail> {
  const ctx = await dealContext(deps, auth);
  const row = await loadDeal(deps, ctx, id, options);
  const [[deal], lines, history] = await Promise.all([
    presentDealRows(deps, ctx, [row]),
    findLines(deps.db, auth.workspaceId, id),
    findStageHistory(deps.db, auth.workspaceId, id),
  ]);
  const now = deps.now().getTime();
  const detail: DealDetail = {
    ...(deal as Deal),
    stageHistory: history.map((h) => ({ ...h, durationMs: Math.max(0, (h.leftAt ? Date.parse(h.leftAt) : now) - Date.parse(h.enteredAt)) })),
  };
  if (fieldAccess(auth.permissions, 'deal', 'lines').access !== 'hidden') {
    detail.lines = lines.map((l) => ({
      id: l.id,
      productId: l.productId,
      name: l.name,
      unit: l.unit,
      price: formatMoney(Number(l.priceCents)),
      quantity: Number(l.quantity),
      discountPercent: Number(l.discountPercent),
      amount: formatMoney(Number(l.amountCents)),
    }));
  }
  return detail;
}

/** Edits fields and lines (not stage, status or owner: those have their own actions). */
export async function updateDeal(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: UpdateDealBody, expectedVersion?: number): Promise<DealDetail> {
  const ctx = await dealContext(deps, auth);
  const row = await loadDeal(deps, ctx, id);
  if (!dealAccess(ctx, row.ownerId).edit) {
    throw new AppError('forbidden');
  }
  assertWritableFields(
    auth.permissions,
    'deal',
    Object.entries(dealPermissionFieldOf)
      .filter(([k]) => body[k as keyof UpdateDealBody] !== undefined)
      .map(([, f]) => f as string),
  );
  assertWritableFields(
    auth.permissions,
    'deal',
    Object.keys(body.custom ?? {}).map((k) => `cf.${k}`),
  );
  const errors: FieldError[] = [];
  if (body.contactId) {
    const contact = await deps.db
      .selectFrom('contacts')
      .select('id')
      .where('workspaceId', '=', auth.workspaceId)
      .where('id', '=', body.contactId)
      .where('customerId', '=', row.customerId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (!contact) {
      errors.push({ path: 'contactId', message: 'not a contact of this customer' });
    }
  }
  if (body.tagIds?.length) {
    const found = await deps.db.selectFrom('tags').select('id').where('workspaceId', '=', auth.workspaceId).where('id', 'in', [...new Set(body.tagIds)]).execute();
    if (found.length !== new Set(body.tagIds).size) {
      errors.push({ path: 'tagIds', message: 'no such tag' });
    }
  }
  const existingLines = body.lines ? await findLines(deps.db, auth.workspaceId, id) : [];
  const keep = new Set(existingLines.map((l) => l.productId).filter((p): p is string => p !== null));
  const lines = body.lines ? await resolveLines(deps.db, auth.workspaceId, body.lines, keep) : null;
  errors.push(...(lines?.errors ?? []));
  const storedCustom = (parseJson(row.custom) ?? {}) as Record<string, unknown>;
  const custom = body.custom === undefined ? null : await checkCustomValues(deps, auth.workspaceId, { entity: 'deal', noun: 'deal', definitions: ctx.definitions }, body.custom, { id, custom: storedCustom });
  throwIfFieldProblems([...errors, ...(custom?.errors ?? [])], custom?.conflicts);
  const patch: Updateable<DealsTable> = {};
  const after: Record<string, unknown> = {};
  for (const key of ['name', 'contactId', 'expectedCloseDate', 'source', 'remark', 'nextFollowupAt'] as const) {
    const value = body[key];
    if (value !== undefined) {
      const normalised = key === 'nextFollowupAt' && typeof value === 'string' ? new Date(value).toISOString() : value;
      (patch as Record<string, unknown>)[key] = normalised;
      after[key] = normalised;
    }
  }
  if (body.amount !== undefined) {
    patch.amountCents = body.amount;
    after.amountCents = body.amount;
  }
  if (lines) {
    patch.amountCents = lines.lines.reduce((sum, l) => sum + l.amountCents, 0);
    after.amountCents = patch.amountCents;
  }
  if (custom) {
    patch.custom = JSON.stringify(custom.values);
  }
  const changes = changedFields({ ...row, amountCents: Number(row.amount) }, after, Object.keys(after));
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'deal', noun: 'deal' }, custom?.claims ?? [], id);
    if ((await updateDealRow(trx, auth.workspaceId, id, patch, now, expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
    if (body.tagIds) {
      await trx.deleteFrom('recordTags').where('workspaceId', '=', auth.workspaceId).where('entity', '=', 'deal').where('recordId', '=', id).execute();
      if (body.tagIds.length > 0) {
        await trx
          .insertInto('recordTags')
          .values([...new Set(body.tagIds)].map((tagId) => ({ workspaceId: auth.workspaceId, entity: 'deal', recordId: id, tagId })))
          .execute();
      }
    }
    if (lines) {
      await replaceLines(
        trx,
        auth.workspaceId,
        id,
        lines.lines.map((l, i) => ({ ...l, id: newId(), workspaceId: auth.workspaceId, dealId: id, sort: i, createdAt: now })),
      );
    }
  });
  await recordAudit(deps, actor, { action: 'deal.updated', targetType: 'deal', targetId: id, detail: { changes, lines: lines ? lines.lines.length : undefined } });
  return getDeal(deps, auth, id);
}
