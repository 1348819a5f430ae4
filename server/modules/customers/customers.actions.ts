import { type Deps, nowIso } from '../../deps';
import { AppError, requireAllFound } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { inScope } from '../permissions/permissions.service';
import { recordOwnershipChanges } from '../pools/pools.history';
import { assertCanLock, assertCanOwn } from '../pools/pools.limits';
import { reindexCustomers } from '../search/search.index';
import { appendOwnerChanges, appendTimeline } from '../timeline/timeline.writer';
import { countExisting } from '../users/users.repo';
import { accessFor, customerContext } from './customers.context';
import { findCollaborators, findCustomersByIds, updateCustomerRow } from './customers.repo';
import type { Customer } from './customers.schema';
import { getCustomer, loadCustomer } from './customers.service';

/** Moves a customer to the recycle bin (回收站): hidden from lists, restorable, purged after N days. */
export async function deleteCustomer(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  const ctx = await customerContext(deps, auth);
  const row = await loadCustomer(deps, ctx, id);
  if (!(await accessFor(deps, ctx, [row])).get(id)?.delete) {
    throw new AppError('forbidden');
  }
  if (row.locked === 1) {
    throw new AppError('business_rule', { detail: 'A locked customer cannot be deleted; unlock it first' });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('customers').set({ deletedAt: now, deletedBy: auth.userId, updatedAt: now }).where('workspaceId', '=', auth.workspaceId).where('id', '=', id).execute();
    await trx.updateTable('contacts').set({ deletedAt: now }).where('workspaceId', '=', auth.workspaceId).where('customerId', '=', id).where('deletedAt', 'is', null).execute();
    await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId: id, entity: 'customer', recordId: id, kind: 'deleted', actorUserId: auth.userId, data: null, at: now });
    await reindexCustomers(trx, deps.dialect, auth.workspaceId, [id]);
  });
  await recordAudit(deps, actor, { action: 'customer.deleted', targetType: 'customer', targetId: id, detail: { name: row.name } });
}

/**
 * Takes customers out of the recycle bin, all or nothing: each must be in the bin and visible
 * (404), the caller may delete it (403) and it was not merged away (422). Contacts deleted
 * together with a customer come back with it; ones deleted earlier stay in the bin.
 */
export async function restoreCustomers(deps: Deps, auth: AuthContext, actor: AuditActor, ids: readonly string[]): Promise<number> {
  const ctx = await customerContext(deps, auth);
  const unique = [...new Set(ids)];
  // One lookup for the whole selection (up to 500), not one per id.
  const rows = (await findCustomersByIds(deps.db, deps.dialect, auth.workspaceId, unique, ctx.visibility)).filter((r) => r.deletedAt !== null);
  requireAllFound(unique, rows, (id) => `Customer ${id} is not in the recycle bin`);
  const access = await accessFor(deps, ctx, rows);
  if (rows.some((r) => !access.get(r.id)?.delete)) {
    throw new AppError('forbidden', { detail: 'Some customers may not be restored by you' });
  }
  const merged = await deps.db.selectFrom('customers').select('name').where('workspaceId', '=', auth.workspaceId).where('id', 'in', rows.map((r) => r.id)).where('mergedInto', 'is not', null).executeTakeFirst();
  if (merged) {
    // Its contacts, follow-ups and history live on in the customer it was merged into.
    throw new AppError('business_rule', { detail: `${merged.name} was merged into another customer and cannot be restored` });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    // Each customer's contacts deleted at the same moment as it come back (one deleted before it
    // stays in the bin) — one statement for the selection, before the customers lose their deleted_at.
    await trx
      .updateTable('contacts')
      .set({ deletedAt: null })
      .where('workspaceId', '=', auth.workspaceId)
      .where('customerId', 'in', unique)
      .where('deletedAt', '=', (eb) => eb.selectFrom('customers as c').select('c.deletedAt').whereRef('c.id', '=', 'contacts.customerId').where('c.workspaceId', '=', auth.workspaceId))
      .execute();
    await trx.updateTable('customers').set({ deletedAt: null, deletedBy: null, updatedAt: now }).where('workspaceId', '=', auth.workspaceId).where('id', 'in', unique).execute();
    await appendTimeline(trx, rows.map((row) => ({ workspaceId: auth.workspaceId, customerId: row.id, entity: 'customer', recordId: row.id, kind: 'restored', actorUserId: auth.userId, data: null, at: now })));
    await reindexCustomers(trx, deps.dialect, auth.workspaceId, rows.map((r) => r.id));
  });
  for (const row of rows) {
    await recordAudit(deps, actor, { action: 'customer.restored', targetType: 'customer', targetId: row.id });
  }
  return rows.length;
}

