import type { Updateable } from 'kysely';
import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import type { LeadsTable } from '../../db/types-leads';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { encodeListCursor, parseListQuery, type RawQuery } from '../../list/parse-list';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { checkWritableCustomValues, throwIfFieldProblems } from '../custom-fields/custom-fields.service';
import { claimUniqueValues } from '../custom-fields/unique-values';
import { assertWritableFields, fieldAccess, inScope } from '../permissions/permissions.service';
import { checkPicklistValues } from '../picklists/picklists.service';
import { changedFields, customFieldChanges } from '../timeline/timeline.writer';
import { getLeadSettings, roundRobinOwners } from './leads.assign';
import { assertOpen, type LeadContext, leadAccess, leadContext, loadLead } from './leads.context';
import { leadListSpec } from './leads.list-spec';
import { presentLead } from './leads.present';
import { reindexLeads } from './leads.search';
import { appendLeadEvents, countLeads, findLead, insertLead, type LeadRow, listLeadEvents, listLeadRows, updateLeadRow } from './leads.repo';
import type { CreateLeadBody, Lead, UpdateLeadBody } from './leads.schema';
import { listReads } from '../../list/list-reads';

export function presentLeadRows(ctx: LeadContext, rows: readonly LeadRow[]): Lead[] {
  return rows.map((row) => presentLead(ctx.auth.permissions, ctx.definitions, row, leadAccess(ctx, row)));
}

/** A keyset page of the leads the caller may see, with filters, sort and optional count. */
export async function listLeadsPage(deps: Deps, auth: AuthContext, raw: RawQuery) {
  const ctx = await leadContext(deps, auth);
  const { deleted: deletedRaw, ...rest } = raw;
  const deleted = deletedRaw === 'true';
  if (deleted && !ctx.delete) {
    throw new AppError('forbidden');
  }
  const list = parseListQuery(rest, leadListSpec, ctx.definitions, (f) => fieldAccess(auth.permissions, 'lead', f));
  const reads = listReads(deps, list);
  const rows = await listLeadRows(reads.page, deps.dialect, auth.workspaceId, ctx.view, list, { deleted });
  const page = rows.slice(0, list.limit);
  const last = page.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > list.limit && last) {
    const sortValue =
      list.sort.target.kind === 'custom'
        ? ((JSON.parse(typeof last.custom === 'string' ? last.custom : JSON.stringify(last.custom ?? {})) as Record<string, string | number | null>)[list.sort.target.field.key] ?? null)
        : ((last as Record<string, unknown>)[list.sort.target.field.name] as string | number | null);
    nextCursor = encodeListCursor(list.sort.name, sortValue, last.id);
  }
  const result: { data: Lead[]; nextCursor: string | null; total?: number; countExact?: boolean } = { data: presentLeadRows(ctx, page), nextCursor };
  if (list.count) {
    const counted = await countLeads(reads.count, deps.dialect, auth.workspaceId, ctx.view, list, { deleted });
    result.total = counted.total;
    result.countExact = counted.exact;
  }
  return result;
}

export async function getLead(deps: Deps, auth: AuthContext, id: string, options: { deleted?: boolean } = {}): Promise<Lead> {
  const ctx = await leadContext(deps, auth);
  return presentLeadRows(ctx, [await loadLead(deps, ctx, id, options)])[0] as Lead;
}

export async function leadHistoryOf(deps: Deps, auth: AuthContext, id: string) {
  const ctx = await leadContext(deps, auth);
  await loadLead(deps, ctx, id);
  const rows = await listLeadEvents(deps.db, auth.workspaceId, id);
  const events = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    actorUserId: r.actorUserId,
    actorName: r.actorName,
    data: (typeof r.data === 'string' ? JSON.parse(r.data) : (r.data ?? null)) as Record<string, unknown> | null,
    createdAt: r.createdAt,
  }));
  // Assignments name both owners (their names today), so the history reads without a lookup.
  const userIds = [...new Set(events.flatMap((e) => [e.data?.from, e.data?.to]).filter((v): v is string => typeof v === 'string'))];
  const names = new Map(
    userIds.length === 0 ? [] : (await deps.db.selectFrom('users').select(['id', 'name']).where('workspaceId', '=', auth.workspaceId).where('id', 'in', userIds).execute()).map((u) => [u.id, u.name]),
  );
  for (const e of events) {
    if (e.kind === 'assigned' && e.data) {
      e.data = { ...e.data, fromName: typeof e.data.from === 'string' ? (names.get(e.data.from) ?? null) : null, toName: typeof e.data.to === 'string' ? (names.get(e.data.to) ?? null) : null };
    }
  }
  return events;
}

