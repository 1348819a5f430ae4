import { type Expression, type Kysely, PostgresAdapter, type QueryExecutorProvider, type RawBuilder, type SqlBool, sql, SqliteAdapter } from 'kysely';

/**
 * Everything that differs between SQLite and PostgreSQL lives in this file, behind small
 * functions, so features never branch on the dialect themselves.
 */
export type DialectName = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<unknown> | Kysely<never>): DialectName {
  const adapter = (db as Kysely<unknown>).getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) {
    return 'postgres';
  }
  if (adapter instanceof SqliteAdapter) {
    return 'sqlite';
  }
  throw new Error('Unsupported database adapter');
}

/** Column types for migrations. */
export function columnTypes(dialect: DialectName) {
  return {
    timestamp: dialect === 'postgres' ? sql`timestamptz` : sql`text`,
    json: dialect === 'postgres' ? sql`jsonb` : sql`text`,
  } as const;
}

/** JSON columns come back as text from SQLite and as values from PostgreSQL. */
export function parseJson(value: unknown): unknown {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  return value ?? null;
}

/**
 * Holds off other writers of a table until the transaction ends, so a "check, then insert" cannot
 * race another instance doing the same. SQLite needs nothing: the app's one connection already
 * runs transactions one at a time.
 */
export async function lockTableForWrites(trx: QueryExecutorProvider, dialect: DialectName, table: string): Promise<void> {
  if (dialect === 'postgres') {
    await sql`LOCK TABLE ${sql.table(table)} IN EXCLUSIVE MODE`.execute(trx);
  }
}

/** Case-insensitive substring match; the pattern's wildcards are escaped. */
export function containsInsensitive(dialect: DialectName, column: string, needle: string): RawBuilder<boolean> {
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (dialect === 'postgres') {
    return sql<boolean>`${sql.ref(column)} ILIKE ${pattern} ESCAPE '\\'`;
  }
  return sql<boolean>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;
}

interface DriverError {
  code?: unknown;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as DriverError).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Classified by SQLSTATE / SQLite extended code, never by message text. */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Serialization / lock conflicts a caller may retry. */
export function isRetryableConflict(error: unknown): boolean {
  const code = codeOf(error);
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}

/**
 * A custom field's value inside a record's JSON `custom` column, as an expression that both
 * filters and sorts correctly and matches the expression index created for the field
 * (see customFieldIndexSql): json_extract keeps SQLite's native types; PostgreSQL compares
 * jsonb values (numbers numerically, strings as text).
 */
export function customFieldRef(dialect: DialectName, column: string, key: string): RawBuilder<unknown> {
  assertFieldKey(key);
  if (dialect === 'postgres') {
    return sql`(${sql.ref(column)} -> ${sql.lit(key)})`;
  }
  return sql`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`;
}

/** A value to compare with customFieldRef. */
export function customFieldValue(dialect: DialectName, value: string | number | boolean): RawBuilder<unknown> {
  if (dialect === 'postgres') {
    return sql`cast(${JSON.stringify(value)} as jsonb)`;
  }
  return sql`${typeof value === 'boolean' ? (value ? 1 : 0) : value}`;
}

