import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import { presentFields } from '../permissions/permissions.service';
import { registerSearchEntity } from '../search/search.entities';
import { indexDocs, removeDocs } from '../search/search.index';

/**
 * Re-reads deals and writes their search docs (the deal's name, and its customer's name searched
 * like a second name) or removes them (binned, purged), in the caller's transaction. Deals are
 * seen by owner only (their data scope has no collaborators), so the doc's customerId is left to
 * default to the deal's own id. Called by the search outbox drain (search.pending.ts): database
 * triggers queue every deal write (migration 0016), so the deal write paths need no call of their own.
 */
export async function reindexDeals(db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) {
    return;
  }
  const rows = await db
    .selectFrom('deals as d')
    .leftJoin('customers as c', 'c.id', 'd.customerId')
    .select(['d.id', 'd.name', 'd.ownerId', 'd.deletedAt', 'c.name as customerName'])
    .where('d.workspaceId', '=', workspaceId)
    .where('d.id', 'in', ids)
    .execute();
  const live = rows.filter((r) => r.deletedAt === null);
  await indexDocs(
    db,
    dialect,
    workspaceId,
    live.map((r) => ({ entity: 'deal', recordId: r.id, ownerId: r.ownerId, name: r.name, company: r.customerName })),
  );
  const liveIds = new Set(live.map((r) => r.id));
  const gone = ids.filter((id) => !liveIds.has(id));
  if (gone.length > 0) {
    await removeDocs(db, workspaceId, 'deal', gone);
  }
}

// GET /search answers a `deals` group: matches within the caller's deal:view scope (owners), the
// owner by the caller's field rules (the amount is left to the deal's own page).
registerSearchEntity({
  entity: 'deal',
  group: 'deals',
  reindex: reindexDeals,
  hits: async (deps, auth, ids) => {
    if (ids.length === 0) {
      return [];
    }
    const rows = await deps.db
      .selectFrom('deals as d')
      .leftJoin('customers as c', 'c.id', 'd.customerId')
      .leftJoin('users as o', 'o.id', 'd.ownerId')
      .leftJoin('pipelineStages as s', 's.id', 'd.stageId')
      .select(['d.id', 'd.name', 'd.status', 'd.customerId', 'c.name as customerName', 's.name as stageName', 'o.name as ownerName'])
      .where('d.workspaceId', '=', auth.workspaceId)
      .where('d.id', 'in', ids)
      .where('d.deletedAt', 'is', null)
      .execute();
    return rows.map((r) => presentFields(auth.permissions, 'deal', { ...r }, { owner: ['ownerName'] }));
  },
});