const pickFields = ['company', 'phone', 'email', 'title', 'source', 'industry', 'address', 'remark', 'status', 'nextFollowupAt'] as const;
/** Built-in properties that are not catalog fields (no field rule applies to them). */
const unruled = new Set<string>(['status', 'nextFollowupAt']);

function ruledFields(body: Partial<Record<(typeof pickFields)[number], unknown>>, includeNull: boolean): string[] {
  return pickFields.filter((k) => body[k] !== undefined && (includeNull || body[k] !== null) && !unruled.has(k));
}



/**
 * Creates a lead. Owner: the one given (an assignment: needs lead:assign over them), else the
 * round-robin of the settings' department when automatic assignment on create is on, else the caller.
 */
export async function createLead(deps: Deps, auth: AuthContext, actor: AuditActor, body: CreateLeadBody): Promise<Lead> {
  const ctx = await leadContext(deps, auth);
  assertWritableFields(auth.permissions, 'lead', ruledFields(body, false));
  // Source and industry share the customers' option lists, so a converted lead's values carry over as they are.
  const errors = await checkPicklistValues(deps, auth.workspaceId, 'customer', body, ['source', 'industry']);
  let roundRobinDepartment: string | null = null;
  if (body.ownerId === undefined) {
    const settings = await getLeadSettings(deps, auth.workspaceId);
    roundRobinDepartment = settings.autoAssignOnCreate ? settings.autoAssignDepartmentId : null;
  } else if (body.ownerId !== auth.userId) {
    if (!ctx.assign || (body.ownerId !== null && !inScope(ctx.assign, body.ownerId)) || (body.ownerId === null && ctx.assign.kind !== 'all')) {
      throw new AppError('forbidden', { detail: 'You may not create leads for other owners' });
    }
    if (body.ownerId !== null) {
      const user = await deps.db.selectFrom('users').select('status').where('workspaceId', '=', auth.workspaceId).where('id', '=', body.ownerId).executeTakeFirst();
      if (user?.status !== 'active') {
        errors.push({ path: 'ownerId', message: 'no such active user' });
      }
    }
  }
  const custom = await checkWritableCustomValues(deps, ctx, 'lead', body.custom, null);
  throwIfFieldProblems([...errors, ...custom.errors], custom.conflicts);
  const id = newId();
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'lead', noun: 'lead' }, custom.claims, null);
    const ownerId = roundRobinDepartment ? ((await roundRobinOwners(trx, auth.workspaceId, roundRobinDepartment, 1, now))[0] ?? null) : body.ownerId === undefined ? auth.userId : body.ownerId;
    await insertLead(trx, {
      id,
      workspaceId: auth.workspaceId,
      name: body.name,
      company: body.company ?? null,
      companyKey: body.company ? companyKey(body.company) || null : null,
      phone: body.phone ?? null,
      phoneKey: phoneKey(body.phone),
      email: body.email ?? null,
      emailKey: emailKey(body.email),
      title: body.title ?? null,
      source: body.source ?? null,
      industry: body.industry ?? null,
      address: body.address ?? null,
      remark: body.remark ?? null,
      status: body.status ?? 'new',
      ownerId,
      ownerSince: ownerId ? now : null,
      lastFollowupAt: null,
      lastFollowupContent: null,
      nextFollowupAt: body.nextFollowupAt ? new Date(body.nextFollowupAt).toISOString() : null,
      custom: JSON.stringify(custom.values),
      convertedAt: null,
      convertedBy: null,
      customerId: null,
      contactId: null,
      dealId: null,
      createdBy: auth.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      deletedBy: null,
    });
    await appendLeadEvents(trx, [{ workspaceId: auth.workspaceId, leadId: id, kind: 'created', actorUserId: auth.userId, data: { name: body.name, ownerId }, at: now }]);
    await reindexLeads(trx, deps.dialect, auth.workspaceId, [id]);
    if (ownerId && ownerId !== auth.userId) {
      const via = roundRobinDepartment ? 'round_robin' : 'manual';
      await appendLeadEvents(trx, [{ workspaceId: auth.workspaceId, leadId: id, kind: 'assigned', actorUserId: auth.userId, data: { from: null, to: ownerId, via, departmentId: roundRobinDepartment, reason: null }, at: now }]);
    }
  });
  await recordAudit(deps, actor, { action: 'lead.created', targetType: 'lead', targetId: id, detail: { name: body.name } });
  // The creator may have handed it to someone else and no longer see it: answer what was made.
  return presentLeadById(deps, auth, id);
}

/** A lead the caller just wrote, read without the view scope (they may have given it away). */
export async function presentLeadById(deps: Deps, auth: AuthContext, id: string): Promise<Lead> {
  const ctx = await leadContext(deps, auth);
  const row = await findLead(deps.db, auth.workspaceId, id);
  if (!row) {
    throw new AppError('not_found');
  }
  return presentLeadRows(ctx, [row])[0] as Lead;
}

