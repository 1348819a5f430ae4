import {
  CamelCasePlugin,
  type Compilable,
  CompiledQuery as Compiled,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  type KyselyPlugin,
  type QueryResult,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type UnknownRow,
} from 'kysely';
import type { DialectName } from './dialect';
import { closePools, databaseFile, longReadTuning, nextJobId, poolFor, workerError } from './read-worker.pool';
import type { WorkerReply } from './read-worker.protocol';
import type { Database } from './types';

/**
 * Long reads (exports, big counts, reports) off the main thread.
 *
 * better-sqlite3 is synchronous: a 2-second count on the app's connection stalls every other
 * request for 2 seconds. Here the SQL is compiled on the main thread (Kysely, with the app's
 * plugins) and run in a worker thread that holds its own read-only connection to the same WAL
 * database file; rows come back in batches. On PostgreSQL the query runs on another pooled
 * connection (the driver is asynchronous already); a stream there is a server-side cursor.
 *
 *   // any repo function that takes `db` runs its reads on the worker, unchanged:
 *   const counted = await countCustomers(longRead(deps).db, deps.dialect, …);
 *   // or a query of your own:
 *   const rows = await longRead(deps).all(db.selectFrom('customers').select('id').where(…));
 *   for await (const batch of longRead(deps).stream(query, { batchSize: 5000 })) { … }
 *
 * Readers see committed data only (a WAL snapshot per statement, or per stream). Writes through
 * `db` fail on SQLite (the worker's connection is read-only).
 */
export { longReadTuning } from './read-worker.pool';

export interface LongRead {
  /**
   * A Kysely instance like `deps.db` whose queries run as long reads: hand it to repo functions.
   * (PostgreSQL: `deps.db` itself — every query there already runs on a pooled connection.)
   */
  db: Kysely<Database>;
  /** Every row of the query. */
  all<R>(query: Compilable<R> | CompiledQuery<R>): Promise<R[]>;
  /** The first row, e.g. of a count. */
  first<R>(query: Compilable<R> | CompiledQuery<R>): Promise<R | undefined>;
  /**
   * The rows in batches of `batchSize` (default 2 000), from one statement (one snapshot).
   * Back-pressure: at most two batches are read ahead of the consumer. Breaking out of the loop
   * (or `signal`) ends the query. For results too big to hold; a keyset-paged read (exports)
   * uses `db` or `all` per page instead, so no statement stays open for minutes.
   */
  stream<R>(query: Compilable<R> | CompiledQuery<R>, options?: LongReadStreamOptions): AsyncGenerator<R[], void, undefined>;
}

export interface LongReadStreamOptions {
  batchSize?: number;
  signal?: AbortSignal;
}

interface LongReadDeps {
  db: Kysely<Database>;
  dialect: DialectName;
}

/** Workers per database file (the second starts only while the first is busy; 0: none), and idle time before one stops. */

function compile<R>(query: Compilable<R> | CompiledQuery<R>): CompiledQuery<R> {
  return 'compile' in query ? query.compile() : query;
}

const instances = new WeakMap<Kysely<Database>, LongRead>();

export function longRead(deps: LongReadDeps): LongRead {
  let instance = instances.get(deps.db);
  if (!instance) {
    const db = deps.db as unknown as Kysely<unknown>;
    // maxWorkers 0 (benchmarks' baseline): SQLite reads stay on the main connection, as before workers.
    const workers = deps.dialect === 'sqlite' && longReadTuning.maxWorkers > 0;
    const source = workers ? sqliteSource(db) : deps.dialect === 'sqlite' ? mainThreadSource(db) : postgresSource(db);
    instance = {
      db: workers ? routedKysely(db, source) : deps.db,
      all: async <R>(query: Compilable<R> | CompiledQuery<R>) => source.all<R>(compile(query)),
      first: async <R>(query: Compilable<R> | CompiledQuery<R>) => (await source.all<R>(compile(query)))[0],
      stream: <R>(query: Compilable<R> | CompiledQuery<R>, options: LongReadStreamOptions = {}) => source.stream<R>(compile(query), Math.max(1, Math.floor(options.batchSize ?? 2000)), options.signal),
    };
    instances.set(deps.db, instance);
  }
  return instance;
}

