import { finished } from 'node:stream/promises';
import type SQLite from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Bulk writers for the generator, straight into the database (the app's write path would take
 * hours for millions of rows): SQLite gets one prepared multi-row INSERT per batch inside big
 * transactions; PostgreSQL gets one COPY FROM STDIN stream per table, all running at once.
 * Secondary indexes are dropped for the load and rebuilt afterwards (a sort beats millions of
 * random B-tree inserts); their DDL is read back from the catalog, so new migrations' indexes
 * come back too.
 */
export type Cell = string | number | null;

export interface TableShape {
  name: string;
  columns: readonly string[];
}

export interface BulkWriter {
  write(table: string, row: readonly Cell[]): void;
  /** Resolves when the writer can take more rows (PostgreSQL: the COPY streams drained). */
  ready(): Promise<void> | null;
  rows(table: string): number;
  finish(): Promise<void>;
}

/** Columns of a table as the database has them, to check the generator against the schema. */
export interface ColumnInfo {
  name: string;
  notNull: boolean;
  hasDefault: boolean;
}

/**
 * The generator makes a superset of columns (the schema grows while it is in use); this keeps the
 * ones the table has and fails early on a required column the generator does not fill.
 */
export function fitColumns(table: string, made: readonly string[], actual: readonly ColumnInfo[]): { columns: string[]; keep: number[] } {
  const names = new Set(actual.map((c) => c.name));
  const missing = actual.filter((c) => c.notNull && !c.hasDefault && !made.includes(c.name));
  if (missing.length > 0) {
    throw new Error(`bench generator does not fill required column(s) ${missing.map((c) => c.name).join(', ')} of ${table}: update bench/generate.ts`);
  }
  const keep: number[] = [];
  made.forEach((name, i) => {
    if (names.has(name)) {
      keep.push(i);
    }
  });
  return { columns: keep.map((i) => made[i] as string), keep };
}

// ---------------------------------------------------------------- SQLite

const sqliteMaxVariables = 32_766;

export function sqliteColumns(db: SQLite.Database, table: string): ColumnInfo[] {
  const rows = db.prepare(`select name, "notnull" as nn, dflt_value as dflt, pk from pragma_table_info(?)`).all(table) as { name: string; nn: number; dflt: string | null; pk: number }[];
  return rows.map((r) => ({ name: r.name, notNull: r.nn === 1 || r.pk > 0, hasDefault: r.dflt !== null }));
}

export function dropSqliteIndexes(db: SQLite.Database, tables: readonly string[]): string[] {
  const rows = db
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(', ')})`)
    .all(...tables) as { name: string; sql: string }[];
  for (const r of rows) {
    db.exec(`drop index "${r.name}"`);
  }
  return rows.map((r) => r.sql);
}

interface SqliteTableState {
  shape: TableShape;
  batchRows: number;
  statement: SQLite.Statement;
  buffer: Cell[];
  pending: number;
  total: number;
}

export class SqliteBulkWriter implements BulkWriter {
  private readonly tables = new Map<string, SqliteTableState>();
  private sinceCommit = 0;

  constructor(
    private readonly db: SQLite.Database,
    shapes: readonly TableShape[],
    private readonly rowsPerTransaction = 200_000,
  ) {
    for (const shape of shapes) {
      const batchRows = Math.max(1, Math.min(500, Math.floor(sqliteMaxVariables / shape.columns.length)));
      this.tables.set(shape.name, { shape, batchRows, statement: this.insertSql(shape, batchRows), buffer: [], pending: 0, total: 0 });
    }
    this.db.exec('begin');
  }

  private insertSql(shape: TableShape, rows: number): SQLite.Statement {
    const one = `(${shape.columns.map(() => '?').join(',')})`;
    return this.db.prepare(`insert into "${shape.name}" (${shape.columns.map((c) => `"${c}"`).join(',')}) values ${Array.from({ length: rows }, () => one).join(',')}`);
  }

  write(table: string, row: readonly Cell[]): void {
    const state = this.tables.get(table);
    if (!state) {
      throw new Error(`unknown table ${table}`);
    }
    for (const cell of row) {
      state.buffer.push(cell);
    }
    state.pending += 1;
    if (state.pending === state.batchRows) {
      this.flush(state);
    }
  }

  private flush(state: SqliteTableState): void {
    if (state.pending === 0) {
      return;
    }
    const statement = state.pending === state.batchRows ? state.statement : this.insertSql(state.shape, state.pending);
    statement.run(state.buffer);
    state.total += state.pending;
    this.sinceCommit += state.pending;
    state.buffer = [];
    state.pending = 0;
    if (this.sinceCommit >= this.rowsPerTransaction) {
      this.db.exec('commit');
      this.db.exec('begin');
      this.sinceCommit = 0;
    }
  }

  ready(): null {
    return null;
  }

  rows(table: string): number {
    const state = this.tables.get(table);
    return state ? state.total + state.pending : 0;
  }

  async finish(): Promise<void> {
    for (const state of this.tables.values()) {
      this.flush(state);
    }
    this.db.exec('commit');
  }
}

// ---------------------------------------------------------------- PostgreSQL

export async function pgColumns(client: pg.Client, schema: string, table: string): Promise<ColumnInfo[]> {
  const res = await client.query<{ name: string; not_null: boolean; has_default: boolean }>(
    `select column_name as name, is_nullable = 'NO' as not_null, column_default is not null as has_default
       from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
    [schema, table],
  );
  return res.rows.map((r) => ({ name: r.name, notNull: r.not_null, hasDefault: r.has_default }));
}