export async function restoreCustomer(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<Customer> {
  await restoreCustomers(deps, auth, actor, [id]);
  return getCustomer(deps, auth, id);
}

/** 锁定: a locked customer is kept by its owner (exempt from recycling to the pool, not deletable). */
export async function setCustomerLock(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, locked: boolean): Promise<Customer> {
  const ctx = await customerContext(deps, auth);
  const row = await loadCustomer(deps, ctx, id);
  if (!(await accessFor(deps, ctx, [row])).get(id)?.edit) {
    throw new AppError('forbidden');
  }
  if ((row.locked === 1) !== locked) {
    const now = nowIso(deps);
    await deps.db.transaction().execute(async (trx) => {
      if (locked) {
        await assertCanLock(trx, deps.dialect, auth.workspaceId, row.ownerId);
      }
      await updateCustomerRow(trx, auth.workspaceId, id, { locked: locked ? 1 : 0 }, now);
      await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId: id, entity: 'customer', recordId: id, kind: locked ? 'locked' : 'unlocked', actorUserId: auth.userId, data: null, at: now });
    });
    await recordAudit(deps, actor, { action: locked ? 'customer.locked' : 'customer.unlocked', targetType: 'customer', targetId: id });
  }
  return getCustomer(deps, auth, id);
}

/**
 * 转移: gives customers to another owner (their contacts follow). Needs transfer on the current
 * owner's records; every change of owner is recorded on the timeline with who, when and why.
 */
export async function transferCustomers(
  deps: Deps,
  auth: AuthContext,
  actor: AuditActor,
  ids: readonly string[],
  input: { ownerId: string; reason?: string | undefined; withContacts: boolean },
): Promise<{ transferred: number }> {
  if ((await countExisting(deps.db, auth.workspaceId, 'users', [input.ownerId])) !== 1) {
    throw new AppError('validation_failed', { errors: [{ path: 'ownerId', message: 'no such user' }] });
  }
  const ctx = await customerContext(deps, auth, ['transfer']);
  const transfer = ctx.scopes.transfer;
  if (!transfer) {
    throw new AppError('forbidden');
  }
  const now = nowIso(deps);
  let transferred = 0;
  for (const id of ids) {
    const row = await loadCustomer(deps, ctx, id);
    if (!inScope(transfer, row.ownerId)) {
      throw new AppError('forbidden', { detail: `You may not transfer ${row.name}` });
    }
    if (row.ownerId === input.ownerId) {
      continue;
    }
    await deps.db.transaction().execute(async (trx) => {
      await assertCanOwn(trx, deps.dialect, auth.workspaceId, input.ownerId, [row]);
      await recordOwnershipChanges(trx, [{ workspaceId: auth.workspaceId, customerId: id, action: 'transfer', fromUserId: row.ownerId, toUserId: input.ownerId, poolId: null, reason: input.reason ?? null, rule: null, actorUserId: auth.userId, createdAt: now }], { timeline: false });
      await updateCustomerRow(trx, auth.workspaceId, id, { ownerId: input.ownerId, ownerSince: now }, now);
      // From a pool (no owner) the contacts always follow: their owner_id may still name the
      // former owner, which would count again once the customer has one (contacts.owner.ts).
      if (input.withContacts || row.ownerId === null) {
        await trx.updateTable('contacts').set({ ownerId: input.ownerId }).where('workspaceId', '=', auth.workspaceId).where('customerId', '=', id).execute();
      }
      await appendOwnerChanges(trx, [
        { workspaceId: auth.workspaceId, customerId: id, actorUserId: auth.userId, from: row.ownerId, to: input.ownerId, reason: input.reason ?? null, via: 'transfer', at: now },
      ]);
      await reindexCustomers(trx, deps.dialect, auth.workspaceId, [id]);
    });
    transferred += 1;
  }
  await recordAudit(deps, actor, { action: 'customer.transferred', targetType: 'customer', detail: { ids, ownerId: input.ownerId, reason: input.reason ?? null } });
  return { transferred };
}

