import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { countIndexMatches, type DialectName, newestIndexedDocs, type SearchIndex, type SearchTerm, searchContains, searchGramMatch, searchIndexMatch, workspaceFilter } from '../../db/dialect';
import type { Database } from '../../db/types';
import { customerHasOwner } from '../customers/customers.owned';
import type { ScopeFilter } from '../permissions/scope';
import { gramToken, isGram, type SearchQuery } from './search.text';

import type { FieldModes } from '../../list/list-spec';

export type { FieldMode, FieldModes } from '../../list/list-spec';

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
  /** 1–2 characters: the n-gram index matches a large share of all docs (张 in every entity). */
  broad?: boolean;
}

/** The conditions that find `query` in the fields this caller may search. */
export function docMatch(dialect: DialectName, query: SearchQuery, modes: FieldModes): DocMatch {
  const contains = (column: string, needle: string) => searchContains(dialect, `d.${column}`, needle);
  if (query.short) {
    // 1–2 characters: names (and a contact's company) through the n-gram index.
    const verify = sql<SqlBool>`(${contains('name', query.text)} or ${contains('company', query.text)})`;
    return { index: isGram(query.text) ? searchGramMatch(dialect, query.text, gramToken(query.text)) : null, verify, broad: true };
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

/** Entities whose entries carry their customer's owner (docs/search.md, "Owners of entries"). */
const customerOwned: ReadonlySet<SearchEntity> = new Set(['customer', 'contact']);

/**
 * The entry's customer still has an owner. The recycling sweep takes customers back into a pool
 * without rewriting their entries (rewriting them was nearly half of the sweep's database time on
 * PostgreSQL: every entry gets new GIN entries), so a customer or contact entry of a customer in a
 * pool may still name its former owner. While the customer has an owner its entries' owners are
 * exact — every path that gives a customer an owner rewrites its entries and its contacts' — so
 * "has an owner" is the whole check (a contact may have another owner than its customer after a
 * transfer without contacts; equality with the customer's owner would hide it). One primary-key
 * probe per candidate that matched the text; other entities keep exact owners and need none.
 */
export function ownerCurrent(workspaceId: string, entity: SearchEntity): Expression<SqlBool> {
  return customerOwned.has(entity)
    ? customerHasOwner('d.customer_id', sql`${workspaceId}`)
    : sql<SqlBool>`1 = 1`;
}

export function docVisible(workspaceId: string, entity: SearchEntity, v: DocVisibility): Expression<SqlBool> {
  if (v.scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  if (v.scope.ownerIds.length === 0) {
    return sharedWith(workspaceId, v);
  }
  return sql<SqlBool>`((d.owner_id in (${sql.join(v.scope.ownerIds)}) and ${ownerCurrent(workspaceId, entity)}) or ${sharedWith(workspaceId, v)})`;
}

/**
 * Plan thresholds (docs/search.md, "Plans"). A term with fewer index matches than `rareTerm` is
 * answered by walking its matches (bounded by the count); a commoner one by walking the caller's
 * docs of the entity newest first and testing each — a common term fills the page within a few
 * hundred docs — over at most `probeWindow` docs (everyone's) or `ownScanLimit` (a narrow scope
 * or a team).
 */
export const rareTerm = 5_000;
export const probeWindow = 20_000;
/** PostgreSQL probes without knowing the term's frequency first: a smaller window, then the GIN walk. */
export const pgProbeWindow = 5_000;
/**
 * PostgreSQL, a 1–2 character term that the first probe found but fewer than `limit` times (张 among
 * customers, mostly companies: ~0.2 %): the probe goes on to this many docs before the GIN walk,
 * which for such a term reads every doc of every entity holding the character (~36 000 at 1M).
 */
export const pgBroadProbeWindow = 20_000;
/** A narrow data scope: at most this many own docs of the entity are read, never the workspace's. */
export const ownScanLimit = 20_000;

/** A scope of at most this many owners (a sales manager's team) is walked owner by owner. */
export const perOwnerWalkMax = 50;

/**
 * PostgreSQL, a team: the per-owner walk reads at most this many docs in all. A common term fills
 * the page within it; one that does not goes to its matches among the team's docs (GIN bitmap AND
 * the owner index), without first reading 20 000 docs it will not find.
 */
export const pgTeamFirstSlice = 2_000;

/**
 * Doc counts only choose a plan (every plan answers correctly), so they are cached for a minute:
 * counting 20 000 index entries costs milliseconds a search should not pay every time.
 */
const countTtlMs = 60_000;
const counts = new Map<string, { n: number; at: number }>();

async function cappedCount(db: Kysely<Database>, workspaceId: string, entity: SearchEntity, ownerIds: readonly string[] | null, cap: number): Promise<number> {
  if (ownerIds !== null && ownerIds.length === 0) {
    return 0;
  }
  const key = `${workspaceId}|${entity}|${cap}|${ownerIds === null ? '*' : [...ownerIds].sort().join(',')}`;
  const cached = counts.get(key);
  if (cached && Date.now() - cached.at < countTtlMs) {
    return cached.n;
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
  if (counts.size >= 10_000) {
    counts.clear();
  }
  counts.set(key, { n: Number(row.n), at: Date.now() });
  return Number(row.n);
}

/**
 * The newest docs of the entity (of these owners, or everyone's) among the `window` newest (null:
 * all of them) that pass `filters`, at most `limit`. The inner walk follows
 * (workspace_id, entity[, owner_id], id) backwards and the outer LIMIT stops it as soon as the page is full.
 */
async function walkNewest(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  entity: SearchEntity,
  ownerIds: readonly string[] | null,
  filters: readonly Expression<SqlBool>[],
  window: number | null,
  limit: number,
): Promise<{ id: number; recordId: string }[]> {
  if (ownerIds !== null && ownerIds.length === 0) {
    return [];
  }
  const byEntityRange = ownerIds === null && dialect === 'postgres';
  const outer = db
    .selectFrom((eb) => {
      let q = eb
        .selectFrom('searchDocs')
        .select(['id', 'entity', 'recordId', 'customerId', 'ownerId', 'name', 'company', 'phone', 'email'])
        .where('workspaceId', '=', workspaceId);
      if (ownerIds !== null) {
        q = q.where('entity', '=', entity).where('ownerId', 'in', ownerIds).orderBy('id', 'desc');
      } else if (byEntityRange) {
        // PostgreSQL: `entity = x` would make the order by id alone, which the primary key also
        // gives — and the planner, assuming the entities are spread evenly over the ids, walks the
        // primary key backwards past every newer doc of other entities (100 000 rows skipped for
        // 5 000 read after a contacts import). As a range the entity stays part of the order,
        // which only (workspace_id, entity, id) provides.
        q = q.where('entity', '>=', entity).where('entity', '<=', entity).orderBy('entity', 'desc').orderBy('id', 'desc');
      } else {
        q = q.where('entity', '=', entity).orderBy('id', 'desc');
      }
      return (window === null ? q : q.limit(window)).as('d');
    })
    .select(['d.id', 'd.recordId'])
    .where((eb) => eb.and([...filters]));
  // The outer order repeats the inner one, so the walk stops at `limit` without a sort.
  return (byEntityRange ? outer.orderBy('d.entity', 'desc') : outer).orderBy('d.id', 'desc').limit(limit).execute();
}

/**
 * A team's newest matches: each owner's docs walked newest first through
 * (workspace_id, entity, owner_id, id), at most `perOwner` each, in one statement (UNION ALL of
 * one bounded walk per owner); the newest `limit` of them. An IN list over the owners cannot walk
 * that index in id order — it would read and sort every doc of the team.
 */
async function walkOwners(db: Kysely<Database>, workspaceId: string, entity: SearchEntity, ownerIds: readonly string[], verify: Expression<SqlBool>, perOwner: number, limit: number): Promise<{ id: number; recordId: string }[]> {
  const walks = ownerIds.map(
    (ownerId, i) => sql`select * from (select d.id, d.record_id from (select id, record_id, customer_id, owner_id, name, company, phone, email from search_docs
      where workspace_id = ${workspaceId} and entity = ${entity} and owner_id = ${ownerId} order by id desc limit ${perOwner}) d
      where ${verify} order by d.id desc limit ${limit}) ${sql.id(`o${i}`)}`,
  );
  const rows = await sql<{ id: number; recordId: string }>`select id, record_id from (${sql.join(walks, sql` union all `)}) u order by id desc limit ${limit}`.execute(db);
  return rows.rows;
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

/** Docs of the entity shared with the caller through live collaborations on their customer. */
async function sharedDocs(db: Kysely<Database>, workspaceId: string, entity: SearchEntity, verify: Expression<SqlBool>, visibility: DocVisibility, limit: number) {
  if (!visibility.userId) {
    return [];
  }
  return db
    .selectFrom('searchDocs as d')
    .select(['d.id', 'd.recordId'])
    .where('d.workspaceId', '=', workspaceId)
    .where('d.entity', '=', entity)
    .where(verify)
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
    .execute();
}

/**
 * Record ids of one entity matching the query within the caller's visibility, newest first,
 * bounded at millions of docs (docs/search.md, "Plans"):
 *
 * - a small entity (≤ `probeWindow` docs: deals, leads… in a customer-heavy workspace): walk all
 *   its docs newest first and test each — no term walk over other entities' matches;
 * - a narrow scope (≤ `ownScanLimit` own docs, e.g. a rep) and a term at least as common as their
 *   docs: walk their own docs newest first, plus the few shared with them through collaborations;
 * - a rare term (fewer than `rareTerm` index matches, counted with that cap): walk its matches;
 * - a team (≤ `perOwnerWalkMax` owners, e.g. a manager) and a common term: walk each owner's
 *   newest docs (bounded), plus shared ones; too few hits there → the term's matches;
 * - a common term, everyone's docs: walk the entity's newest `probeWindow` docs and test each
 *   (张 fills a page within a few hundred); too few hits there → the term's matches.
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
  const visible = [match.verify, docVisible(workspaceId, entity, visibility)];
  const window = dialect === 'postgres' ? pgProbeWindow : probeWindow;
  if ((await cappedCount(db, workspaceId, entity, null, window + 1)) <= window) {
    return (await walkNewest(db, dialect, workspaceId, entity, null, visible, null, limit)).map((r) => r.recordId);
  }
  const filters = [sql<SqlBool>`d.workspace_id = ${workspaceId}`, sql<SqlBool>`d.entity = ${entity}`];
  const termWalk = async () => {
    if (dialect === 'postgres') {
      // The term's matches through the GIN index, sorted (`id + 0`: not a walk of the id order).
      // newestIndexedDocs would first probe the newest docs again — done here already (plans 0, 4, 5).
      const rows = await sql<{ recordId: string }>`select d.id, d.record_id from search_docs d where ${index.condition}
        and d.workspace_id = ${workspaceId} and d.entity = ${entity} and ${sql.join(visible, sql` and `)} order by d.id + 0 desc limit ${limit}`.execute(db);
      return rows.rows.map((r) => r.recordId);
    }
    return (await newestIndexedDocs(db, index, { workspaceId, entity }, visible, limit)).map((r) => r.recordId);
  };
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
  const common = matches >= rareTerm;
  if (visibility.scope.kind === 'owners') {
    const ownerIds = visibility.scope.ownerIds;
    const owned = await cappedCount(db, workspaceId, entity, ownerIds, ownScanLimit + 1);
    if (owned <= ownScanLimit && (common || matches > owned)) {
      const mine = await walkNewest(db, dialect, workspaceId, entity, ownerIds, [match.verify, ownerCurrent(workspaceId, entity)], null, limit);
      return newestFirst([...mine, ...(await sharedDocs(db, workspaceId, entity, match.verify, visibility, limit))], limit);
    }
    if (common && ownerIds.length > 0 && ownerIds.length <= perOwnerWalkMax) {
      const teamVerify = sql<SqlBool>`${match.verify} and ${ownerCurrent(workspaceId, entity)}`;
      const withShared = async (team: { id: number; recordId: string }[]) =>
        newestFirst([...team, ...(await sharedDocs(db, workspaceId, entity, match.verify, visibility, limit))], limit);
      const walkTeam = async (docs: number) =>
        walkOwners(db, workspaceId, entity, ownerIds, teamVerify, Math.max(limit, Math.ceil(docs / ownerIds.length)), limit);
      if (dialect === 'postgres') {
        // PostgreSQL has not counted the term (see countMatches). A short walk finds a common one;
        // otherwise the term's matches among the team's docs, where the GIN bitmap is ANDed with
        // the owner index's, so only docs that both match and are the team's are read — not every
        // match in the workspace (a phone fragment, 上海 in contacts) nor 20 000 docs of the team.
        const first = limit < pgTeamFirstSlice ? await walkTeam(pgTeamFirstSlice) : [];
        if (first.length >= limit) {
          return withShared(first);
        }
        const team = await sql<{ id: number; recordId: string }>`select d.id, d.record_id from search_docs d where ${index.condition}
          and d.workspace_id = ${workspaceId} and d.entity = ${entity} and d.owner_id in (${sql.join(ownerIds)}) and ${teamVerify}
          order by d.id + 0 desc limit ${limit}`.execute(db);
        return withShared(team.rows);
      }
      const team = await walkTeam(ownScanLimit);
      return team.length >= limit ? withShared(team) : termWalk();
    }
  }
  if (!common) {
    return termWalk();
  }
  const probed = await walkNewest(db, dialect, workspaceId, entity, null, visible, window, limit);
  if (probed.length >= limit) {
    return probed.map((r) => r.recordId);
  }
  if (dialect === 'postgres' && match.broad && probed.length > 0) {
    const wider = await walkNewest(db, dialect, workspaceId, entity, null, visible, pgBroadProbeWindow, limit);
    if (wider.length >= limit) {
      return wider.map((r) => r.recordId);
    }
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
