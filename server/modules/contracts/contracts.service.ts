import type { Updateable } from 'kysely';
import { formatMoney } from '../../../common/money';
import { isUniqueViolation, parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import type { ContractsTable } from '../../db/types-contracts';
import { type Deps, nowIso } from '../../deps';
import { AppError, type FieldError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { keysetWalks, listPage } from '../../list/list-page';
import { parseListQuery, type RawQuery } from '../../list/parse-list';
import { approvalView } from '../approvals/approvals.view';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { throwIfFieldProblems } from '../custom-fields/custom-fields.service';
import { claimUniqueValues } from '../custom-fields/unique-values';
import { fieldAccess, inScope, scopeFilter } from '../permissions/permissions.service';
import { appendTimeline } from '../timeline/timeline.writer';
import { workspaceCurrency } from '../workspace/workspace.currency';
import { canDo, type ContractContext, contractContext, editableStates, presentContract } from './contracts.context';
import { assertWritable, checkCustom, checkCustomer, checkDates, checkRefs, dealLinesAsInput, findDealOf, resolveContractLines } from './contracts.input';
import { contractListSpec } from './contracts.list-spec';
import { nextContractNumber } from './contracts.numbering';
import { reindexContracts } from './contracts.search';
import {
  type ContractListOptions,
  type ContractRow,
  contractWalk,
  countContracts,
  findContract,
  findFiles,
  findLines,
  insertContract,
  linkFiles,
  replaceLines,
  unlinkFiles,
  updateContractRow,
} from './contracts.repo';
import type { Contract, ContractDetail, CreateContractBody, UpdateContractBody } from './contracts.schema';
import { workspaceToday } from './contracts.time';
import { listReads } from '../../list/list-reads';

/** A live contract the caller may see, or 404 (never 403: existence is not revealed). */
export async function loadContract(deps: Deps, ctx: ContractContext, id: string): Promise<ContractRow> {
  const row = await findContract(deps.db, ctx.principal.workspaceId, id, ctx.view);
  if (!row) {
    throw new AppError('not_found');
  }
  return row;
}

/** The detail: contract, lines, attachments and the current approval with its history. */
export async function getContract(deps: Deps, auth: AuthContext, id: string): Promise<ContractDetail> {
  const ctx = await contractContext(deps, auth);
  const row = await loadContract(deps, ctx, id);
  const [lines, files, approval] = await Promise.all([
    findLines(deps.db, auth.workspaceId, id),
    findFiles(deps.db, auth.workspaceId, id),
    row.approvalId ? approvalView(deps.db, auth.workspaceId, row.approvalId, auth.userId) : Promise.resolve(null),
  ]);
  const detail: ContractDetail = {
    ...presentContract(auth.permissions, ctx, row),
    files: files.map(({ id: fileId, name, size, mime }) => ({ id: fileId, name, size: Number(size), mime })),
    approval,
  };
  if (fieldAccess(auth.permissions, 'contract', 'lines').access !== 'hidden') {
    detail.lines = lines.map((l) => ({
      id: l.id,
      productId: l.productId,
      name: l.productName,
      unit: l.unit,
      price: formatMoney(Number(l.priceCents)),
      quantity: Number(l.quantity),
      discountPercent: Number(l.discountPercent),
      amount: formatMoney(Number(l.amountCents)),
      remark: l.remark,
    }));
  }
  return detail;
}

function splitQuery(raw: RawQuery): { rest: RawQuery; expiringWithin: number | null } {
  const { expiringWithin, ...rest } = raw;
  if (expiringWithin === undefined) {
    return { rest, expiringWithin: null };
  }
  const days = Array.isArray(expiringWithin) ? undefined : Number(expiringWithin);
  if (days === undefined || !Number.isInteger(days) || days < 0 || days > 3650) {
    throw new AppError('validation_failed', { errors: [{ path: 'expiringWithin', message: 'must be a number of days (0–3650)' }] });
  }
  return { rest, expiringWithin: days };
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A keyset page of contracts the caller may see: filters (status, customerId, signDate[gte]…,
 * endDate[lte]…, total[gte]=1000.50…, cf.*), `q` over number and name, and `expiringWithin=N`
 * (approved contracts whose end date is within the next N days, workspace time zone).
 */
export async function listContractsPage(deps: Deps, auth: AuthContext, raw: RawQuery) {
  const ctx = await contractContext(deps, auth);
  const { rest, expiringWithin } = splitQuery(raw);
  const list = parseListQuery(rest, contractListSpec, ctx.definitions, (f) => fieldAccess(auth.permissions, 'contract', f));
  const options: ContractListOptions = { q: list.q };
  if (expiringWithin !== null) {
    const today = await workspaceToday(deps, auth.workspaceId);
    options.endBetween = { from: today, to: addDays(today, expiringWithin) };
  }
  const reads = listReads(deps, list);
  return listPage({
    list,
    walks: keysetWalks(deps.dialect, contractListSpec, list),
    fetch: contractWalk(reads.page, deps.dialect, auth.workspaceId, ctx.view, list, options),
    present: async (rows) => rows.map((r) => presentContract(auth.permissions, ctx, r)),
    count: () => countContracts(reads.count, deps.dialect, auth.workspaceId, ctx.view, list, options),
  });
}

/** Creates a draft contract from a customer or a deal (customer and lines prefilled from the deal). */
export async function createContract(deps: Deps, auth: AuthContext, actor: AuditActor, body: CreateContractBody): Promise<ContractDetail> {
  const ctx = await contractContext(deps, auth);
  assertWritable(ctx, { ...body, ownerId: body.ownerId === undefined || body.ownerId === auth.userId ? undefined : body.ownerId });
  const errors: FieldError[] = [];
  const ownerId = body.ownerId ?? auth.userId;
  if (!canDo(ctx, 'create', ownerId)) {
    throw new AppError('forbidden', { detail: 'You may not create contracts for this owner' });
  }
  const deal = body.dealId ? await findDealOf(deps.db, auth.workspaceId, body.dealId) : undefined;
  if (body.dealId && !deal) {
    errors.push({ path: 'dealId', message: 'no such deal' });
  }
  const customerId = body.customerId ?? deal?.customerId;
  if (!customerId) {
    throw new AppError('validation_failed', { errors: [...errors, { path: 'customerId', message: 'required (or give a dealId)' }] });
  }
  if (deal && deal.customerId !== customerId) {
    errors.push({ path: 'dealId', message: 'the deal belongs to another customer' });
  }
  const customer = await checkCustomer(deps, auth, customerId, errors);
  await checkRefs(deps, auth, customerId, { signerId: body.signerId, customerSignerId: body.customerSignerId, ownerId, fileIds: body.fileIds }, null, errors);
  checkDates(body, errors);
  const lineInputs = body.lines ?? (deal ? await dealLinesAsInput(deps.db, auth.workspaceId, deal.id) : []);
  const { lines, totalCents } = await resolveContractLines(deps.db, auth.workspaceId, lineInputs, body.total, new Set(body.lines ? [] : lineInputs.map((l) => l.productId ?? '')), errors);
  const custom = await checkCustom(deps, ctx, body.custom, null, errors);
  if (errors.length > 0 || !customer) {
    throw new AppError('validation_failed', { errors });
  }
  throwIfFieldProblems([], custom.conflicts);
  const id = newId();
  const now = nowIso(deps);
  let number = body.number ?? '';
  try {
    await deps.db.transaction().execute(async (trx) => {
      await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'contract', noun: 'contract' }, custom.claims, null);
      number = body.number ?? (await nextContractNumber(deps, trx, auth.workspaceId));
      await insertContract(trx, {
        id,
        workspaceId: auth.workspaceId,
        number,
        name: body.name,
        customerId,
        dealId: deal?.id ?? null,
        signDate: body.signDate ?? null,
        startDate: body.startDate ?? null,
        endDate: body.endDate ?? null,
        signerId: body.signerId ?? null,
        customerSignerId: body.customerSignerId ?? null,
        totalCents,
        status: 'draft',
        remark: body.remark ?? null,
        custom: JSON.stringify(custom.values),
        ownerId,
        approvalId: null,
        submittedAt: null,
        approvedAt: null,
        voidedAt: null,
        voidReason: null,
        createdBy: auth.userId,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      await replaceLines(trx, auth.workspaceId, id, lines.map((l, position) => ({ id: newId(), position, productId: l.productId, productName: l.name, unit: l.unit, priceCents: l.priceCents, quantity: l.quantity, discountPercent: l.discountPercent, amountCents: l.amountCents, remark: l.remark })));
      await linkFiles(trx, auth.workspaceId, id, [...new Set(body.fileIds ?? [])], now);
      await reindexContracts(trx, deps.dialect, auth.workspaceId, [id]);
      await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId, entity: 'contract', recordId: id, kind: 'contract_created', actorUserId: auth.userId, data: { contractId: id, number, name: body.name, total: formatMoney(totalCents) }, at: now });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('number_taken', { errors: [{ path: 'number', message: 'already used by another contract' }] });
    }
    throw error;
  }
  await recordAudit(deps, actor, { action: 'contract.created', targetType: 'contract', targetId: id, detail: { number, name: body.name } });
  return getContract(deps, auth, id);
}

/** Edits a draft or rejected contract; `lines` and `fileIds` replace the current ones. */
export async function updateContract(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: UpdateContractBody, expectedVersion?: number): Promise<ContractDetail> {
  const ctx = await contractContext(deps, auth);
  const row = await loadContract(deps, ctx, id);
  if (!canDo(ctx, 'edit', row.ownerId)) {
    throw new AppError('forbidden');
  }
  if (!(editableStates as readonly string[]).includes(row.status)) {
    throw new AppError('contract_state', { detail: `A ${row.status} contract cannot be edited` });
  }
  assertWritable(ctx, body);
  const errors: FieldError[] = [];
  await checkRefs(deps, auth, row.customerId, { signerId: body.signerId, customerSignerId: body.customerSignerId, fileIds: body.fileIds }, id, errors);
  checkDates({ startDate: body.startDate === undefined ? row.startDate : body.startDate, endDate: body.endDate === undefined ? row.endDate : body.endDate }, errors);
  const existingLines = await findLines(deps.db, auth.workspaceId, id);
  const keep = new Set(existingLines.map((l) => l.productId ?? ''));
  let resolved: Awaited<ReturnType<typeof resolveContractLines>> | null = null;
  if (body.lines !== undefined) {
    resolved = await resolveContractLines(deps.db, auth.workspaceId, body.lines, body.total, keep, errors);
  } else if (body.total !== undefined && existingLines.length > 0 && body.total !== Number(row.total)) {
    errors.push({ path: 'total', message: 'with product lines the total is their sum' });
  }
  const storedCustom = (parseJson(row.custom) ?? {}) as Record<string, unknown>;
  const custom = body.custom === undefined ? null : await checkCustom(deps, ctx, body.custom, { id, custom: storedCustom }, errors);
  throwIfFieldProblems(errors, custom?.conflicts);
  const patch: Updateable<ContractsTable> = {};
  for (const key of ['name', 'signDate', 'startDate', 'endDate', 'signerId', 'customerSignerId', 'remark'] as const) {
    if (body[key] !== undefined) {
      (patch as Record<string, unknown>)[key] = body[key];
    }
  }
  if (resolved) {
    patch.totalCents = resolved.totalCents;
  } else if (body.total !== undefined) {
    patch.totalCents = body.total;
  }
  if (custom) {
    patch.custom = JSON.stringify(custom.values);
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'contract', noun: 'contract' }, custom?.claims ?? [], id);
    if ((await updateContractRow(trx, auth.workspaceId, id, patch, now, { states: editableStates, version: expectedVersion })) === 0) {
      throw expectedVersion !== undefined ? new AppError('version_mismatch') : new AppError('contract_state');
    }
    if (resolved) {
      await replaceLines(trx, auth.workspaceId, id, resolved.lines.map((l, position) => ({ id: newId(), position, productId: l.productId, productName: l.name, unit: l.unit, priceCents: l.priceCents, quantity: l.quantity, discountPercent: l.discountPercent, amountCents: l.amountCents, remark: l.remark })));
    }
    if (body.name !== undefined) {
      await reindexContracts(trx, deps.dialect, auth.workspaceId, [id]);
    }
    if (body.fileIds !== undefined) {
      await unlinkFiles(trx, auth.workspaceId, id, body.fileIds);
      await linkFiles(trx, auth.workspaceId, id, [...new Set(body.fileIds)], now);
    }
  });
  await recordAudit(deps, actor, { action: 'contract.updated', targetType: 'contract', targetId: id, detail: { fields: Object.keys(body) } });
  return getContract(deps, auth, id);
}

