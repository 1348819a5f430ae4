import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { countIndexMatches, type DialectName, newestIndexedDocs, type SearchIndex, type SearchTerm, searchContains, searchGramMatch, searchIndexMatch, workspaceFilter } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { ScopeFilter } from '../permissions/scope';
import { gramToken, isGram, type SearchQuery } from './search.text';

/**
 * How a caller may search a field: `substring` when they see it, `exact` when it is masked (a
 * whole phone number or email finds the record, a fragment does not — fragments of a masked
 * value would let anyone read it digit by digit), `none` when it is hidden.
 */
export type FieldMode = 'substring' | 'exact' | 'none';

export interface FieldModes {
  phone: FieldMode;
  email: FieldMode;
}

/** customer, contact, or an entity registered with registerSearchEntity (its docs written with indexDocs). */
export type SearchEntity = string;

/** Who may see a doc: owners in scope, plus live collaborators of its customer (contacts too). */
export interface DocVisibility {
  scope: ScopeFilter;
  userId: string | null;
  now: string;
}

export interface DocMatch {
  /** Index-backed candidates (null: none possible, e.g. a 1-character punctuation query). */
  index: SearchIndex | null;
  /** The exact answer on the folded columns of search_docs (alias d). */
  verify: Expression<SqlBool>;
}

/** The conditions that find `query` in the fields this caller may search. */
export function docMatch(dialect: DialectName, query: SearchQuery, modes: FieldModes): DocMatch {
  const contains = (column: string, needle: string) => searchContains(dialect, `d.${column}`, needle);
  if (query.short) {
    // 1–2 characters: names (and a contact's company) through the n-gram index.
    const verify = sql<SqlBool>`(${contains('name', query.text)} or ${contains('company', query.text)})`;
    return { index: isGram(query.text) ? searchGramMatch(dialect, query.text, gramToken(query.text)) : null, verify };
  }
  const textColumns: SearchTerm['columns'][number][] = ['name', 'company'];
  const arms: Expression<SqlBool>[] = [contains('name', query.text), contains('company', query.text)];
  if (modes.email !== 'none') {
    textColumns.push('email');
    arms.push(modes.email === 'substring' ? contains('email', query.text) : sql<SqlBool>`d.email = ${query.text}`);
  }
  const terms: SearchTerm[] = [{ columns: textColumns, needle: query.text }];
  if (query.digits !== null && modes.phone !== 'none') {
    terms.push({ columns: ['phone'], needle: query.digits });
    arms.push(modes.phone === 'substring' ? contains('phone', query.digits) : sql<SqlBool>`d.phone = ${query.digits}`);
  }
  return { index: searchIndexMatch(dialect, terms), verify: sql<SqlBool>`(${sql.join(arms, sql` or `)})` };
}

function sharedWith(workspaceId: string, v: DocVisibility): Expression<SqlBool> {
  return v.userId
    ? sql<SqlBool>`exists (select 1 from customer_collaborators cc where cc.workspace_id = ${workspaceId}
        and cc.customer_id = d.customer_id and cc.user_id = ${v.userId} and (cc.expires_at is null or cc.expires_at > ${v.now}))`
    : sql<SqlBool>`1 = 0`;
}

