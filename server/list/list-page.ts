import { type Expression, type QueryExecutorProvider, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { customFieldValue, type DialectName, notIndexed, parseJson } from '../db/dialect';
import { pinnedKey, sortExpression } from './build-list';
import type { ListSpec, ParsedList } from './list-spec';
import { encodeListCursor } from './parse-list';

type Bool = Expression<SqlBool>;

/**
 * One ordered walk of a keyset page: WHERE terms to add and an ORDER BY that an index
 * `(workspace_id, <sort column>, id, …)` serves directly, so a page reads ~limit index entries
 * instead of sorting everything in scope.
 */
export interface KeysetWalk {
  where: Bool[];
  orderBy: RawBuilder<unknown>;
  /**
   * Set on SQLite when the walk sorts the scope's rows instead of following a sort index (see
   * KeysetWalkOptions): the fetch then writes its scope so each owner is an index lookup
   * (scopeConditionByOwner) — otherwise SQLite scans the whole workspace to feed the sort.
   */
  rowsOfScope?: boolean;
}

export interface KeysetWalkOptions {
  /**
   * The caller's scope is a few owners (ScopeFilter narrow) and no index leads with (owner, this
   * sort column): read the scope's rows through the owner index and sort them, instead of walking
   * the workspace's sort index — which no longer carries owner_id (migration 0018), so every entry
   * it passes costs a row read to check the owner (a rep's page by name at 100k customers: ~100 ms
   * walked, ~0.5 ms of SQL read by owner). On SQLite the sort expression gets a unary plus (notIndexed) so the planner cannot
   * pick the sort index; PostgreSQL chooses from its statistics and is left alone.
   */
  rowsOfScope?: boolean;
}

/**
 * Whether a filter pins a keyed column (`name=…`, `name[in]=…`: ListField.keyedBy). Its key index
 * finds a handful of rows; SQLite without statistics would rather walk the sort's index and test
 * every row until the page is full (a name= filter sorted by -createdAt at 1M customers: 571 ms).
 */
function pinsKey(list: Partial<Pick<ParsedList, 'filters'>>): boolean {
  return (list.filters ?? []).some((f) => pinnedKey(f) !== null);
}

/**
 * The walks of one page, in order. A sort on a NOT NULL column is one walk. A nullable sort
 * (NULLs last in both directions) is two: the non-null values in index order, then the NULLs by
 * id. The old single query ordered by `case when x is null …` first, which no index serves (a
 * full sort of every row in scope: 1.7–2.8 s at 1M rows). A cursor whose value is null is in the
 * NULL part already, so its page is the second walk only.
 */
export function keysetWalks(
  dialect: DialectName,
  spec: Pick<ListSpec, 'customColumn' | 'idColumn'>,
  list: Pick<ParsedList, 'sort' | 'cursor'> & Partial<Pick<ParsedList, 'filters'>>,
  options: KeysetWalkOptions = {},
): KeysetWalk[] {
  const { sort, cursor } = list;
  const sorted = sortExpression(dialect, spec.customColumn, sort);
  const rowsOfScope = options.rowsOfScope === true && dialect === 'sqlite';
  // Sorting what the scope or a pinned key found, not walking the sort index (SQLite's planner).
  const x = rowsOfScope || pinsKey(list) ? notIndexed(dialect, sorted) : sorted;
  const id = sql.ref(spec.idColumn);
  const desc = sort.direction === 'desc';
  const dir = sql.raw(desc ? 'desc' : 'asc');
  const cmp = sql.raw(desc ? '<' : '>');
  const bound = sql.raw(desc ? '<=' : '>=');
  const nullable = sort.target.kind === 'custom' || sort.target.field.nullable;
  const flag = rowsOfScope ? { rowsOfScope } : {};
  const valueWalk = (extra: Bool[]): KeysetWalk => ({ where: extra, orderBy: sql`${x} ${dir}, ${id} ${dir}`, ...flag });
  const nullWalk = (extra: Bool[]): KeysetWalk => ({ where: [sql<SqlBool>`${x} is null`, ...extra], orderBy: nullPartOrder(dialect, x, id, desc), ...flag });

  if (cursor && cursor.value === null) {
    return nullable ? [nullWalk([sql<SqlBool>`${id} ${cmp} ${cursor.id}`])] : [valueWalk([sql<SqlBool>`1 = 0`])];
  }
  const after: Bool[] = [];
  if (cursor) {
    const v = sort.target.kind === 'custom' ? customFieldValue(dialect, cursor.value as string | number) : sql`${cursor.value}`;
    // The leading `x <= v` (desc) / `x >= v` (asc) is implied by the rest, but it is what lets the
    // planner seek into the sort index instead of walking it from the first row.
    after.push(sql<SqlBool>`(${x} ${bound} ${v} and (${x} ${cmp} ${v} or (${x} = ${v} and ${id} ${cmp} ${cursor.id})))`);
  }
  if (!nullable) {
    return [valueWalk(after)];
  }
  return [valueWalk([sql<SqlBool>`${x} is not null`, ...after]), nullWalk([])];
}

/**
 * ORDER BY of the NULL part. Every x is NULL there, so it is "by id"; it still names x so the
 * planner sees the index order `(x, id)`: PostgreSQL's btree keeps NULLs last ascending (first
 * descending) and only matches an ORDER BY that says so; SQLite treats `x is null` as an
 * equality on the index and matches the plain form.
 */
function nullPartOrder(dialect: DialectName, x: RawBuilder<unknown>, id: RawBuilder<unknown>, desc: boolean): RawBuilder<unknown> {
  if (dialect === 'postgres') {
    return desc ? sql`${x} desc nulls first, ${id} desc` : sql`${x} asc nulls last, ${id} asc`;
  }
  return desc ? sql`${x} desc, ${id} desc` : sql`${x} asc, ${id} asc`;
}

/**
 * Up to `limit + 1` rows (the extra one says whether there is a next page) following the walks in
 * order; the second walk only runs when the first did not fill the page.
 */
export async function fetchKeysetRows<Row>(walks: readonly KeysetWalk[], limit: number, fetch: (walk: KeysetWalk, limit: number) => Promise<Row[]>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const walk of walks) {
    const want = limit + 1 - rows.length;
    if (want <= 0) {
      break;
    }
    rows.push(...(await fetch(walk, want)));
  }
  return rows;
}

