import type { AuditAction } from '../../../common/audit-actions';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { fieldAccess, assertWritableFields } from '../permissions/permissions.service';
import { parseListQuery } from '../../list/parse-list';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { activeValues } from '../picklists/picklists.service';
import { reindexCustomers } from '../search/search.index';
import { appendTimeline } from '../timeline/timeline.writer';
import { changeCustomerTags, transferCustomers } from './customers.actions';
import { accessFor, customerContext } from './customers.context';
import { customerListSpec } from './customers.list-spec';
import { type CustomerRow, findCustomer, listCustomerIds } from './customers.repo';
import type { bulkActions, BulkBody } from './customers.schema';
import { customerSearchCondition } from './customers.search';

/** What the audit log calls each bulk action. */
const bulkAuditActions = {
  assign: 'customer.bulk_assign',
  addTags: 'customer.bulk_add_tags',
  removeTags: 'customer.bulk_remove_tags',
  setLevel: 'customer.bulk_set_level',
  delete: 'customer.bulk_delete',
} as const satisfies Record<(typeof bulkActions)[number], AuditAction>;

/** Synchronous bulk actions stop here; bigger sets go through export/import jobs or a narrower filter. */
export const bulkLimit = 5000;

/**
 * Runs a bulk action over a selection or the whole filtered set. The set is resolved with the
 * caller's data scope, and each record is checked for the action's own permission: all or nothing.
 */
export async function runBulkAction(deps: Deps, auth: AuthContext, actor: AuditActor, body: BulkBody) {
  const ctx = await customerContext(deps, auth);
  let ids: string[];
  if (body.filter) {
    const { tag, ...rest } = body.filter;
    const tagIds = (Array.isArray(tag) ? tag : tag ? [tag] : []).flatMap((t) => t.split(','));
    const list = parseListQuery(rest, customerListSpec, ctx.definitions, (f) => fieldAccess(auth.permissions, 'customer', f));
    const search = list.q ? await customerSearchCondition(deps, auth, list.q) : undefined;
    ids = await listCustomerIds(deps.db, deps.dialect, auth.workspaceId, ctx.visibility, list, {
      deleted: false,
      tagIds,
      search: search?.condition,
      searchByIds: search?.byIds,
    }, bulkLimit + 1);
    if (ids.length > bulkLimit) {
      throw new AppError('business_rule', { detail: `More than ${bulkLimit} customers match: narrow the filter` });
    }
  } else {
    ids = [...new Set(body.ids ?? [])];
  }
  const rows: CustomerRow[] = [];
  for (const id of ids) {
    const row = await findCustomer(deps.db, auth.workspaceId, id, ctx.visibility);
    if (!row || row.deletedAt !== null) {
      throw new AppError('not_found', { detail: `Customer ${id} not found` });
    }
    rows.push(row);
  }
  const access = await accessFor(deps, ctx, rows);
  const now = nowIso(deps);
  let changed = 0;
  switch (body.action) {
    case 'assign':
      changed = (await transferCustomers(deps, auth, actor, ids, { ownerId: body.ownerId ?? '', reason: body.reason, withContacts: true })).transferred;
      break;
    case 'addTags':
    case 'removeTags':
      changed = (await changeCustomerTags(deps, auth, ids, body.action === 'addTags' ? { add: body.tagIds ?? [], remove: [] } : { add: [], remove: body.tagIds ?? [] })).changed;
      break;
    case 'setLevel': {
      assertWritableFields(auth.permissions, 'customer', ['level']);
      if (body.level !== null && body.level !== undefined && !(await activeValues(deps, auth.workspaceId, 'customer.level')).has(body.level)) {
        throw new AppError('validation_failed', { errors: [{ path: 'level', message: 'not one of the configured options' }] });
      }
      if (rows.some((r) => !access.get(r.id)?.edit)) {
        throw new AppError('forbidden');
      }
      const targets = rows.filter((r) => r.level !== (body.level ?? null));
      await deps.db.transaction().execute(async (trx) => {
        for (const r of targets) {
          await trx.updateTable('customers').set((eb) => ({ level: body.level ?? null, updatedAt: now, version: eb('version', '+', 1) })).where('workspaceId', '=', auth.workspaceId).where('id', '=', r.id).execute();
        }
        await appendTimeline(
          trx,
          targets.map((r) => ({ workspaceId: auth.workspaceId, customerId: r.id, entity: 'customer', recordId: r.id, kind: 'field_change', actorUserId: auth.userId, data: { changes: { level: { from: r.level, to: body.level ?? null } } }, at: now })),
        );
      });
      changed = targets.length;
      break;
    }
    case 'delete': {
      if (rows.some((r) => !access.get(r.id)?.delete || r.locked === 1)) {
        throw new AppError('forbidden', { detail: 'Some customers may not be deleted by you, or are locked' });
      }
      await deps.db.transaction().execute(async (trx) => {
        for (const r of rows) {
          await trx.updateTable('customers').set({ deletedAt: now, deletedBy: auth.userId, updatedAt: now }).where('workspaceId', '=', auth.workspaceId).where('id', '=', r.id).execute();
          await trx.updateTable('contacts').set({ deletedAt: now }).where('workspaceId', '=', auth.workspaceId).where('customerId', '=', r.id).where('deletedAt', 'is', null).execute();
        }
        await appendTimeline(trx, rows.map((r) => ({ workspaceId: auth.workspaceId, customerId: r.id, entity: 'customer', recordId: r.id, kind: 'deleted', actorUserId: auth.userId, data: null, at: now })));
        await reindexCustomers(trx, deps.dialect, auth.workspaceId, rows.map((r) => r.id));
      });
      changed = rows.length;
      break;
    }
  }
  await recordAudit(deps, actor, { action: bulkAuditActions[body.action], targetType: 'customer', detail: { matched: ids.length, changed } });
  return { action: body.action, matched: ids.length, changed };
}