/** Text of a custom field for substring search. */
export function customFieldText(dialect: DialectName, column: string, key: string): RawBuilder<string> {
  assertFieldKey(key);
  if (dialect === 'postgres') {
    return sql<string>`(${sql.ref(column)} ->> ${sql.lit(key)})`;
  }
  return sql<string>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`;
}

/** Whether a multi-select custom field holds a value. */
export function customFieldHas(dialect: DialectName, column: string, key: string, value: string): RawBuilder<boolean> {
  assertFieldKey(key);
  if (dialect === 'postgres') {
    return sql<boolean>`(${sql.ref(column)} -> ${sql.lit(key)}) @> cast(${JSON.stringify([value])} as jsonb)`;
  }
  return sql<boolean>`exists (select 1 from json_each(${sql.ref(column)}, ${sql.lit(`$.${key}`)}) where value = ${value})`;
}

/** DDL of the expression index that keeps filters and sorts on one custom field fast. */
export function customFieldIndexSql(dialect: DialectName, table: string, key: string): RawBuilder<unknown> {
  assertFieldKey(key);
  const name = sql.id(`cf_${table}_${key}`);
  const expr = dialect === 'postgres' ? sql`(custom -> ${sql.lit(key)})` : sql`json_extract(custom, ${sql.lit(`$.${key}`)})`;
  return sql`create index if not exists ${name} on ${sql.table(table)} (workspace_id, ${expr}, id)`;
}

function assertFieldKey(key: string): void {
  // Keys are spliced into SQL as literals: only this shape is ever allowed (also enforced on create).
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(key)) {
    throw new Error(`invalid custom field key: ${key}`);
  }
}

/**
 * Row locking for job queues: PostgreSQL skips rows another worker has locked, so several
 * runners each claim a different job; SQLite has one writer at a time and needs nothing.
 */
export function forUpdateSkipLocked(dialect: DialectName): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`for update skip locked` : sql``;
}

// ── Search index (server/modules/search) ────────────────────────────────────────────────────────
// search_docs (alias d) holds folded text; SQLite indexes it with FTS5 (trigram + an n-gram
// table), PostgreSQL with pg_trgm and a GIN text[] of n-grams. See migrations/0005-search.ts.

/** One needle and the search_docs columns it is looked for in. */
export interface SearchTerm {
  columns: readonly ('name' | 'company' | 'phone' | 'email')[];
  /** Folded text of at least 3 characters. */
  needle: string;
}

/**
 * Index-backed candidates of a search: docs (alias d) the index offers. May over-match, never
 * under-match; pair it with searchContains for the exact answer. On SQLite it also names the FTS5
 * table and MATCH expression, so matches can be walked newest first (see newestIndexedDocs).
 */
export interface SearchIndex {
  condition: RawBuilder<boolean>;
  fts: { table: 'search_fts' | 'search_grams'; match: string } | null;
}

/** Docs where some term's needle (3+ characters) occurs in one of its columns: FTS5 trigram / pg_trgm. */
export function searchIndexMatch(dialect: DialectName, terms: readonly SearchTerm[]): SearchIndex {
  const used = terms.filter((t) => t.columns.length > 0);
  if (used.length === 0) {
    return { condition: sql<boolean>`1 = 0`, fts: null };
  }
  if (dialect === 'postgres') {
    const arms = used.flatMap((t) => {
      const pattern = `%${t.needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return t.columns.map((column) => sql`${sql.ref(`d.${column}`)} like ${pattern}`);
    });
    return { condition: sql<boolean>`(${sql.join(arms, sql` or `)})`, fts: null };
  }
  const match = used.map((t) => `{${t.columns.join(' ')}} : "${t.needle.replace(/"/g, '""')}"`).join(' OR ');
  return { condition: sql<boolean>`d.id in (select rowid from search_fts where search_fts match ${match})`, fts: { table: 'search_fts', match } };
}

/** Docs whose names (or company) hold this 1–2 character n-gram: FTS5 table of tokens / GIN text[]. */
export function searchGramMatch(dialect: DialectName, gram: string, token: string): SearchIndex {
  if (dialect === 'postgres') {
    return { condition: sql<boolean>`d.grams @> array[${gram}]::text[]`, fts: null };
  }
  const match = `"${token}"`;
  return { condition: sql<boolean>`d.id in (select rowid from search_grams where search_grams match ${match})`, fts: { table: 'search_grams', match } };
}

/** PostgreSQL first looks for matches among this many newest docs of the entity (a common term is met there). */
export const searchProbeDocs = 2_000;

