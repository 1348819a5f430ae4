import { sql } from 'kysely';
import { type DialectName, isUniqueViolation, relaxCommitDurability } from '../../db/dialect';
import type { Deps } from '../../deps';
import type { ImportAdapter } from './imports.registry';

/**
 * The import's closing "indexing" stage: search entries for the records the import created
 * (SQLite by default: see `indexTuning.deferOn`).
 *
 * Writing them inside every row batch cost about a third of SQLite's work per row (search_docs,
 * its FTS5 trigram trigger and the n-gram table, flushed at every commit). After the rows, they
 * are written in bigger transactions through the bulk path
 * (no read-back, no upsert). The stage finds its work from the data itself — live records of the
 * workspace created since the import started (UUIDv7 ids sort by time) that have no search entry —
 * so it needs no list of ids, cannot miss a row committed before a crash, and indexes nothing twice:
 *
 * - each stage batch commits its entries and the stage's cursor (the last id done, in the job's
 *   progress) together; a killed job resumes after that id (and, were the cursor lost, a walk from
 *   the start would skip every record that has an entry);
 * - a record edited or deleted by someone before the stage reaches it was indexed (or removed) by
 *   that write path; the stage skips it (it has an entry / it is not live). If a concurrent write
 *   indexes one between the stage's read and its insert (PostgreSQL), the insert hits the unique
 *   index and the batch is redone with the upserting reindex.
 *
 * Until the stage has passed them, new records are in the tables (lists, duplicate checks, record
 * pages) but not yet in global search or a list's `q` filter.
 */

/**
 * Records per stage transaction (bigger than a row batch: the bulk path has little per-row
 * overhead), and the margin for other hosts' clocks (see idFloor).
 */
export const indexTuning: {
  batchSize: number;
  clockSkewMs: number;
  deferOn: readonly DialectName[];
  alongsideOn: readonly DialectName[];
  afterBatch?: (indexed: number) => void;
} = {
  batchSize: 10_000,
  clockSkewMs: 10 * 60_000,
  /**
   * Where new records' entries are left to the stage instead of the row batches: everywhere.
   * On SQLite the stage runs after the rows; where `alongsideOn` names the database (PostgreSQL), its
   * walk runs beside the rows on a second connection (imports.index-lane.ts) and the closing stage
   * only does the rest. (Tests and benchmarks may change both, e.g. `--index in-batch`.)
   */
  deferOn: ['sqlite', 'postgres'],
  alongsideOn: ['postgres'],
};

/** Whether this adapter's new records are indexed by the stage (else by its writeBatch) on this database. */
export function defersIndex(adapter: Pick<ImportAdapter, 'deferredIndex'>, dialect: DialectName): boolean {
  return adapter.deferredIndex !== undefined && indexTuning.deferOn.includes(dialect);
}

/** Where the stage stands, kept in the job's progress (committed with each stage batch). */
export interface IndexProgress {
  stage: 'indexing';
  /** The last record id looked at. */
  after: string;
  indexed: number;
  /** Records to index (the import's created count; the bar's total). */
  toIndex: number;
}

export function isIndexProgress(value: unknown): value is IndexProgress {
  return typeof value === 'object' && value !== null && (value as { stage?: unknown }).stage === 'indexing' && typeof (value as { after?: unknown }).after === 'string';
}

/**
 * The smallest UUIDv7 of a time (ids of records created at or after it sort after it). A margin
 * for other hosts' clocks is taken off by the caller; records in the margin that already have an
 * entry are skipped by the query anyway.
 */