/** Deletes a draft or rejected contract (approved ones are voided instead, to keep the record). */
export async function deleteContract(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  const ctx = await contractContext(deps, auth);
  const row = await loadContract(deps, ctx, id);
  if (!canDo(ctx, 'delete', row.ownerId)) {
    throw new AppError('forbidden');
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    const changed = await updateContractRow(trx, auth.workspaceId, id, { deletedAt: now }, now, { states: editableStates });
    if (changed === 0) {
      throw new AppError('contract_state', { detail: 'Only draft or rejected contracts can be deleted; void an approved one' });
    }
    await reindexContracts(trx, deps.dialect, auth.workspaceId, [id]);
  });
  await recordAudit(deps, actor, { action: 'contract.deleted', targetType: 'contract', targetId: id, detail: { number: row.number } });
}

/** What the contract form starts from: a deal's customer, name and product lines, or a customer. */
export async function contractPrefill(deps: Deps, auth: AuthContext, query: { dealId?: string | undefined; customerId?: string | undefined }) {
  const errors: FieldError[] = [];
  const deal = query.dealId ? await findDealOf(deps.db, auth.workspaceId, query.dealId) : undefined;
  if (query.dealId && deal) {
    // The deal is offered only to someone who may see it.
    const dealScope = auth.permissions.actions.get('deal:view')?.length ? await scopeFilter(deps, auth, 'deal', 'view') : null;
    const owner = await deps.db.selectFrom('deals').select('ownerId').where('workspaceId', '=', auth.workspaceId).where('id', '=', deal.id).executeTakeFirst();
    if (!dealScope || !inScope(dealScope, owner?.ownerId ?? null)) {
      throw new AppError('not_found');
    }
  } else if (query.dealId) {
    throw new AppError('not_found');
  }
  const customerId = deal?.customerId ?? query.customerId ?? null;
  const customer = customerId ? await checkCustomer(deps, auth, customerId, errors) : null;
  if (customerId && !customer) {
    throw new AppError('not_found');
  }
  const inputs = deal ? await dealLinesAsInput(deps.db, auth.workspaceId, deal.id) : [];
  const { lines, totalCents } = await resolveContractLines(deps.db, auth.workspaceId, inputs, deal ? Number(deal.amountCents) : 0, new Set(inputs.map((l) => l.productId ?? '')), []);
  return {
    customerId: customer?.id ?? null,
    customerName: customer?.name ?? null,
    dealId: deal?.id ?? null,
    dealName: deal?.name ?? null,
    name: deal?.name ?? null,
    lines: lines.map((l) => ({ productId: l.productId, name: l.name, unit: l.unit, price: formatMoney(l.priceCents), quantity: l.quantity, discountPercent: l.discountPercent, amount: formatMoney(l.amountCents), remark: l.remark })),
    total: formatMoney(totalCents),
    currency: await workspaceCurrency(deps.db, auth.workspaceId),
  };
}

export type { Contract };