/** The value a row has in the list's sort (custom values from the JSON column), for its cursor. */
export function sortValueOf(list: Pick<ParsedList, 'sort'>, row: object): string | number | null {
  const target = list.sort.target;
  let value: unknown;
  if (target.kind === 'custom') {
    const custom = parseJson((row as { custom?: unknown }).custom) as Record<string, unknown> | null;
    value = custom?.[target.field.key];
  } else {
    const key = target.field.sortBy?.rowKey ?? target.field.name;
    value = (row as Record<string, unknown>)[key];
    if (value === undefined && target.field.sortBy) {
      // A row source that does not select the sort key would page on a null cursor: no next page.
      throw new Error(`list rows must carry ${key} to page a sort by ${target.field.name}`);
    }
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') {
    return Number(value);
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

/** The cursor of the page after `rows` (fetched with limit + 1), or null on the last page. */
export function nextCursorOf(list: Pick<ParsedList, 'sort' | 'limit'>, rows: readonly { id: string }[]): string | null {
  const last = rows.length > list.limit ? rows[list.limit - 1] : undefined;
  return last ? encodeListCursor(list.sort.name, sortValueOf(list, last), last.id) : null;
}

/** Above this many matching rows a count stops and says so (countExact: false, the UI shows "10,000+"). */
export const defaultCountCap = 10_000;

export interface CountResult {
  total: number;
  exact: boolean;
}

/**
 * Counts the rows of `query` (a select of the matching rows; what it selects does not matter) up
 * to `cap`: a count never reads more than cap + 1 rows, however big the table.
 */
export async function countCapped<DB, TB extends keyof DB, O>(db: QueryExecutorProvider, query: SelectQueryBuilder<DB, TB, O>, cap = defaultCountCap): Promise<CountResult> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${query.limit(cap + 1)} as x`.execute(db);
  const n = Number(rows[0]?.n ?? 0);
  return { total: Math.min(n, cap), exact: n <= cap };
}

/** Sums capped counts of disjoint parts (say "own records" + "shared with me"), still capped. */
export async function countCappedParts(parts: readonly ((cap: number) => Promise<CountResult>)[], cap = defaultCountCap): Promise<CountResult> {
  let total = 0;
  let exact = true;
  for (const part of parts) {
    const left = cap - total;
    if (left < 0) {
      break;
    }
    const counted = await part(left);
    total += counted.total;
    exact = exact && counted.exact;
    if (!counted.exact) {
      break;
    }
  }
  return { total: Math.min(total, cap), exact: exact && total <= cap };
}

/** The answer of every list endpoint (api.md): a page, the next cursor, and the count when asked. */
export interface ListPage<T> {
  data: T[];
  nextCursor: string | null;
  total?: number;
  countExact?: boolean;
}

export interface ListPageSource<Row extends { id: string }, T> {
  list: ParsedList;
  /** The rows of one walk (see keysetWalks): the entity's scope and filters plus `walk.where`, in `walk.orderBy`, `limit` rows. */
  fetch: (walk: KeysetWalk, limit: number) => Promise<Row[]>;
  walks: readonly KeysetWalk[];
  /** Turns a page of rows into the answer's records (field rules, masking, per-page lookups). */
  present: (rows: Row[]) => Promise<T[]>;
  /** Counts every matching row (asked for with count=true); see countCapped. */
  count: () => Promise<CountResult>;
}

/**
 * One list page for any entity: walks the keyset, presents the page, makes the next cursor and,
 * when the query asked for it, the capped count. The entity supplies only its SQL and presenter.
 */
export async function listPage<Row extends { id: string }, T>(source: ListPageSource<Row, T>): Promise<ListPage<T>> {
  const { list } = source;
  const rows = await fetchKeysetRows(source.walks, list.limit, source.fetch);
  const page = rows.slice(0, list.limit);
  const result: ListPage<T> = { data: await source.present(page), nextCursor: nextCursorOf(list, rows) };
  if (list.count) {
    const counted = await source.count();
    result.total = counted.total;
    result.countExact = counted.exact;
  }
  return result;
}