/** Drops the indexes that back no constraint (primary keys stay: foreign keys hang off them). */
export async function dropPgIndexes(client: pg.Client, schema: string, tables: readonly string[]): Promise<string[]> {
  const res = await client.query<{ name: string; ddl: string }>(
    `select i.indexname as name, i.indexdef as ddl from pg_indexes i
      where i.schemaname = $1 and i.tablename = any($2)
        and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
    [schema, [...tables]],
  );
  for (const r of res.rows) {
    await client.query(`drop index ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(r.name)}`);
  }
  return res.rows.map((r) => r.ddl);
}

const copySpecial = /[\\\t\n\r]/;

function copyCell(value: Cell): string {
  if (value === null) {
    return '\\N';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return copySpecial.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
}

interface PgTableState {
  client: pg.Client;
  stream: ReturnType<typeof copyFrom>;
  chunk: string[];
  chunkChars: number;
  total: number;
  blocked: Promise<void> | null;
}

export class PgBulkWriter implements BulkWriter {
  private constructor(private readonly tables: Map<string, PgTableState>) {}

  /**
   * One connection and one COPY per table, so PostgreSQL ingests the tables in parallel while
   * Node makes the next rows. session_replication_role = replica skips the foreign-key triggers
   * for this load only (the generator makes consistent data; contacts arrive while their
   * customers' COPY is still open).
   */
  static async open(url: string, schema: string, shapes: readonly TableShape[]): Promise<PgBulkWriter> {
    const tables = new Map<string, PgTableState>();
    for (const shape of shapes) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`set session_replication_role = replica; set synchronous_commit = off`);
      const columns = shape.columns.map((c) => pg.escapeIdentifier(c)).join(', ');
      const stream = client.query(copyFrom(`copy ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(shape.name)} (${columns}) from stdin`));
      tables.set(shape.name, { client, stream, chunk: [], chunkChars: 0, total: 0, blocked: null });
    }
    return new PgBulkWriter(tables);
  }

  write(table: string, row: readonly Cell[]): void {
    const state = this.tables.get(table);
    if (!state) {
      throw new Error(`unknown table ${table}`);
    }
    let line = copyCell(row[0] ?? null);
    for (let i = 1; i < row.length; i += 1) {
      line += `\t${copyCell(row[i] ?? null)}`;
    }
    state.chunk.push(line);
    state.chunkChars += line.length;
    state.total += 1;
    if (state.chunkChars > 512 * 1024) {
      this.send(state);
    }
  }

  private send(state: PgTableState): void {
    if (state.chunk.length === 0) {
      return;
    }
    const ok = state.stream.write(`${state.chunk.join('\n')}\n`);
    state.chunk = [];
    state.chunkChars = 0;
    if (!ok && !state.blocked) {
      state.blocked = new Promise((resolve) => {
        state.stream.once('drain', () => {
          state.blocked = null;
          resolve();
        });
      });
    }
  }

  ready(): Promise<void> | null {
    const blocked = [...this.tables.values()].map((s) => s.blocked).filter((b): b is Promise<void> => b !== null);
    return blocked.length === 0 ? null : Promise.all(blocked).then(() => undefined);
  }

  rows(table: string): number {
    return this.tables.get(table)?.total ?? 0;
  }

  async finish(): Promise<void> {
    await Promise.all(
      [...this.tables.values()].map(async (state) => {
        this.send(state);
        state.stream.end();
        await finished(state.stream);
        await state.client.end();
      }),
    );
  }
}