/** Adds and removes tags (标签). Needs edit access to the customer. */
export async function changeCustomerTags(
  deps: Deps,
  auth: AuthContext,
  ids: readonly string[],
  change: { add: readonly string[]; remove: readonly string[] },
): Promise<{ changed: number }> {
  const tagIds = [...new Set([...change.add, ...change.remove])];
  const known = tagIds.length === 0 ? [] : await deps.db.selectFrom('tags').select('id').where('workspaceId', '=', auth.workspaceId).where('id', 'in', tagIds).execute();
  if (known.length !== tagIds.length) {
    throw new AppError('validation_failed', { errors: [{ path: 'tags', message: 'no such tag' }] });
  }
  const ctx = await customerContext(deps, auth, ['edit']);
  let changed = 0;
  for (const id of ids) {
    const row = await loadCustomer(deps, ctx, id);
    if (!(await accessFor(deps, ctx, [row])).get(id)?.edit) {
      throw new AppError('forbidden');
    }
    await deps.db.transaction().execute(async (trx) => {
      if (change.remove.length > 0) {
        await trx.deleteFrom('recordTags').where('workspaceId', '=', auth.workspaceId).where('entity', '=', 'customer').where('recordId', '=', id).where('tagId', 'in', change.remove).execute();
      }
      for (const tagId of change.add) {
        await trx
          .insertInto('recordTags')
          .values({ workspaceId: auth.workspaceId, entity: 'customer', recordId: id, tagId })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    });
    changed += 1;
  }
  return { changed };
}

export async function listCustomerCollaborators(deps: Deps, auth: AuthContext, id: string) {
  const ctx = await customerContext(deps, auth);
  await loadCustomer(deps, ctx, id);
  return (await findCollaborators(deps.db, auth.workspaceId, [id])).map(({ userId, userName, access, expiresAt }) => ({ userId, userName, access, expiresAt }));
}

/** 团队成员: replaces the collaborator list (read-only or read-write, optional expiry). Owner-side edit needed. */
export async function setCustomerCollaborators(
  deps: Deps,
  auth: AuthContext,
  actor: AuditActor,
  id: string,
  collaborators: readonly { userId: string; access: 'read' | 'write'; expiresAt?: string | null | undefined }[],
) {
  const ctx = await customerContext(deps, auth, ['edit']);
  const row = await loadCustomer(deps, ctx, id);
  const edit = ctx.scopes.edit;
  // Collaborators may not add collaborators: only someone with edit rights over the owner's records.
  if (!edit || !inScope(edit, row.ownerId)) {
    throw new AppError('forbidden');
  }
  const userIds = [...new Set(collaborators.map((c) => c.userId))];
  if (userIds.length !== collaborators.length || (await countExisting(deps.db, auth.workspaceId, 'users', userIds)) !== userIds.length) {
    throw new AppError('validation_failed', { errors: [{ path: 'collaborators', message: 'unknown or repeated user' }] });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('customerCollaborators').where('workspaceId', '=', auth.workspaceId).where('customerId', '=', id).execute();
    if (collaborators.length > 0) {
      await trx
        .insertInto('customerCollaborators')
        .values(
          collaborators.map((c) => ({
            workspaceId: auth.workspaceId,
            customerId: id,
            userId: c.userId,
            access: c.access,
            expiresAt: c.expiresAt ? new Date(c.expiresAt).toISOString() : null,
            createdAt: now,
          })),
        )
        .execute();
    }
    await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId: id, entity: 'customer', recordId: id, kind: 'collaborators_changed', actorUserId: auth.userId, data: { collaborators }, at: now });
  });
  await recordAudit(deps, actor, { action: 'customer.collaborators_changed', targetType: 'customer', targetId: id, detail: { collaborators } });
  return listCustomerCollaborators(deps, auth, id);
}

