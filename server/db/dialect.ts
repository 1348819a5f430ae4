import { type Kysely, PostgresAdapter, type QueryExecutorProvider, type RawBuilder, sql, SqliteAdapter } from 'kysely';

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