/** Edits fields (not the owner: that is an assignment). Every change lands on the lead's history. */
export async function updateLead(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: UpdateLeadBody, expectedVersion?: number): Promise<Lead> {
  const ctx = await leadContext(deps, auth);
  const row = await loadLead(deps, ctx, id);
  assertOpen(row);
  if (!leadAccess(ctx, row).edit) {
    throw new AppError('forbidden');
  }
  assertWritableFields(auth.permissions, 'lead', ruledFields(body, true));
  const errors = await checkPicklistValues(deps, auth.workspaceId, 'customer', body, ['source', 'industry']);
  const storedCustom = (typeof row.custom === 'string' ? JSON.parse(row.custom) : (row.custom ?? {})) as Record<string, unknown>;
  const custom = body.custom === undefined ? null : await checkWritableCustomValues(deps, ctx, 'lead', body.custom, { id, custom: storedCustom });
  throwIfFieldProblems([...errors, ...(custom?.errors ?? [])], custom?.conflicts);
  const patch: Updateable<LeadsTable> = {};
  const after: Record<string, unknown> = {};
  for (const key of ['name', ...pickFields] as const) {
    const value = body[key];
    if (value !== undefined) {
      const normalised = key === 'nextFollowupAt' && value ? new Date(value).toISOString() : value;
      (patch as Record<string, unknown>)[key] = normalised;
      after[key] = normalised;
    }
  }
  if (body.company !== undefined) {
    patch.companyKey = body.company ? companyKey(body.company) || null : null;
  }
  if (body.phone !== undefined) {
    patch.phoneKey = phoneKey(body.phone);
  }
  if (body.email !== undefined) {
    patch.emailKey = emailKey(body.email);
  }
  if (custom) {
    patch.custom = JSON.stringify(custom.values);
  }
  const changes = { ...changedFields(row, after, Object.keys(after)), ...(custom ? customFieldChanges(storedCustom, custom.values) : {}) };
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'lead', noun: 'lead' }, custom?.claims ?? [], id);
    if ((await updateLeadRow(trx, auth.workspaceId, id, patch, now, expectedVersion)) === 0) {
      const current = await findLead(trx, auth.workspaceId, id);
      throw new AppError(current?.status === 'converted' ? 'lead_converted' : 'version_mismatch');
    }
    if (Object.keys(changes).length > 0) {
      await appendLeadEvents(trx, [{ workspaceId: auth.workspaceId, leadId: id, kind: 'field_change', actorUserId: auth.userId, data: { changes }, at: now }]);
    }
    if (body.name !== undefined || body.company !== undefined || body.phone !== undefined || body.email !== undefined) {
      await reindexLeads(trx, deps.dialect, auth.workspaceId, [id]);
    }
  });
  await recordAudit(deps, actor, { action: 'lead.updated', targetType: 'lead', targetId: id, detail: { changes } });
  return getLead(deps, auth, id);
}

/** Moves a lead to the recycle bin (回收站): hidden from lists, restorable. */
export async function deleteLead(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  const ctx = await leadContext(deps, auth);
  const row = await loadLead(deps, ctx, id);
  assertOpen(row);
  if (!leadAccess(ctx, row).delete) {
    throw new AppError('forbidden');
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await updateLeadRow(trx, auth.workspaceId, id, { deletedAt: now, deletedBy: auth.userId }, now);
    await appendLeadEvents(trx, [{ workspaceId: auth.workspaceId, leadId: id, kind: 'deleted', actorUserId: auth.userId, data: null, at: now }]);
    await reindexLeads(trx, deps.dialect, auth.workspaceId, [id]);
  });
  await recordAudit(deps, actor, { action: 'lead.deleted', targetType: 'lead', targetId: id, detail: { name: row.name } });
}

export async function restoreLead(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<Lead> {
  const ctx = await leadContext(deps, auth);
  const row = await loadLead(deps, ctx, id, { deleted: true });
  if (!leadAccess(ctx, row).delete) {
    throw new AppError('forbidden');
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await updateLeadRow(trx, auth.workspaceId, id, { deletedAt: null, deletedBy: null }, now);
    await appendLeadEvents(trx, [{ workspaceId: auth.workspaceId, leadId: id, kind: 'restored', actorUserId: auth.userId, data: null, at: now }]);
    await reindexLeads(trx, deps.dialect, auth.workspaceId, [id]);
  });
  await recordAudit(deps, actor, { action: 'lead.restored', targetType: 'lead', targetId: id });
  return getLead(deps, auth, id);
}
