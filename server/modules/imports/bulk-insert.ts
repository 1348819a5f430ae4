import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../db/types';
import type { PendingUpdate } from './imports.registry';

/** Under both SQLite's (32 766) and PostgreSQL's (65 535) bound-parameter limits. */
const maxParameters = 30_000;
const maxRowsPerStatement = 500;

/**
 * Multi-row INSERTs for imports without building a query tree per batch: the SQL for n rows is
 * compiled once by Kysely (so it is right for the dialect, names snake_cased by the plugin) and
 * reused with new parameters. Every row must carry every column, in `columns` order.
 */
export class BulkInsert<T extends keyof Database> {
  private readonly sqlByCount = new Map<number, string>();
  private readonly perStatement: number;

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