/**
 * Docs of one entity the index offers that pass `filters` (on alias d), newest first, at most
 * `limit`. SQLite walks the FTS5 matches in descending rowid order and stops at the limit instead
 * of collecting every match first (张 has tens of thousands). PostgreSQL looks among the newest
 * docs first (a common term fills the page there), and otherwise collects the matches through the
 * GIN index and sorts them: left to itself its planner walks the id order for rare terms too,
 * reading the whole table.
 */
export async function newestIndexedDocs(
  db: QueryExecutorProvider,
  index: SearchIndex,
  where: { workspaceId: string; entity: string },
  filters: readonly RawBuilder<unknown>[] | readonly Expression<SqlBool>[],
  limit: number,
): Promise<{ id: number; recordId: string }[]> {
  const all = sql.join([sql`d.workspace_id = ${where.workspaceId}`, sql`d.entity = ${where.entity}`, ...filters], sql` and `);
  const fts = index.fts ? sql.table(index.fts.table) : null;
  if (fts) {
    const query = sql<{ id: number; recordId: string }>`select d.id, d.record_id from ${fts} join search_docs d on d.id = ${fts}.rowid
      where ${fts} match ${index.fts?.match} and ${all} order by ${fts}.rowid desc limit ${limit}`;
    return (await query.execute(db)).rows;
  }
  const probe = await sql<{ id: number; recordId: string }>`select d.id, d.record_id from (select * from search_docs
      where workspace_id = ${where.workspaceId} and entity = ${where.entity} order by id desc limit ${searchProbeDocs}) d
    where ${index.condition} and ${all} order by d.id desc limit ${limit}`.execute(db);
  if (probe.rows.length >= limit) {
    return probe.rows;
  }
  // `d.id + 0`: sort what the GIN index collects rather than walk the id order.
  const rows = await sql<{ id: number; recordId: string }>`select d.id, d.record_id from search_docs d
    where ${index.condition} and ${all} order by d.id + 0 desc limit ${limit}`.execute(db);
  return rows.rows;
}

/** Exact substring test on a folded column (the answer; the index only narrows the rows). */
export function searchContains(dialect: DialectName, column: string, needle: string): RawBuilder<boolean> {
  if (dialect === 'postgres') {
    return sql<boolean>`strpos(${sql.ref(column)}, ${needle}) > 0`;
  }
  return sql<boolean>`instr(${sql.ref(column)}, ${needle}) > 0`;
}

/** PostgreSQL keeps a doc's n-grams in its own row (written with it); SQLite in search_grams (see storeSearchGrams). */
export function searchGramsColumn(dialect: DialectName, grams: readonly string[]): { grams?: string[] } {
  return dialect === 'postgres' ? { grams: [...grams] } : {};
}

/** The n-gram column's part of a search doc upsert's update (PostgreSQL; SQLite has no such column). */
export function searchGramsOnConflict(dialect: DialectName): { grams?: RawBuilder<string[]> } {
  return dialect === 'postgres' ? { grams: sql<string[]>`excluded.grams` } : {};
}

/** SQLite: stores the n-grams of search docs by doc id in the search_grams table (PostgreSQL: nothing to do). */
export async function storeSearchGrams(db: QueryExecutorProvider, dialect: DialectName, rows: readonly { id: number; tokens: readonly string[] }[]): Promise<void> {
  if (rows.length === 0 || dialect === 'postgres') {
    return;
  }
  const ids = rows.map((r) => r.id);
  await sql`delete from search_grams where rowid in (${sql.join(ids)})`.execute(db);
  const values = rows.filter((r) => r.tokens.length > 0).map((r) => sql`(${r.id}, ${r.tokens.join(' ')})`);
  if (values.length > 0) {
    await sql`insert into search_grams(rowid, grams) values ${sql.join(values)}`.execute(db);
  }
}

/**
 * The workspace condition of a lookup by primary key (`id in (…)`). Without planner statistics
 * SQLite prefers any (workspace_id, …) index over the key and reads the whole workspace; the unary
 * plus keeps the term a filter there. PostgreSQL plans from statistics and needs no hint.
 */
