import type { Updateable } from 'kysely';
import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import { parseJson } from '../../db/dialect';
import type { CustomersTable } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { accessFor, type CustomerContext, customerContext } from '../customers/customers.context';
import { type CustomerRow, updateCustomerRow } from '../customers/customers.repo';
import type { Customer } from '../customers/customers.schema';
import { getCustomer, loadCustomer, presentRows } from '../customers/customers.service';
import { assertWritableFields, fieldAccess, inScope } from '../permissions/permissions.service';
import { reindexCustomers } from '../search/search.index';
import { appendOwnerChanges, appendTimeline } from '../timeline/timeline.writer';
import { countExisting } from '../users/users.repo';
import { differingFields, fieldValue, mergeCollaborators, mergeFields, mergeFollowups, type MergeRow, resolveChoices } from './merge.fields';
import { moveCustomerReferences } from './merge.references';
import { countMovable, findCollaboratorRows, markMerged, moveContacts, moveTags, replaceCollaborators } from './merge.repo';
import type { MergeBody, MergePreview, MergePreviewBody } from './merge.schema';

interface Involved {
  ctx: CustomerContext;
  target: CustomerRow;
  sources: CustomerRow[];
}

function asMergeRow(row: CustomerRow): MergeRow {
  const custom = parseJson(row.custom);
  return { ...row, custom: typeof custom === 'object' && custom !== null ? (custom as Record<string, unknown>) : {} };
}

/**
 * Loads the customers of a merge and checks the caller may do it: each one visible (else 404),
 * edit on all of them, delete on the sources, and no source locked (a locked customer cannot be deleted).
 */
async function loadInvolved(deps: Deps, auth: AuthContext, body: MergePreviewBody): Promise<Involved> {
  const ctx = await customerContext(deps, auth);
  const target = await loadCustomer(deps, ctx, body.targetId);
  const sources: CustomerRow[] = [];
  for (const id of body.sourceIds) {
    sources.push(await loadCustomer(deps, ctx, id));
  }
  const access = await accessFor(deps, ctx, [target, ...sources]);
  if (!access.get(target.id)?.edit || sources.some((s) => !access.get(s.id)?.edit || !access.get(s.id)?.delete)) {
    throw new AppError('forbidden', { detail: 'Merging needs edit rights on every customer and delete rights on the ones merged away' });
  }
  const locked = sources.find((s) => s.locked === 1);
  if (locked) {
    throw new AppError('business_rule', { detail: `${locked.name} is locked; unlock it before merging it away` });
  }
  return { ctx, target, sources };
}

/** 合并预览: the customers side by side, the fields on which they differ, and what would move. */
export async function previewMerge(deps: Deps, auth: AuthContext, body: MergePreviewBody): Promise<MergePreview> {
  const { ctx, target, sources } = await loadInvolved(deps, auth, body);
  const presented = await presentRows(deps, ctx, [target, ...sources]);
  const byId = new Map(presented.map((c) => [c.id, c]));
  const rows = [target, ...sources].map(asMergeRow);
  // Values as the caller may see them: from the presented customers (masked stay masked); hidden fields are left out.
  const shown = (customer: Customer, columns: readonly string[]) => {
    const read = (column: string): unknown => (column.startsWith('cf.') ? customer.custom[column.slice(3)] : (customer as Record<string, unknown>)[column]) ?? null;
    return columns.length === 1 ? read(columns[0] as string) : Object.fromEntries(columns.map((c) => [c, read(c)]));
  };
  const fields = differingFields(mergeFields(ctx.definitions), rows)
    .filter((f) => f.permissionField === null || fieldAccess(auth.permissions, 'customer', f.permissionField).access !== 'hidden')
    .map((f) => ({ field: f.field, values: rows.map((r) => ({ customerId: r.id, value: shown(byId.get(r.id) as Customer, f.columns) })) }));
  return {
    target: byId.get(target.id) as Customer,
    sources: sources.map((s) => byId.get(s.id) as Customer),
    fields,
    counts: await countMovable(deps.db, auth.workspaceId, target.id, sources.map((s) => s.id)),
  };
}

/**
 * 合并客户: merges the sources into the target in one transaction. The target keeps its own
 * values except where `fields` picks another customer's; every contact, follow-up, timeline
 * entry, tag and collaborator (deduplicated) moves to it, and so does every row of a registered
 * customer reference (merge.references.ts). Sources go to the recycle bin marked as merged.
 * Versions are checked: the caller's (`versions`) and, inside the transaction, the ones read here.
 */
