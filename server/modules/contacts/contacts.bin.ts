import { type Deps, nowIso } from '../../deps';
import { AppError, requireAllFound } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { customerContext } from '../customers/customers.context';
import { findCustomersByIds } from '../customers/customers.repo';
import { reindexContacts } from '../search/search.index';
import { appendTimeline } from '../timeline/timeline.writer';
import { contactAccessFor, contactContext } from './contacts.policy';
import { findDeletedContacts, findLiveContacts, restoreContactRow, setPrimaryContact, softDeleteContact } from './contacts.repo';
import type { Contact } from './contacts.schema';
import { getContact } from './contacts.service';

/**
 * Moves contacts to the recycle bin (deleted_at), all or nothing: every id must be a live contact
 * the caller may see (else 404) and delete (else 403). A deleted primary leaves its customer
 * without one. Returns how many were deleted.
 */
export async function deleteContacts(deps: Deps, auth: AuthContext, actor: AuditActor, ids: readonly string[]): Promise<number> {
  const ctx = await contactContext(deps, auth);
  const unique = [...new Set(ids)];
  const rows = await findLiveContacts(deps.db, auth.workspaceId, unique, ctx.visibility);
  requireAllFound(unique, rows, (id) => `Contact ${id} not found`);
  const access = await contactAccessFor(deps, ctx, rows);
  if (rows.some((r) => !access.get(r.id)?.delete)) {
    throw new AppError('forbidden', { detail: 'Some contacts may not be deleted by you' });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    for (const row of rows) {
      await softDeleteContact(trx, auth.workspaceId, row.id, now);
      if (row.isPrimary === 1) {
        await setPrimaryContact(trx, auth.workspaceId, row.customerId, null, now);
      }
    }
    await reindexContacts(trx, deps.dialect, auth.workspaceId, unique);
  });
  for (const row of rows) {
    await recordAudit(deps, actor, { action: 'contact.deleted', targetType: 'contact', targetId: row.id, detail: { customerId: row.customerId, name: row.name } });
  }
  return rows.length;
}

export async function deleteContact(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  await deleteContacts(deps, auth, actor, [id]);
}

/**
 * Takes contacts out of the recycle bin (回收站 → back), all or nothing: each must be in the bin
 * and visible (404), the caller may delete it (403), and its customer must be live and visible
 * (422: a contact of a binned customer comes back with the customer). They return as
 * non-primary contacts, each with a `restored` entry on its customer's timeline.
 */
export async function restoreContacts(deps: Deps, auth: AuthContext, actor: AuditActor, ids: readonly string[]): Promise<number> {
  const ctx = await contactContext(deps, auth);
  const unique = [...new Set(ids)];
  const rows = await findDeletedContacts(deps.db, auth.workspaceId, unique, ctx.visibility);
  requireAllFound(unique, rows, (id) => `Contact ${id} is not in the recycle bin`);
  const access = await contactAccessFor(deps, ctx, rows);
  if (rows.some((r) => !access.get(r.id)?.delete)) {
    throw new AppError('forbidden', { detail: 'Some contacts may not be restored by you' });
  }
  const customerIds = [...new Set(rows.map((r) => r.customerId))];
  const customers = await findCustomersByIds(deps.db, deps.dialect, auth.workspaceId, customerIds, (await customerContext(deps, auth, [])).visibility);
  if (customers.filter((c) => c.deletedAt === null).length !== customerIds.length) {
    throw new AppError('business_rule', { detail: 'Restore the customer first: its contacts come back with it' });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    for (const row of rows) {
      await restoreContactRow(trx, auth.workspaceId, row.id, now);
    }
    await appendTimeline(
      trx,
      rows.map((row) => ({
        workspaceId: auth.workspaceId,
        customerId: row.customerId,
        entity: 'contact',
        recordId: row.id,
        kind: 'restored',
        actorUserId: auth.userId,
        data: { contactId: row.id, name: row.name },
        at: now,
      })),
    );
    await reindexContacts(trx, deps.dialect, auth.workspaceId, unique);
  });
  for (const row of rows) {
    await recordAudit(deps, actor, { action: 'contact.restored', targetType: 'contact', targetId: row.id, detail: { customerId: row.customerId, name: row.name } });
  }
  return rows.length;
}

export async function restoreContact(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<Contact> {
  await restoreContacts(deps, auth, actor, [id]);
  return getContact(deps, auth, id);
}
