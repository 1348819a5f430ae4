import { formatMoney } from '../../../common/money';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import { presentFields } from '../permissions/permissions.service';
import { registerSearchEntity } from '../search/search.entities';
import { indexDocs, removeDocs } from '../search/search.index';

/** Re-reads contracts and writes their search docs (name, and the number searched like a second name), in the caller's transaction. */
export async function reindexContracts(db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) {
    return;
  }
  const rows = await db.selectFrom('contracts').select(['id', 'name', 'number', 'ownerId', 'deletedAt']).where('workspaceId', '=', workspaceId).where('id', 'in', ids).execute();
  const live = rows.filter((r) => r.deletedAt === null);
  await indexDocs(
    db,
    dialect,
    workspaceId,
    live.map((r) => ({ entity: 'contract', recordId: r.id, ownerId: r.ownerId, name: r.name, company: r.number })),
  );
  const gone = ids.filter((id) => !live.some((r) => r.id === id));
  if (gone.length > 0) {
    await removeDocs(db, workspaceId, 'contract', gone);
  }
}

// GET /search answers a `contracts` group: matches within the caller's contract:view scope.
registerSearchEntity({
  entity: 'contract',
  group: 'contracts',
  hits: async (deps, auth, ids) => {
    if (ids.length === 0) {
      return [];
    }
    const rows = await deps.db
      .selectFrom('contracts as k')
      .leftJoin('customers as c', 'c.id', 'k.customerId')
      .leftJoin('users as o', 'o.id', 'k.ownerId')
      .select(['k.id', 'k.name', 'k.number', 'k.status', 'k.totalCents', 'c.name as customerName', 'o.name as ownerName'])
      .where('k.workspaceId', '=', auth.workspaceId)
      .where('k.id', 'in', ids)
      .where('k.deletedAt', 'is', null)
      .execute();
    return rows.map((r) => presentFields(auth.permissions, 'contract', { id: r.id, name: r.name, number: r.number, status: r.status, customerName: r.customerName, ownerName: r.ownerName, total: formatMoney(Number(r.totalCents)) }, { total: ['total'], owner: ['ownerName'] }));
  },
});
