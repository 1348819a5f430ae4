import type { DialectName } from '../../db/dialect';
import type { Deps } from '../../deps';
import { indexNewContacts, reindexContacts } from '../search/search.index';
import { unindexedRecords } from './imports.indexing';
import type { DeferredIndex } from './imports.registry';

/**
 * One window of new contacts (id order, after `after`, none past `upTo` when given), indexed in
 * bulk with their customer's name (a contact's entry carries it as its company). A contact is
 * indexed while it and its customer are live, so one whose customer was deleted meanwhile is
 * skipped, as `reindexContacts` would skip it.
 */
export async function indexContactWindow(
  trx: Deps['db'],
  dialect: DialectName,
  workspaceId: string,
  after: string,
  limit: number,
  options: { upsert: boolean; upTo?: string | undefined },
): Promise<{ indexed: number; last: string | null }> {
  const { records, last } = await unindexedRecords<{ customerId: string; name: string; phone: string | null; email: string | null; ownerId: string | null }>(
    trx,
    dialect,
    { table: 'contacts', entity: 'contact', columns: ['customerId', 'name', 'phone', 'email', 'ownerId'] },
    workspaceId,
    after,
    limit,
    options.upTo,
  );
  if (options.upsert) {
    await reindexContacts(
      trx,
      dialect,
      workspaceId,
      records.map((r) => r.id),
    );
    return { indexed: records.length, last };
  }
  const customerIds = [...new Set(records.map((r) => r.customerId))];
  const names = new Map<string, string>();
  for (let i = 0; i < customerIds.length; i += 1000) {
    const rows = await trx
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('workspaceId', '=', workspaceId)
      .where('id', 'in', customerIds.slice(i, i + 1000))
      .where('deletedAt', 'is', null)
      .execute();
    rows.forEach((c) => names.set(c.id, c.name));
  }
  const live = records.filter((r) => names.has(r.customerId));
  await indexNewContacts(
    trx,
    dialect,
    workspaceId,
    live.map((r) => ({ ...r, customerName: names.get(r.customerId) ?? '' })),
  );
  return { indexed: live.length, last };
}

/** The indexing stage's side for contacts (imports.indexing.ts): windows of new contacts. */
export const contactIndex: DeferredIndex = {
  async indexBatch(trx, dialect, workspaceId, after, limit, { upsert }) {
    return indexContactWindow(trx, dialect, workspaceId, after, limit, { upsert });
  },
};
