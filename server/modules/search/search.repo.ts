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
 * A narrow data scope (at most this many own docs) may be searched by reading its own docs
 * through the owner index instead of walking the term's matches across the workspace — whichever
 * is fewer: a rep with 5,000 customers looking for 张 reads their 5,000, not the workspace's 70,000 张;
 * looking for a rare name they walk its few matches.
 */
export const ownScanLimit = 20_000;

async function ownedCount(db: Kysely<Database>, workspaceId: string, entity: SearchEntity, ownerIds: readonly string[]): Promise<number> {
  if (ownerIds.length === 0) {
    return 0;
  }
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('searchDocs as d')
        .select(sql`1`.as('one'))
        .where('d.workspaceId', '=', workspaceId)
        .where('d.entity', '=', entity)
        .where('d.ownerId', 'in', ownerIds)
        .limit(ownScanLimit + 1)
        .as('x'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
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
 * Record ids of one entity matching the query within the caller's visibility, newest first.
 * Wide scopes walk the index's matches in doc order and stop at `limit`; narrow scopes read
 * their own docs (see ownScanLimit) — both are bounded at 1M records.
 */
export async function findMatchingDocs(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  entity: SearchEntity,
  match: DocMatch,
  visibility: DocVisibility,
  limit: number,
): Promise<string[]> {
  if (match.index === null) {
    return [];
  }
  const base = () => db.selectFrom('searchDocs as d').select(['d.id', 'd.recordId']).where('d.workspaceId', '=', workspaceId).where('d.entity', '=', entity).where(match.verify);
  if (visibility.scope.kind === 'owners') {
    const scope = visibility.scope;
    // Both plans are bounded by what they read: the owners' docs, or the term's matches. Read the
    // smaller (collaborations are few per user and do not count).
    const owned = await ownedCount(db, workspaceId, entity, scope.ownerIds);
    const filters = [sql<SqlBool>`d.workspace_id = ${workspaceId}`, sql<SqlBool>`d.entity = ${entity}`];
    if (owned <= ownScanLimit && (await countIndexMatches(db, match.index, filters, owned + 1)) > owned) {
      // `+d.id`: read the owners' docs through the owner index and sort what matched, rather than
      // walk the whole workspace in id order hoping to meet the owners' docs early.
      const owned = scope.ownerIds.length > 0 ? await base().where('d.ownerId', 'in', scope.ownerIds).orderBy(sql`+d.id`, 'desc').limit(limit).execute() : [];
      const shared = visibility.userId
        ? await base()
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
      return newestFirst([...owned, ...shared], limit);
    }
  }
  const rows = await newestIndexedDocs(db, match.index, { workspaceId, entity }, [match.verify, docVisible(workspaceId, visibility)], limit);
  return rows.map((r) => r.recordId);
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
