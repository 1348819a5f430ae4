import type { Kysely } from 'kysely';
import { parseJson } from '../../db/dialect';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { removeStoredFiles } from '../files/files.service';
import { releaseFollowUpFiles } from '../follow-ups/follow-ups.files';
import { reindexContacts } from '../search/search.index';
import { accessFor, customerContext } from './customers.context';
import { loadCustomer } from './customers.service';

export const defaultRecycleBinDays = 30;

/** Tables that hang off a customer and go with it when it is purged. Later modules add theirs. */
const dependents: { table: 'contacts' | 'followUps' | 'timelineEvents' | 'customerCollaborators'; column: 'customerId' }[] = [
  { table: 'followUps', column: 'customerId' },
  { table: 'timelineEvents', column: 'customerId' },
  { table: 'customerCollaborators', column: 'customerId' },
  { table: 'contacts', column: 'customerId' },
];

/**
 * What else points at contacts about to be deleted for good (none of it by a foreign key, so
 * nothing would stop a dangling id): the records that outlive the contact let go of it.
 * - Follow-ups logged on the contact stay in its customer's history: they become the customer's
 *   (entity 'customer', record = the customer). One without a customer has nowhere to go and goes.
 * - Follow-ups, deals and leads that only named the contact keep everything else (contact_id cleared).
 * - A customer whose primary contact it was has none.
 * - Its tags go; timeline entries (the customer's history, names included) stay.
 */
async function detachContacts(trx: Kysely<Database>, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  await trx
    .updateTable('followUps')
    .set((eb) => ({ entity: 'customer', recordId: eb.ref('customerId').$castTo<string>(), contactId: null }))
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', 'contact')
    .where('recordId', 'in', ids)
    .where('customerId', 'is not', null)
    .execute();
  const orphans = trx.selectFrom('followUps').select('id').where('workspaceId', '=', workspaceId).where('entity', '=', 'contact').where('recordId', 'in', ids);
  const released = await releaseFollowUpFiles(trx, workspaceId, orphans);
  await trx.deleteFrom('followUps').where('workspaceId', '=', workspaceId).where('entity', '=', 'contact').where('recordId', 'in', ids).execute();
  await trx.updateTable('followUps').set({ contactId: null }).where('workspaceId', '=', workspaceId).where('contactId', 'in', ids).execute();
  await trx.updateTable('deals').set({ contactId: null }).where('workspaceId', '=', workspaceId).where('contactId', 'in', ids).execute();
  await trx.updateTable('leads').set({ contactId: null }).where('workspaceId', '=', workspaceId).where('contactId', 'in', ids).execute();
  await trx.updateTable('customers').set({ primaryContactId: null }).where('workspaceId', '=', workspaceId).where('primaryContactId', 'in', ids).execute();
  await trx.deleteFrom('recordTags').where('workspaceId', '=', workspaceId).where('entity', '=', 'contact').where('recordId', 'in', ids).execute();
  return released;
}

/** Deletes contacts in the recycle bin for good, after letting go of what points at them. */
export async function hardDeleteContacts(deps: Deps, workspaceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) {
    return;
  }
  const released = await deps.db.transaction().execute(async (trx) => {
    const keys = await detachContacts(trx, workspaceId, ids);
    await trx.deleteFrom('contacts').where('workspaceId', '=', workspaceId).where('id', 'in', ids).where('deletedAt', 'is not', null).execute();
    // Drops any search doc left behind (a binned contact's is normally gone already).
    await reindexContacts(trx, deps.dialect, workspaceId, ids);
    return keys;
  });
  await removeStoredFiles(deps, released);
}

/** Deletes customers for good, with everything that belongs only to them (attachments of their follow-ups included). */
export async function hardDeleteCustomers(deps: Deps, workspaceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) {
    return;
  }
  const released = await deps.db.transaction().execute(async (trx) => {
    // Their contacts go too: deals and leads of other customers must not keep pointing at them.
    const contactIds = (await trx.selectFrom('contacts').select('id').where('workspaceId', '=', workspaceId).where('customerId', 'in', ids).execute()).map((r) => r.id);
    const keys: string[] = [];
    for (let i = 0; i < contactIds.length; i += 500) {
      keys.push(...(await detachContacts(trx, workspaceId, contactIds.slice(i, i + 500))));
    }
    keys.push(...(await releaseFollowUpFiles(trx, workspaceId, trx.selectFrom('followUps').select('id').where('workspaceId', '=', workspaceId).where('customerId', 'in', ids))));
    for (const d of dependents) {
      await trx.deleteFrom(d.table).where('workspaceId', '=', workspaceId).where(d.column, 'in', ids).execute();
    }
    await trx.deleteFrom('recordTags').where('workspaceId', '=', workspaceId).where('entity', '=', 'customer').where('recordId', 'in', ids).execute();
    await trx.deleteFrom('customers').where('workspaceId', '=', workspaceId).where('id', 'in', ids).where('deletedAt', 'is not', null).execute();
    return keys;
  });
  await removeStoredFiles(deps, released);
}