export function workspaceFilter(dialect: DialectName, column: string, workspaceId: string): RawBuilder<boolean> {
  if (dialect === 'postgres') {
    return sql<boolean>`${sql.ref(column)} = ${workspaceId}`;
  }
  return sql<boolean>`+${sql.ref(column)} = ${workspaceId}`;
}

/**
 * A column (or expression) the planner must read as a value, never through an index on it:
 * SQLite's unary plus, a no-op on the value (it keeps the column's collation) that only stops the
 * term from choosing an index. For a WHERE term or an ORDER BY whose index would be the wrong
 * way in; PostgreSQL plans from statistics and gets the plain column.
 */
export function notIndexed(dialect: DialectName, column: string | Expression<unknown>): RawBuilder<unknown> {
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return dialect === 'sqlite' ? sql`+${ref}` : sql`${ref}`;
}

/**
 * Refreshes the planner statistics of tables that just grew a lot (a big import). Without them
 * SQLite guesses that `workspace_id = ?` is selective and may scan a whole workspace instead of
 * probing a primary key; SQLite samples (analysis_limit) so this takes milliseconds.
 */
export async function analyzeTables(db: QueryExecutorProvider, dialect: DialectName, tables: readonly string[]): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`pragma analysis_limit = 1000`.execute(db);
  }
  for (const table of tables) {
    await sql`analyze ${sql.table(table)}`.execute(db);
  }
}

/**
 * How many docs the index offers, counted up to `cap`: a cheap estimate for choosing a plan.
 * SQLite counts the FTS5 matches alone (any workspace: an over-count is fine for an estimate).
 */
export async function countIndexMatches(db: QueryExecutorProvider, index: SearchIndex, filters: readonly RawBuilder<unknown>[] | readonly Expression<SqlBool>[], cap: number): Promise<number> {
  const fts = index.fts ? sql.table(index.fts.table) : null;
  const inner = fts
    ? sql`select rowid from ${fts} where ${fts} match ${index.fts?.match} limit ${cap}`
    : sql`select 1 from search_docs d where ${index.condition} and ${sql.join([...filters], sql` and `)} limit ${cap}`;
  const result = await sql<{ n: number | string }>`select count(*) as n from (${inner}) x`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Session settings for a long run of bulk-write transactions (an import), restored afterwards.
 * SQLite: a bigger page cache on the (single) connection — each new customer is a B-tree insert
 * in a dozen indexes and the search tables, several of them keyed by random-ordered text (names,
 * emails, trigrams); with the default 2 MB cache nearly every such insert is a page read from
 * the OS once the tables outgrow it. PostgreSQL has shared_buffers and needs nothing here.
 */
export async function withBulkWriteCache<T>(db: QueryExecutorProvider, dialect: DialectName, mebibytes: number, run: () => Promise<T>): Promise<T> {
  if (dialect !== 'sqlite') {
    return run();
  }
  const before = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size ?? -2000;
  // Never shrink a cache someone made bigger (say, a recycling sweep running alongside).
  const wanted = -Math.max(2, Math.floor(mebibytes)) * 1024;
  const bigger = before < 0 ? wanted < before : -wanted > before * 4;
  if (bigger) {
    await sql.raw(`pragma cache_size = ${wanted}`).execute(db);
  }
  try {
    return await run();
  } finally {
    if (bigger) {
      await sql.raw(`pragma cache_size = ${Math.trunc(before)}`).execute(db);
    }
  }
}

/**
 * Inside a bulk-write transaction whose effects are also recorded by its own resume cursor
 * (import batches): PostgreSQL does not wait for the WAL flush at commit. A server crash can then
 * lose the last few commits — each one whole, cursor and rows together, so the job resumes at the
 * first lost row; a killed app process loses nothing it saw committed. SQLite: nothing to do
 * (WAL with synchronous = NORMAL already commits without fsync).
 */
export async function relaxCommitDurability(trx: QueryExecutorProvider, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`set local synchronous_commit = off`.execute(trx);
  }
}