export function docVisible(workspaceId: string, v: DocVisibility): Expression<SqlBool> {
  if (v.scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  if (v.scope.ownerIds.length === 0) {
    return sharedWith(workspaceId, v);
  }
  return sql<SqlBool>`(d.owner_id in (${sql.join(v.scope.ownerIds)}) or ${sharedWith(workspaceId, v)})`;
}

/**
 * Plan thresholds (docs/search.md, "Plans"). A term with fewer index matches than `rareTerm` is
 * answered by walking its matches (bounded by the count); a commoner one by walking the caller's
 * docs of the entity newest first and testing each — a common term fills the page within a few
 * hundred docs — over at most `probeWindow` docs (everyone's) or `ownScanLimit` (a narrow scope).
 */
export const rareTerm = 5_000;
export const probeWindow = 20_000;
/** PostgreSQL probes without knowing the term's frequency first: a smaller window, then the GIN walk. */
export const pgProbeWindow = 5_000;
/** A narrow data scope: at most this many own docs of the entity are read, never the workspace's. */
export const ownScanLimit = 20_000;

async function cappedCount(db: Kysely<Database>, workspaceId: string, entity: SearchEntity, ownerIds: readonly string[] | null, cap: number): Promise<number> {
  if (ownerIds !== null && ownerIds.length === 0) {
    return 0;
  }
  const row = await db
    .selectFrom((eb) => {
      let q = eb.selectFrom('searchDocs as d').select(sql`1`.as('one')).where('d.workspaceId', '=', workspaceId).where('d.entity', '=', entity);
      if (ownerIds !== null) {
        q = q.where('d.ownerId', 'in', ownerIds);
      }
      return q.limit(cap).as('x');
    })
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The newest docs of the entity (of these owners, or everyone's) among the `window` newest that
 * pass `filters`, at most `limit`. The inner walk follows (workspace_id, entity[, owner_id], id)
 * backwards and the outer LIMIT stops it as soon as the page is full.
 */
async function walkNewest(
  db: Kysely<Database>,
  workspaceId: string,
  entity: SearchEntity,
  ownerIds: readonly string[] | null,
  filters: readonly Expression<SqlBool>[],
  window: number,
  limit: number,
): Promise<{ id: number; recordId: string }[]> {
  if (ownerIds !== null && ownerIds.length === 0) {
    return [];
  }
  return db
    .selectFrom((eb) => {
      let q = eb
        .selectFrom('searchDocs')
        .select(['id', 'recordId', 'customerId', 'ownerId', 'name', 'company', 'phone', 'email'])
        .where('workspaceId', '=', workspaceId)
        .where('entity', '=', entity);
      if (ownerIds !== null) {
        q = q.where('ownerId', 'in', ownerIds);
      }
      return q.orderBy('id', 'desc').limit(window).as('d');
    })
    .select(['d.id', 'd.recordId'])
    .where((eb) => eb.and([...filters]))
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
}

function newestFirst(rows: { id: number; recordId: string }[], limit: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of [...rows].sort((a, b) => Number(b.id) - Number(a.id))) {
    if (!seen.has(r.recordId)) {
      seen.add(r.recordId);
      out.push(r.recordId);
    }
  }
  return out.slice(0, limit);
}

/**
 * Record ids of one entity matching the query within the caller's visibility, newest first,
 * bounded at millions of docs (docs/search.md, "Plans"):
 *
 * - a rare term (fewer than `rareTerm` index matches, counted with that cap): walk its matches;
 * - a common term, everyone's docs: walk the entity's newest docs and test each (张 fills a page
 *   within a few hundred); only if the newest `probeWindow` hold too few (the term is common in
 *   other entities, rare in this one) walk the term's matches after all;
 * - a narrow scope (≤ `ownScanLimit` own docs, e.g. a rep): walk their own docs newest first
 *   through the (workspace_id, entity, owner_id, id) index, plus the few shared with them through
 *   collaborations — never the workspace's matches filtered by owner afterwards.
 */
export async function findMatchingDocs(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  entity: SearchEntity,
  match: DocMatch,
  visibility: DocVisibility,
  limit: number,
  /** Shared by the groups of one search: SQLite counts a term's FTS5 matches across entities, once. */
  matchCounts?: Map<string, Promise<number>>,
): Promise<string[]> {
  if (match.index === null) {
    return [];
  }
  const index = match.index;
  const filters = [sql<SqlBool>`d.workspace_id = ${workspaceId}`, sql<SqlBool>`d.entity = ${entity}`];
  const termWalk = async () => (await newestIndexedDocs(db, index, { workspaceId, entity }, [match.verify, docVisible(workspaceId, visibility)], limit)).map((r) => r.recordId);
  // SQLite counts FTS5 rowids (cheap, once per request). PostgreSQL would count through a GIN
  // bitmap and heap rows per entity — dearer than the walks below — so it walks first instead.
  const countMatches = async () => {
    if (dialect === 'postgres') {
      return Number.POSITIVE_INFINITY;
    }
    const countKey = index.fts && matchCounts ? `${index.fts.table}:${index.fts.match}` : null;
    let counting = countKey === null ? undefined : matchCounts?.get(countKey);
    if (counting === undefined) {
      counting = countIndexMatches(db, index, filters, rareTerm);
      if (countKey !== null) {
        matchCounts?.set(countKey, counting);
      }
    }
    return counting;
  };
  const matches = await countMatches();
  if (visibility.scope.kind === 'owners') {
    const scope = visibility.scope;
    const owned = await cappedCount(db, workspaceId, entity, scope.ownerIds, ownScanLimit + 1);
    if (owned <= ownScanLimit && matches > owned) {
      const mine = await walkNewest(db, workspaceId, entity, scope.ownerIds, [match.verify], ownScanLimit, limit);
      const shared = visibility.userId
        ? await db
            .selectFrom('searchDocs as d')
            .select(['d.id', 'd.recordId'])
            .where('d.workspaceId', '=', workspaceId)
            .where('d.entity', '=', entity)
            .where(match.verify)
            .where(
              'd.customerId',
              'in',
              db
                .selectFrom('customerCollaborators as cc')
                .select('cc.customerId')
                .where('cc.workspaceId', '=', workspaceId)
                .where('cc.userId', '=', visibility.userId)
                .where((eb) => eb.or([eb('cc.expiresAt', 'is', null), eb('cc.expiresAt', '>', visibility.now)])),
            )
            .orderBy(sql`+d.id`, 'desc')
            .limit(limit)
            .execute()
        : [];
      return newestFirst([...mine, ...shared], limit);
    }
  }
  if (matches < rareTerm) {
    return termWalk();
  }
  const window = dialect === 'postgres' ? pgProbeWindow : probeWindow;
  const probed = await walkNewest(db, workspaceId, entity, null, [match.verify, docVisible(workspaceId, visibility)], window, limit);
  if (probed.length >= limit || (await cappedCount(db, workspaceId, entity, null, window + 1)) <= window) {
    return probed.map((r) => r.recordId);
  }
  return termWalk();
}

/** Customers for the search answer, with their owner's name. */
export async function findCustomerHits(db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[]) {
  if (ids.length === 0) {
    return [];
  }
  return db
    .selectFrom('customers as c')
    .leftJoin('users as o', 'o.id', 'c.ownerId')
    .select(['c.id', 'c.name', 'c.phone', 'c.email', 'c.ownerId', 'o.name as ownerName'])
    .where(workspaceFilter(dialect, 'c.workspaceId', workspaceId))
    .where('c.id', 'in', ids)
    .where('c.deletedAt', 'is', null)
    .execute();
}

/** Contacts for the search answer, with their customer's name. */
export async function findContactHits(db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[]) {
  if (ids.length === 0) {
    return [];
  }
  return db
    .selectFrom('contacts as ct')
    .innerJoin('customers as c', 'c.id', 'ct.customerId')
    .select(['ct.id', 'ct.name', 'ct.phone', 'ct.email', 'ct.customerId', 'c.name as customerName'])
    .where(workspaceFilter(dialect, 'ct.workspaceId', workspaceId))
    .where('ct.id', 'in', ids)
    .where('ct.deletedAt', 'is', null)
    .where('c.deletedAt', 'is', null)
    .execute();
}