/** 彻底删除: empties one customer from the recycle bin now. */
export async function purgeCustomer(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  const ctx = await customerContext(deps, auth, ['delete']);
  const row = await loadCustomer(deps, ctx, id, { deleted: true });
  if (!(await accessFor(deps, ctx, [row])).get(id)?.delete) {
    throw new AppError('forbidden');
  }
  await hardDeleteCustomers(deps, auth.workspaceId, [id]);
  await recordAudit(deps, actor, { action: 'customer.purged', targetType: 'customer', targetId: id, detail: { name: row.name } });
}

export function recycleBinDays(settings: unknown): number {
  const parsed = parseJson(settings);
  const days = typeof parsed === 'object' && parsed !== null ? (parsed as { recycleBinDays?: unknown }).recycleBinDays : undefined;
  return typeof days === 'number' && Number.isInteger(days) && days >= 1 ? days : defaultRecycleBinDays;
}

/**
 * The daily clean-up: customers in a workspace's recycle bin for longer than its
 * `recycleBinDays` setting are deleted for good, in batches. Returns how many went.
 */
export async function purgeExpiredCustomers(deps: Deps, batchSize = 200): Promise<number> {
  const workspaces = await deps.db.selectFrom('workspaces').select(['id', 'settings']).execute();
  let purged = 0;
  for (const w of workspaces) {
    const cutoff = new Date(deps.now().getTime() - recycleBinDays(w.settings) * 86_400_000).toISOString();
    for (;;) {
      const ids = (
        await deps.db.selectFrom('customers').select('id').where('workspaceId', '=', w.id).where('deletedAt', 'is not', null).where('deletedAt', '<', cutoff).limit(batchSize).execute()
      ).map((r) => r.id);
      if (ids.length === 0) {
        break;
      }
      await hardDeleteCustomers(deps, w.id, ids);
      purged += ids.length;
      // better-sqlite3 runs each batch synchronously: give waiting requests the event loop
      // between batches so a big purge never stalls the app.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await recordAudit(deps, { workspaceId: w.id, userId: null, apiKeyId: null, ip: null, userAgent: null }, { action: 'customer.purged', targetType: 'customer', detail: { count: ids.length, before: cutoff, at: nowIso(deps) } });
    }
  }
  return purged;
}

/**
 * The daily clean-up of contacts: those in the recycle bin for longer than the workspace's
 * `recycleBinDays` are deleted for good, in batches (see hardDeleteContacts for what happens to
 * the records pointing at them). Contacts deleted together with their customer usually went
 * with it already (purgeExpiredCustomers runs first). Returns how many went.
 */
export async function purgeExpiredContacts(deps: Deps, batchSize = 200): Promise<number> {
  const workspaces = await deps.db.selectFrom('workspaces').select(['id', 'settings']).execute();
  let purged = 0;
  for (const w of workspaces) {
    const cutoff = new Date(deps.now().getTime() - recycleBinDays(w.settings) * 86_400_000).toISOString();
    for (;;) {
      const ids = (
        await deps.db.selectFrom('contacts').select('id').where('workspaceId', '=', w.id).where('deletedAt', 'is not', null).where('deletedAt', '<', cutoff).orderBy('deletedAt').orderBy('id').limit(batchSize).execute()
      ).map((r) => r.id);
      if (ids.length === 0) {
        break;
      }
      await hardDeleteContacts(deps, w.id, ids);
      purged += ids.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
      await recordAudit(deps, { workspaceId: w.id, userId: null, apiKeyId: null, ip: null, userAgent: null }, { action: 'contact.purged', targetType: 'contact', detail: { count: ids.length, before: cutoff, at: nowIso(deps) } });
    }
  }
  return purged;
}

/** The recycle bin's daily job: expired customers (with their contacts), then expired contacts. */
export async function purgeRecycleBin(deps: Deps): Promise<{ customers: number; contacts: number }> {
  const customers = await purgeExpiredCustomers(deps);
  const contacts = await purgeExpiredContacts(deps);
  return { customers, contacts };
}