export function idFloor(time: number): string {
  const hex = Math.max(0, Math.floor(time)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

export interface IndexStageInput {
  deps: Deps;
  adapter: ImportAdapter;
  workspaceId: string;
  /** Where to start: the cursor of a resumed stage, else idFloor(import start − skew). */
  after: string;
  indexed: number;
  toIndex: number;
  /** Saves the stage's position in the batch's transaction (the job's progress). */
  save: (progress: IndexProgress, trx: Deps['db']) => Promise<void>;
  signal?: AbortSignal;
}

/** Runs the stage to the end; returns the number of records indexed in this run and before. */
export async function runIndexStage(input: IndexStageInput): Promise<number> {
  const { deps, adapter, workspaceId, save, signal } = input;
  if (!defersIndex(adapter, deps.dialect)) {
    return input.indexed;
  }
  let after = input.after;
  let indexed = input.indexed;
  for (;;) {
    signal?.throwIfAborted();
    const step = await indexWindow(deps, adapter, workspaceId, after, (last, count, trx) =>
      save({ stage: 'indexing', after: last, indexed: indexed + count, toIndex: Math.max(input.toIndex, indexed + count) }, trx),
    );
    if (step === null) {
      return indexed;
    }
    after = step.last;
    indexed += step.indexed;
    // An observer (tests stop the stage here as a crash would; benchmarks time it).
    indexTuning.afterBatch?.(indexed);
    // Let requests waiting on the (single, synchronous) SQLite connection in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * One stage transaction: the next window of records after `after`, their entries and (through
 * `save`, in the same transaction) the new position. Null when there was no record left to look at.
 * A window in which a concurrent edit indexed a record first is redone with the upserting reindex.
 */
export async function indexWindow(
  deps: Deps,
  adapter: ImportAdapter,
  workspaceId: string,
  after: string,
  save: (last: string, indexed: number, trx: Deps['db']) => Promise<void>,
): Promise<{ last: string; indexed: number } | null> {
  const deferred = adapter.deferredIndex;
  if (!deferred) {
    return null;
  }
  const step = (upsert: boolean) =>
    deps.db.transaction().execute(async (trx) => {
      await relaxCommitDurability(trx, deps.dialect);
      const window = await deferred.indexBatch(trx, deps.dialect, workspaceId, after, indexTuning.batchSize, { upsert });
      if (window.last === null) {
        return null;
      }
      await save(window.last, window.indexed, trx);
      return { last: window.last, indexed: window.indexed };
    });
  try {
    return await step(false);
  } catch (error) {
    if (!isUniqueViolation(error)) {
      throw error;
    }
    return step(true);
  }
}

/**
 * The next window of a table's records after an id (id order, at most `limit`, none past `upTo`
 * when given) and, of those, the
 * live ones without a search doc of `entity` — the usual DeferredIndex look-up for a table with
 * `id`, `workspace_id` and `deleted_at`. The window is a primary-key range and the doc check a
 * probe of the docs' unique index per 1 000 ids, so a stage batch costs the same at the first
 * record as at the millionth (an anti-join over the workspace's docs would grow with them).
 */
export async function unindexedRecords<R extends Record<string, unknown>>(
  db: Deps['db'],
  dialect: Deps['dialect'],
  query: { table: 'customers' | 'contacts'; entity: string; columns: readonly string[] },
  workspaceId: string,
  after: string,
  limit: number,
  upTo?: string,
): Promise<{ records: (R & { id: string })[]; last: string | null }> {
  // SQLite: `+workspace_id` keeps the planner on the primary key's range (id > after, in id order)
  // instead of a workspace index it would then have to sort — that would read the whole workspace
  // per batch. PostgreSQL picks the primary key range for `order by id limit` by itself.
  const workspace = dialect === 'sqlite' ? sql`+workspace_id` : sql`workspace_id`;
  const window = await sql<R & { id: string; deletedAt: string | null }>`
    select id, deleted_at, ${sql.join(query.columns.map((c) => sql.ref(c)))} from ${sql.table(query.table)}
    where id > ${after} ${upTo === undefined ? sql`` : sql`and id <= ${upTo}`} and ${workspace} = ${workspaceId}
    order by id limit ${limit}`.execute(db);
  const live = window.rows.filter((r) => r.deletedAt === null);
  const known = new Set<string>();
  for (let i = 0; i < live.length; i += 1000) {
    const part = live.slice(i, i + 1000).map((r) => r.id);
    const docs = await db.selectFrom('searchDocs').select('recordId').where('workspaceId', '=', workspaceId).where('entity', '=', query.entity).where('recordId', 'in', part).execute();
    docs.forEach((d) => known.add(d.recordId));
  }
  return { records: live.filter((r) => !known.has(r.id)), last: window.rows.at(-1)?.id ?? null };
}