export async function mergeCustomers(deps: Deps, auth: AuthContext, actor: AuditActor, body: MergeBody): Promise<Customer> {
  const { ctx, target, sources } = await loadInvolved(deps, auth, body);
  const all = [target, ...sources];
  for (const [id, version] of Object.entries(body.versions ?? {})) {
    const row = all.find((r) => r.id === id);
    if (!row) {
      throw new AppError('validation_failed', { errors: [{ path: `versions.${id}`, message: 'not one of the customers being merged' }] });
    }
    if (row.version !== version) {
      throw new AppError('version_mismatch');
    }
  }
  const fields = mergeFields(ctx.definitions);
  const targetRow = asMergeRow(target);
  const choices = resolveChoices(fields, targetRow, sources.map(asMergeRow), body.fields);
  // Taking another customer's value is a write of that field on the target.
  assertWritableFields(
    auth.permissions,
    'customer',
    choices.changed.map((f) => f.permissionField).filter((f): f is string => f !== null && f !== 'owner'),
  );
  const ownerChanged = 'ownerId' in choices.columns;
  const ownerId = ownerChanged ? (choices.columns.ownerId as string | null) : target.ownerId;
  if (ownerChanged) {
    const transfer = ctx.scopes.transfer;
    if (!transfer || !inScope(transfer, target.ownerId) || (ownerId !== null && (await countExisting(deps.db, auth.workspaceId, 'users', [ownerId])) !== 1)) {
      throw new AppError('forbidden', { detail: 'Choosing another owner is a transfer, which you may not do here' });
    }
  }
  const sourceIds = sources.map((s) => s.id);
  const now = nowIso(deps);
  const patch: Updateable<CustomersTable> = { ...(choices.columns as Updateable<CustomersTable>), ...mergeFollowups(all) };
  if (Object.keys(choices.custom).length > 0) {
    patch.custom = JSON.stringify({ ...targetRow.custom, ...choices.custom });
  }
  if (typeof choices.columns.name === 'string') {
    patch.nameKey = companyKey(choices.columns.name);
  }
  if (choices.columns.phone !== undefined) {
    patch.phoneKey = phoneKey(choices.columns.phone as string | null);
  }
  if (choices.columns.email !== undefined) {
    patch.emailKey = emailKey(choices.columns.email as string | null);
  }
  if (all.some((r) => r.dealStatus === 'dealt')) {
    patch.dealStatus = 'dealt';
  }
  if (ownerChanged) {
    patch.ownerSince = now;
  }
  const primaryFromSource = target.primaryContactId === null ? (sources.find((s) => s.primaryContactId !== null)?.primaryContactId ?? null) : null;
  if (primaryFromSource) {
    patch.primaryContactId = primaryFromSource;
  }
  const fieldChoices = Object.fromEntries(Object.entries(body.fields).filter(([f]) => choices.changed.some((c) => c.field === f)));
  await deps.db.transaction().execute(async (trx) => {
    if ((await updateCustomerRow(trx, auth.workspaceId, target.id, patch, now, target.version)) === 0) {
      throw new AppError('version_mismatch');
    }
    for (const source of sources) {
      if (!(await markMerged(trx, auth.workspaceId, source.id, target.id, source.version, auth.userId, now))) {
        throw new AppError('version_mismatch');
      }
    }
    await moveContacts(trx, auth.workspaceId, target.id, sourceIds, { id: ownerId, changed: ownerChanged }, primaryFromSource);
    await moveTags(trx, auth.workspaceId, target.id, sourceIds);
    const collaborators = await findCollaboratorRows(trx, auth.workspaceId, [target.id, ...sourceIds]);
    await replaceCollaborators(trx, auth.workspaceId, target.id, sourceIds, mergeCollaborators([collaborators], ownerId), now);
    await moveCustomerReferences(trx, { workspaceId: auth.workspaceId, targetId: target.id, sourceIds, actorUserId: auth.userId, at: now });
    const chosen = new Map(sources.map((s) => [s.id, asMergeRow(s)]));
    const changes = Object.fromEntries(choices.changed.map((f) => [f.field, { from: fieldValue(targetRow, f), to: fieldValue(chosen.get(body.fields[f.field] ?? '') ?? targetRow, f) }]));
    await appendTimeline(trx, {
      workspaceId: auth.workspaceId,
      customerId: target.id,
      entity: 'customer',
      recordId: target.id,
      kind: 'merged',
      actorUserId: auth.userId,
      data: { mergedIds: sourceIds, mergedNames: sources.map((s) => s.name), fields: fieldChoices, changes },
      at: now,
    });
    if (ownerChanged) {
      await appendOwnerChanges(trx, [
        { workspaceId: auth.workspaceId, customerId: target.id, actorUserId: auth.userId, from: target.ownerId, to: ownerId, reason: null, via: 'merge', at: now },
      ]);
    }
    await reindexCustomers(trx, deps.dialect, auth.workspaceId, [target.id, ...sourceIds]);
  });
  await recordAudit(deps, actor, {
    action: 'customer.merged',
    targetType: 'customer',
    targetId: target.id,
    detail: { sourceIds, sourceNames: sources.map((s) => s.name), fields: fieldChoices },
  });
  return getCustomer(deps, auth, target.id);
}
