import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';

/**
 * SQL fragments the set-based recycling statements need and that differ between SQLite and
 * PostgreSQL (kept here, dialect.ts-style, so pools.recycle.ts never branches on the dialect).
 */

/**
 * A new UUIDv7-shaped id computed by the database for each row of an INSERT … SELECT: the 48-bit
 * time prefix of `atMs` (so ids still sort by creation, as server/db/ids.ts makes them), version 7,
 * and random bits for the rest.
 */
export function sqlNewId(dialect: DialectName, atMs: number): RawBuilder<string> {
  const hex = atMs.toString(16).padStart(12, '0');
  const prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7`;
  if (dialect === 'postgres') {
    // gen_random_uuid() is 'xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx'; keep what follows the version digit.
    return sql<string>`${prefix} || substr(gen_random_uuid()::text, 16)`;
  }
  return sql<string>`${prefix} || substr(lower(hex(randomblob(2))), 2) || '-8' || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))`;
}

/**
 * `column IN (ids)` with the whole list as ONE bound parameter (a text[] on PostgreSQL, a JSON
 * array read by json_each on SQLite). A batch of thousands of ids as separate parameters made
 * every statement a new text to parse and plan (PostgreSQL) and capped the batch at SQLite's
 * 32,766 variables; one parameter keeps the statement text fixed whatever the batch size.
 */
export function sqlIdIn(dialect: DialectName, column: string, ids: readonly string[]): Expression<SqlBool> {
  if (dialect === 'postgres') {
    return sql<SqlBool>`${sql.ref(column)} = any(${[...ids]}::text[])`;
  }
  return sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`;
}

/**
 * Per-transaction settings for a recycling batch on PostgreSQL: no JIT (the pick's cost estimate
 * crosses jit_above_cost and compiling it took ~0.25 s per batch, more than running it), and no
 * wait for the WAL flush at commit — a crash can lose the last batches, which the retried job
 * simply recycles again (every statement is conditional on the customer still being owned).
 */
export async function sweepTransactionSettings(trx: Kysely<Database>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`select set_config('jit', 'off', true), set_config('synchronous_commit', 'off', true)`.execute(trx);
  }
}

/** A JSON object built from key → SQL value pairs, as the dialect's JSON column type (text / jsonb). */
export function sqlJsonObject(dialect: DialectName, fields: Record<string, RawBuilder<unknown> | string | null>): RawBuilder<string> {
  // Bound parameters have no type of their own inside jsonb_build_object: PostgreSQL needs ::text.
  const cast = dialect === 'postgres' ? sql`::text` : sql``;
  const parts = Object.entries(fields).map(([key, value]) => sql`${sql.lit(key)}, ${value === null ? sql`null${cast}` : typeof value === 'string' ? sql`${value}${cast}` : value}`);
  return dialect === 'postgres' ? sql<string>`jsonb_build_object(${sql.join(parts)})` : sql<string>`json_object(${sql.join(parts)})`;
}

/**
 * Runs the recycling sweep with a bigger SQLite page cache: its UPDATE moves each customer's
 * entries in a dozen owner-keyed indexes, and with SQLite's default 2 MB cache nearly every one of
 * those is a page read from the OS (measured: ~40 % of the sweep's time in system calls). The
 * previous size is restored afterwards. PostgreSQL has shared_buffers and needs nothing.
 */
export async function withSweepCache<T>(db: Kysely<Database>, dialect: DialectName, mebibytes: number, run: () => Promise<T>): Promise<T> {
  if (dialect !== 'sqlite') {
    return run();
  }
  const before = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size ?? -2000;
  const mmapBefore = (await sql<{ mmap_size: number }>`pragma mmap_size`.execute(db)).rows[0]?.mmap_size ?? 0;
  await sql.raw(`pragma cache_size = ${-Math.max(2, Math.floor(mebibytes)) * 1024}`).execute(db);
  // Reads through a memory map instead of read() calls: measured 86 → 71 s CPU at 1M customers.
  await sql.raw(`pragma mmap_size = ${4 * 1024 ** 3}`).execute(db);
  try {
    return await run();
  } finally {
    await sql.raw(`pragma cache_size = ${Math.trunc(before)}`).execute(db);
    await sql.raw(`pragma mmap_size = ${Math.trunc(mmapBefore)}`).execute(db);
  }
}

/** Above this many customers the split reads a sample of the table's pages instead of every id. */
const exactSplitLimit = 100_000;
/** Rows the sample aims at (and the fewest of the workspace it must find to be trusted). */
const sampleTarget = 50_000;
const sampleMinimum = 1_000;

/**
 * Boundaries that cut a workspace's owned customers (optionally only those whose home pool is
 * `poolId`) into `parts` id ranges of about the same size, for sweeping them concurrently:
 * `percentile_disc` over their ids, ascending, distinct; [] on SQLite (one writer: ranges would
 * only queue) or when there is nothing to split. Any boundaries are correct — the ranges cover
 * every id whatever they are — so an estimate is enough: when the table has more than 100k rows
 * (pg_class.reltuples, free) it reads a page sample (`tablesample system`, ~50k rows): measured
 * 21 ms at 1M customers against 0.7 s for every id, and falls back to every id of the workspace
 * when the sample holds too few of them (a small workspace in a big table).
 */
export async function idSplits(db: Kysely<Database>, dialect: DialectName, workspaceId: string, poolId: string | undefined, parts: number): Promise<string[]> {
  if (dialect !== 'postgres' || parts < 2) {
    return [];
  }
  const fractions = Array.from({ length: parts - 1 }, (_, i) => (i + 1) / parts);
  const estimate = Number((await sql<{ n: number | null }>`select reltuples::float8 as n from pg_class where oid = to_regclass('customers')`.execute(db)).rows[0]?.n ?? -1);
  const splitsFrom = async (sample: RawBuilder<unknown>) => {
    const row = (
      await sql<{ b: string[] | null; n: string }>`select percentile_disc(${fractions}::float8[]) within group (order by c.id) as b, count(*) as n
        from customers c ${sample}
        where c.workspace_id = ${workspaceId} and c.owner_id is not null and c.deleted_at is null ${poolId === undefined ? sql`` : sql`and c.pool_id = ${poolId}`}`.execute(db)
    ).rows[0];
    return { bounds: row?.b ?? [], rows: Number(row?.n ?? 0) };
  };
  let found: { bounds: string[]; rows: number } | null = null;
  if (estimate > exactSplitLimit) {
    const percent = Math.min(100, (100 * sampleTarget) / estimate);
    found = await splitsFrom(sql`tablesample system (${percent}::real)`);
    if (found.rows < sampleMinimum) {
      found = null;
    }
  }
  found ??= await splitsFrom(sql``);
  // Already in the database's own id order (the order `id > after` compares in): keep it.
  return [...new Set(found.bounds.filter((b): b is string => typeof b === 'string'))];
}
