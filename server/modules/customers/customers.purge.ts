import type { Kysely } from 'kysely';
import { parseJson } from '../../db/dialect';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
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

/** Deletes customers for good, with everything that belongs only to them. */
export async function hardDeleteCustomers(db: Kysely<Database>, workspaceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) {
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (const d of dependents) {
      await trx.deleteFrom(d.table).where('workspaceId', '=', workspaceId).where(d.column, 'in', ids).execute();
    }
    await trx.deleteFrom('recordTags').where('workspaceId', '=', workspaceId).where('entity', '=', 'customer').where('recordId', 'in', ids).execute();
    await trx.deleteFrom('customers').where('workspaceId', '=', workspaceId).where('id', 'in', ids).where('deletedAt', 'is not', null).execute();
  });
}

/** 彻底删除: empties one customer from the recycle bin now. */
export async function purgeCustomer(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  const ctx = await customerContext(deps, auth, ['delete']);
  const row = await loadCustomer(deps, ctx, id, { deleted: true });
  if (!(await accessFor(deps, ctx, [row])).get(id)?.delete) {
    throw new AppError('forbidden');
  }
  await hardDeleteCustomers(deps.db, auth.workspaceId, [id]);
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
      await hardDeleteCustomers(deps.db, w.id, ids);
      purged += ids.length;
      // better-sqlite3 runs each batch synchronously: give waiting requests the event loop
      // between batches so a big purge never stalls the app.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await recordAudit(deps, { workspaceId: w.id, userId: null, apiKeyId: null, ip: null, userAgent: null }, { action: 'customer.purged', targetType: 'customer', detail: { count: ids.length, before: cutoff, at: nowIso(deps) } });
    }
  }
  return purged;
}
