import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import { presentFields } from '../permissions/permissions.service';
import { registerSearchEntity } from '../search/search.entities';
import { indexDocs, removeDocs, type SearchDocInput } from '../search/search.index';

/** A lead as global search indexes it: name and company searched alike, phone and email. */
export function leadDoc(row: { id: string; name: string; company: string | null; phone: string | null; email: string | null; ownerId: string | null }): SearchDocInput {
  return { entity: 'lead', recordId: row.id, ownerId: row.ownerId, name: row.name, company: row.company, phone: row.phone, email: row.email };
}

/** Re-reads leads and writes their docs (live ones) or removes them (binned), in the caller's transaction. */
export async function reindexLeads(db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) {
    return;
  }
  const rows = await db.selectFrom('leads').select(['id', 'name', 'company', 'phone', 'email', 'ownerId', 'deletedAt']).where('workspaceId', '=', workspaceId).where('id', 'in', ids).execute();
  const live = rows.filter((r) => r.deletedAt === null);
  await indexDocs(db, dialect, workspaceId, live.map(leadDoc));
  const gone = ids.filter((id) => !live.some((r) => r.id === id));
  if (gone.length > 0) {
    await removeDocs(db, workspaceId, 'lead', gone);
  }
}

// GET /search answers a `leads` group: matches within the caller's lead:view scope, field rules applied.
registerSearchEntity({
  entity: 'lead',
  group: 'leads',
  hits: async (deps, auth, ids) => {
    if (ids.length === 0) {
      return [];
    }
    const rows = await deps.db
      .selectFrom('leads as l')
      .leftJoin('users as o', 'o.id', 'l.ownerId')
      .select(['l.id', 'l.name', 'l.company', 'l.phone', 'l.email', 'l.status', 'o.name as ownerName'])
      .where('l.workspaceId', '=', auth.workspaceId)
      .where('l.id', 'in', ids)
      .where('l.deletedAt', 'is', null)
      .execute();
    return rows.map((r) => presentFields(auth.permissions, 'lead', { ...r }, { phone: ['phone'], email: ['email'], company: ['company'], owner: ['ownerName'] }));
  },
});
