import type { Expression, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { countIndexMatches } from '../../db/dialect';
import { fieldModeOf } from '../../list/list-spec';
import { type Deps, nowIso } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { can, fieldAccess, type Permissions, presentFields, type Principal, scopeFilter } from '../permissions/permissions.service';
import {
  docMatch,
  type FieldModes,
  findContactHits,
  findCustomerHits,
  findMatchingDocs,
  type SearchEntity,
} from './search.repo';
import { searchEntities } from './search.entities';
import { drainPending } from './search.pending';
import type { ContactHit, CustomerHit, OtherHit, SearchResult } from './search.schema';
import { parseSearchQuery } from './search.text';

/** How the caller may search phone and email of an entity: hidden fields never match, masked ones only whole. */
export function fieldModes(permissions: Permissions, entity: SearchEntity): FieldModes {
  return { phone: fieldModeOf(fieldAccess(permissions, entity, 'phone')), email: fieldModeOf(fieldAccess(permissions, entity, 'email')) };
}


function byOrder<T extends { id: string }>(ids: readonly string[], rows: readonly T[]): T[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id)).filter((r): r is T => r !== undefined);
}

async function searchEntity(deps: Deps, auth: AuthContext, entity: SearchEntity, q: string, limit: number, matchCounts: Map<string, Promise<number>>): Promise<string[]> {
  const query = parseSearchQuery(q);
  if (!query || !can(auth.permissions, `${entity}:view`)) {
    return [];
  }
  const scope = await scopeFilter(deps, auth, entity, 'view');
  const match = docMatch(deps.dialect, query, fieldModes(auth.permissions, entity));
  return findMatchingDocs(deps.db, deps.dialect, auth.workspaceId, entity, match, { scope, userId: auth.userId, now: nowIso(deps) }, limit, matchCounts);
}

/**
 * 全局搜索: customers and contacts whose name, company, email or phone contains `q` (one
 * character and up), grouped by type, newest first, only what the caller may see, with field
 * rules applied to the answer and to what may match.
 */
export async function globalSearch(deps: Deps, auth: AuthContext, q: string, limit: number): Promise<SearchResult> {
  const others = searchEntities();
  // Outbox-kept entities (deals): a small backlog of this workspace is brought in step first, so a
  // write is found at once; more than that is the background job's (search.pending.ts).
  for (const o of others) {
    if (o.reindex && can(auth.permissions, `${o.entity}:view`)) {
      await drainPending(deps.db, deps.dialect, auth.workspaceId, o.entity, o.reindex);
    }
  }
  const matchCounts = new Map<string, Promise<number>>();
  const [customerIds, contactIds, ...otherIds] = await Promise.all([
    searchEntity(deps, auth, 'customer', q, limit, matchCounts),
    searchEntity(deps, auth, 'contact', q, limit, matchCounts),
    ...others.map((o) => searchEntity(deps, auth, o.entity, q, limit, matchCounts)),
  ]);
  const [customerRows, contactRows] = await Promise.all([
    findCustomerHits(deps.db, deps.dialect, auth.workspaceId, customerIds),
    findContactHits(deps.db, deps.dialect, auth.workspaceId, contactIds),
  ]);
  const customers = byOrder(customerIds, customerRows).map((r) =>
    presentFields<CustomerHit>(auth.permissions, 'customer', { id: r.id, name: r.name, phone: r.phone, email: r.email, ownerName: r.ownerName }, { phone: ['phone'], email: ['email'], owner: ['ownerName'] }),
  );
  const contacts = byOrder(contactIds, contactRows).map((r) =>
    presentFields<ContactHit>(
      auth.permissions,
      'contact',
      { id: r.id, name: r.name, phone: r.phone, email: r.email, customerId: r.customerId, customerName: r.customerName },
      { phone: ['phone'], email: ['email'] },
    ),
  );
  const result: SearchResult = { customers, contacts };
  await Promise.all(
    others.map(async (o, i) => {
      const ids = otherIds[i] ?? [];
      result[o.group] = ids.length > 0 ? byOrder(ids, await o.hits(deps, auth, ids)) : ([] as OtherHit[]);
    }),
  );
  return result;
}

/**
 * More index matches than this and a list's `q` is checked row by row along the list's own
 * order (the term is common, so a page fills quickly); fewer and the list starts from the matches.
 */
export const listMatchLimit = 5_000;

/**
 * The `q` of a record list (alias of the record table given by `idColumn`) as an index-backed
 * condition, with the same field rules as global search. The matches within the caller's view
 * scope are looked up first; up to `listMatchLimit` of them the list starts from their ids, past
 * that (a common term) each row of the list's own order is checked and a page fills quickly.
 */
export async function listSearchCondition(deps: Deps, auth: Principal, entity: SearchEntity, q: string, idColumn: string): Promise<{ condition: Expression<SqlBool>; byIds: boolean }> {
  const query = parseSearchQuery(q);
  if (!query) {
    return { condition: sql<SqlBool>`1 = 1`, byIds: false };
  }
  const match = docMatch(deps.dialect, query, fieldModes(auth.permissions, entity));
  const scope = await scopeFilter(deps, auth, entity, 'view');
  const filters = [sql<SqlBool>`d.workspace_id = ${auth.workspaceId}`, sql<SqlBool>`d.entity = ${entity}`];
  // Seeing everything, a term with more index matches than the limit is common: skip collecting
  // them. PostgreSQL counts for every scope: its findMatchingDocs does not count, and would walk a
  // team's docs for a common term before the term's matches.
  const counted = scope.kind === 'all' || deps.dialect === 'postgres';
  const common = match.index === null || (counted && (await countIndexMatches(deps.db, match.index, filters, listMatchLimit + 1)) > listMatchLimit);
  const ids = common || match.index === null ? [] : await findMatchingDocs(deps.db, deps.dialect, auth.workspaceId, entity, match, { scope, userId: auth.userId, now: nowIso(deps) }, listMatchLimit + 1);
  if (common || ids.length > listMatchLimit) {
    const perRow = sql<SqlBool>`exists (select 1 from search_docs d where d.workspace_id = ${auth.workspaceId} and d.entity = ${entity}
      and d.record_id = ${sql.ref(idColumn)} and ${match.verify})`;
    return { condition: perRow, byIds: false };
  }
  return { condition: ids.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${sql.ref(idColumn)} in (${sql.join(ids)})`, byIds: true };
}