interface Source {
  all<R>(query: CompiledQuery<R>): Promise<R[]>;
  stream<R>(query: CompiledQuery<R>, batchSize: number, signal: AbortSignal | undefined): AsyncGenerator<R[], void, undefined>;
}

// ── A Kysely whose queries run on the workers ────────────────────────────────────────────────────

/**
 * The app's dialect, plugins and compiler with a driver that sends each compiled query to the
 * source. The source already returns rows keyed the way the app's CamelCasePlugin keys them
 * (renamed once per result shape, not per row), so here the plugin only rewrites the query.
 */
function routedKysely(db: Kysely<unknown>, source: Source): Kysely<Database> {
  const executor = db.getExecutor();
  const connection: DatabaseConnection = {
    executeQuery: async <O>(query: CompiledQuery): Promise<QueryResult<O>> => ({ rows: await source.all<O>(query) }),
    streamQuery: async function* <O>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<O>> {
      for await (const rows of source.stream<O>(query, chunkSize ?? 2000, undefined)) {
        yield { rows };
      }
    },
  };
  const refuse = async () => {
    throw new Error('long reads run single queries, not transactions');
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: refuse,
    commitTransaction: refuse,
    rollbackTransaction: refuse,
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  const dialect: Dialect = {
    createAdapter: () => executor.adapter,
    createDriver: () => driver,
    createIntrospector: (k) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  const plugins = executor.plugins.map((p): KyselyPlugin => (p instanceof CamelCasePlugin ? { transformQuery: (args) => p.transformQuery(args), transformResult: async (args) => args.result } : p));
  return new Kysely<Database>({ dialect, plugins });
}

// ── Result rows: the app's plugins (CamelCasePlugin) rename result columns ─────────────────────

/**
 * Turns rows of arrays into objects keyed as the app's CamelCasePlugin would key them. The plugin
 * sees one row of column names once per result; every row is then built with the renamed keys
 * directly (the plugin's own per-row renaming costs more than the read on a big export).
 * Other plugins are applied by Kysely as usual (see routedKysely).
 */
async function rowBuilder(db: Kysely<unknown>, query: CompiledQuery, columns: readonly string[]): Promise<(values: readonly unknown[]) => Record<string, unknown>> {
  let sample: Record<string, unknown> = Object.fromEntries(columns.map((c, i) => [c, i]));
  for (const plugin of db.getExecutor().plugins.filter((p) => p instanceof CamelCasePlugin)) {
    const result = await plugin.transformResult({ queryId: query.queryId, result: { rows: [sample] } });
    sample = (result.rows[0] ?? sample);
  }
  const keys = Object.keys(sample);
  const positions = keys.map((k) => Number(sample[k]));
  return (values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i += 1) {
      row[keys[i] as string] = values[positions[i] as number];
    }
    return row;
  };
}

function sqliteSource(db: Kysely<unknown>): Source {
  const onMainThread = mainThreadSource(db);
  return {
    all: async <R>(query: CompiledQuery<R>) => {
      const file = await databaseFile(db);
      if (file === '') {
        return onMainThread.all(query);
      }
      const pool = poolFor(file);
      const worker = await pool.acquire();
      const id = nextJobId();
      const reply = await new Promise<WorkerReply>((resolve) => {
        worker.start(id, { onReply: resolve }, { type: 'all', id, sql: query.sql, parameters: query.parameters });
      });
      pool.release(worker, id);
      if (reply.type === 'error') {
        throw workerError(reply);
      }
      const build = await rowBuilder(db, query, reply.columns);
      return reply.rows.map(build) as R[];
    },
    stream: async function* <R>(query: CompiledQuery<R>, batchSize: number, signal: AbortSignal | undefined) {
      const file = await databaseFile(db);
      if (file === '') {
        yield* onMainThread.stream(query, batchSize, signal);
        return;
      }
      signal?.throwIfAborted();
      const pool = poolFor(file);
      const worker = await pool.acquire();
      const id = nextJobId();
      // Batches the worker has sent and the consumer has not taken yet; `asked` while one is on its way.
      const ready: WorkerReply[] = [];
      let asked = true;
      let finished = false;
      let cancelled = false;
      let wake: (() => void) | null = null;
      const onReply = (reply: WorkerReply) => {
        asked = false;
        ready.push(reply);
        if (reply.type === 'error' || reply.done) {
          finished = true;
          pool.release(worker, id);
        } else if (!cancelled && ready.length < longReadTuning.readAhead) {
          asked = true;
          worker.send({ type: 'more', id });
        }
        wake?.();
      };
      const onAbort = () => wake?.();
      signal?.addEventListener('abort', onAbort);
      worker.start(id, { onReply }, { type: 'stream', id, sql: query.sql, parameters: query.parameters, batchSize });
      let build: ((values: readonly unknown[]) => Record<string, unknown>) | null = null;
      try {
        for (;;) {
          while (ready.length === 0 && !signal?.aborted) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = null;
          }
          signal?.throwIfAborted();
          const reply = ready.shift() as WorkerReply;
          if (reply.type === 'error') {
            throw workerError(reply);
          }
          if (!finished && !asked && ready.length < longReadTuning.readAhead) {
            asked = true;
            worker.send({ type: 'more', id });
          }
          if (reply.rows.length > 0) {
            build ??= await rowBuilder(db, query, reply.columns);
            yield reply.rows.map(build) as R[];
          }
          if (reply.done) {
            return;
          }
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
        if (!finished) {
          // The consumer stopped early: end the statement; the worker answers with a done batch.
          cancelled = true;
          worker.send({ type: 'cancel', id });
        }
      }
    },
  };
}

// ── PostgreSQL: another pooled connection; streams through a server-side cursor ─────────────────

/** Rows through the app's plugins, as Kysely's own executor would hand them back. */
async function transformRows<R>(db: Kysely<unknown>, query: CompiledQuery, rows: unknown[]): Promise<R[]> {
  let result: QueryResult<unknown> = { rows };
  for (const plugin of db.getExecutor().plugins) {
    result = await plugin.transformResult({ queryId: query.queryId, result: result as QueryResult<UnknownRow> });
  }
  return result.rows as R[];
}

/** One connection of the pool, held until `release` (Kysely lends connections to a callback only). */
function holdConnection(db: Kysely<unknown>): Promise<{ connection: DatabaseConnection; release: () => void }> {
  return new Promise((resolve, reject) => {
    db.getExecutor()
      .provideConnection((connection) => new Promise<void>((release) => resolve({ connection, release })))
      .catch(reject);
  });
}

function postgresSource(db: Kysely<unknown>): Source {
  return {
    all: async <R>(query: CompiledQuery<R>) => (await db.executeQuery(query)).rows,
    stream: async function* <R>(query: CompiledQuery<R>, batchSize: number, signal: AbortSignal | undefined) {
      signal?.throwIfAborted();
      const { connection, release } = await holdConnection(db);
      const run = (text: string, parameters: readonly unknown[] = []) => connection.executeQuery(Compiled.raw(text, [...parameters]));
      let open = false;
      try {
        // One snapshot for the whole stream, like SQLite's single statement.
        await run('begin transaction isolation level repeatable read, read only');
        open = true;
        await run(`declare haoke_long_read no scroll cursor for ${query.sql}`, query.parameters);
        for (;;) {
          signal?.throwIfAborted();
          const result = await run(`fetch forward ${batchSize} from haoke_long_read`);
          if (result.rows.length > 0) {
            yield await transformRows<R>(db, query, result.rows);
          }
          if (result.rows.length < batchSize) {
            break;
          }
        }
        await run('commit');
        open = false;
      } finally {
        if (open) {
          await run('rollback').catch(() => undefined);
        }
        release();
      }
    },
  };
}

/** SQLite in memory: no file a worker could open, so the read runs here, handed out in batches. */
function mainThreadSource(db: Kysely<unknown>): Source {
  return {
    all: async <R>(query: CompiledQuery<R>) => (await db.executeQuery(query)).rows,
    stream: async function* <R>(query: CompiledQuery<R>, batchSize: number, signal: AbortSignal | undefined) {
      const rows = (await db.executeQuery(query)).rows;
      for (let i = 0; i < rows.length; i += batchSize) {
        signal?.throwIfAborted();
        yield rows.slice(i, i + batchSize);
      }
    },
  };
}

/** Stops every long-read worker (tests; a server shutting down). Idle workers also stop by themselves. */
export async function closeLongReads(): Promise<void> {
  await closePools();
}
