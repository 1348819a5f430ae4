import { CompiledQuery, type Kysely } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { PendingUpdate } from './imports.registry';

/** Under both SQLite's (32 766) and PostgreSQL's (65 535) bound-parameter limits. */
const maxParameters = 30_000;
const maxRowsPerStatement = 500;
/**
 * `insertMany` on PostgreSQL: COPY from this many rows on (fewer go through INSERT: a COPY has its
 * own round trips); 0 turns COPY off (benchmarks compare).
 */
export const copyTuning = { minRows: 50 };

const copySpecial = /[\\\t\n\r]/;

/** A value in COPY's text format: \N for null, backslash escapes for the characters that frame rows and fields. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) {
    return '\\N';
  }
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  if (!copySpecial.test(text)) {
    return text;
  }
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * Multi-row INSERTs for imports without building a query tree per batch: the SQL for n rows is
 * compiled once by Kysely (so it is right for the dialect, names snake_cased by the plugin) and
 * reused with new parameters. Every row must carry every column, in `columns` order.
 */
export class BulkInsert<T extends keyof Database> {
  private readonly sqlByCount = new Map<number, string>();
  private readonly perStatement: number;
  private copyText: string | undefined;

  constructor(
    private readonly table: T,
    private readonly columns: readonly string[],
  ) {
    this.perStatement = Math.max(1, Math.min(maxRowsPerStatement, Math.floor(maxParameters / columns.length)));
  }

  private sqlFor(db: Kysely<Database>, count: number): string {
    let text = this.sqlByCount.get(count);
    if (text === undefined) {
      const row = Object.fromEntries(this.columns.map((c) => [c, 0]));
      const compiled = (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto(this.table)
        .values(Array.from({ length: count }, () => row))
        .compile();
      if (compiled.parameters.length !== count * this.columns.length) {
        throw new Error(`unexpected parameter count compiling a bulk insert into ${this.table}`);
      }
      text = compiled.sql;
      this.sqlByCount.set(count, text);
    }
    return text;
  }

  /** `copy <table>(<columns>) from stdin`, names as Kysely spells them (the CamelCasePlugin snake_cases them). */
  private copySql(db: Kysely<Database>): string {
    if (this.copyText === undefined) {
      const insert = this.sqlFor(db, 1);
      const head = /^insert into (.+?) values /i.exec(insert)?.[1];
      if (!head) {
        throw new Error(`cannot derive a COPY statement for ${this.table}`);
      }
      this.copyText = `copy ${head} from stdin`;
    }
    return this.copyText;
  }

  /**
   * Like `insert`, but PostgreSQL gets the rows through `COPY … FROM STDIN` (text format) on the
   * transaction's own connection: no bind parameters to serialise (34 columns × 500 rows per
   * INSERT), no statement to parse and plan, one round trip per batch. Values must be strings,
   * numbers or null (no arrays: their text form differs). SQLite uses `insert`.
   */
  async insertMany(db: Kysely<Database>, dialect: DialectName, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (dialect !== 'postgres' || copyTuning.minRows <= 0 || rows.length < copyTuning.minRows) {
      await this.insert(db, rows);
      return;
    }
    const lines: string[] = new Array<string>(rows.length);
    for (let r = 0; r < rows.length; r += 1) {
      const row = rows[r] as Record<string, unknown>;
      let line = '';
      for (let c = 0; c < this.columns.length; c += 1) {
        if (c > 0) {
          line += '\t';
        }
        line += copyField(row[this.columns[c] as string]);
      }
      lines[r] = line;
    }
    const stream = copyFrom(this.copySql(db));
    const finished = new Promise<void>((resolve, reject) => {
      stream.once('finish', () => resolve());
      stream.once('error', reject);
    });
    // Kysely hands a query's text to the connection's pg client as is; pg runs a "submittable"
    // (the COPY stream) in its place. So the COPY runs on the transaction's connection, in order
    // with its other statements, without reaching into Kysely's driver.
    await db.executeQuery(CompiledQuery.raw(stream as unknown as string, []));
    stream.end(`${lines.join('\n')}\n`);
    await finished;
  }

  async insert(db: Kysely<Database>, rows: readonly Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < rows.length; start += this.perStatement) {
      const part = rows.slice(start, start + this.perStatement);
      const parameters: unknown[] = new Array<unknown>(part.length * this.columns.length);
      let i = 0;
      for (const row of part) {
        for (const column of this.columns) {
          const value = row[column];
          parameters[i] = value === undefined ? null : value;
          i += 1;
        }
      }
      await db.executeQuery(CompiledQuery.raw(this.sqlFor(db, part.length), parameters));
    }
  }
}

/**
 * The usual update of existing records for `writeBatch`: the row's columns, the merged custom
 * values, updated_at and version + 1 — one statement per record, inside the batch's transaction.
 */
export async function updateRecords(trx: Kysely<Database>, table: 'customers' | 'contacts' | (string & {}), workspaceId: string, updates: readonly PendingUpdate<unknown>[], now: string): Promise<void> {
  const db = trx as unknown as Kysely<Record<string, { id: string; workspaceId: string; version: number; custom: string; updatedAt: string }>>;
  for (const u of updates) {
    await db
      .updateTable(table)
      .set((eb) => ({ ...u.patch, custom: JSON.stringify(u.custom), updatedAt: now, version: eb('version', '+', 1) }))
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', u.id)
      .execute();
  }
}
