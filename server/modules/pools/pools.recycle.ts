import { type Kysely, sql } from 'kysely';
import { forUpdateSkipLocked } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { adoptOrphans, ensureDefaultPool, listPoolRows, type PoolRow } from './pools.repo';
import { anyBranch, matchedRule, recyclableBase, ruleBranches } from './pools.rules';
import { idSplits, sqlIdIn, sqlJsonObject, sqlNewId, sweepTransactionSettings, withSweepCache } from './pools.sql';

export interface RecycleResult {
  recycled: number;
  byRule: Record<string, number>;
}

export interface RecycleOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** SQLite page cache during the sweep (MiB). */
  cacheMiB?: number;
  /**
   * PostgreSQL: id ranges of a pool swept at once, each on its own connection (default 2, one per
   * core here). SQLite always sweeps one range: it has one writer, so a second would only queue.
   */
  parallelism?: number;
}

/**
 * 自动回收: the daily job for one workspace. Each pool with recycling on walks its owned customers
 * in id order, in batches; each batch is one transaction of a few set-based statements:
 *
 * 1. pick the next `batchSize` matching customers after the last id (PostgreSQL: FOR UPDATE SKIP
 *    LOCKED, so a second runner skips them and works on other rows; SQLite runs one write
 *    transaction at a time), with the rule each one matched;
 * 2. per matched rule, INSERT … SELECT the history rows and the timeline entries from those
 *    customers (ids and JSON made by the database, no row passes through JS);
 * 3. one UPDATE takes them all back (their contacts and search entries are not rewritten: see
 *    recycleBatch).
 *
 * The picked rows stay locked (or the database single-writer) until the commit, so the rows the
 * history describes are exactly the rows the UPDATE changes — checked, and the batch rolls back if
 * not. Two runners at once therefore recycle each customer once.
 *
 * PostgreSQL: a pool's customers are cut into `parallelism` id ranges (idSplits) swept at once,
 * each batch still its own transaction. The ranges do not overlap; even if they did, the locks and
 * the "still owned" conditions would keep each customer to one history row.
 */
export async function recycleWorkspace(deps: Deps, workspaceId: string, options: RecycleOptions = {}): Promise<RecycleResult> {
  const now = deps.now();
  const at = now.toISOString();
  const defaultPool = await ensureDefaultPool(deps.db, workspaceId, at);
  await adoptOrphans(deps.db, workspaceId, defaultPool.id);
  const pools = (await listPoolRows(deps.db, workspaceId)).filter((p) => p.recycleEnabled === 1 && ruleBranches(p).length > 0);
  const result: RecycleResult = { recycled: 0, byRule: {} };
  if (pools.length === 0) {
    return result;
  }
  await withSweepCache(deps.db, deps.dialect, options.cacheMiB ?? 512, () => sweepPools(deps, workspaceId, pools, now, options, result));
  return result;
}

async function sweepPools(deps: Deps, workspaceId: string, pools: readonly PoolRow[], now: Date, options: RecycleOptions, result: RecycleResult): Promise<void> {
  const parts = deps.dialect === 'postgres' ? Math.max(1, Math.floor(options.parallelism ?? 2)) : 1;
  for (const pool of pools) {
    options.signal?.throwIfAborted();
    // The default pool also holds owned customers with no pool yet: split over all of them.
    const bounds = await idSplits(deps.db, deps.dialect, workspaceId, pool.isDefault === 1 ? undefined : pool.id, parts);
    const ranges = [null, ...bounds].map((lower, i) => ({ lower, upper: bounds[i] ?? null }));
    // A range that fails stops the others after their current batch; the error is passed on once
    // every range has ended, so no batch is left running behind the caller.
    const stop = new AbortController();
    const onAbort = () => stop.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const settled = await Promise.allSettled(
        ranges.map((range) =>
          sweepRange(deps, workspaceId, pool, now, range, { ...options, signal: stop.signal }, result).catch((error: unknown) => {
            stop.abort(error);
            throw error;
          }),
        ),
      );
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) {
        throw failed.reason;
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Ids from `lower` (inclusive; null: the first) up to `upper` (exclusive; null: the last). */
interface IdRange {
  lower: string | null;
  upper: string | null;
}

async function sweepRange(deps: Deps, workspaceId: string, pool: PoolRow, now: Date, range: IdRange, options: RecycleOptions, result: RecycleResult): Promise<void> {
  let after = '';
  let size = options.batchSize ?? defaultBatchSize[deps.dialect];
  // SQLite: the batch holds the only write lock; its size follows how long batches take (below).
  const adaptive = options.batchSize === undefined && deps.dialect === 'sqlite';
  for (;;) {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const batch = await deps.db.transaction().execute((trx) => recycleBatch(trx, deps, workspaceId, pool, now, after, range, size));
    if (batch.last === null) {
      break;
    }
    if (adaptive) {
      size = nextBatchSize(size, performance.now() - started);
    }
    after = batch.last;
    for (const [rule, count] of Object.entries(batch.byRule)) {
      result.recycled += count;
      result.byRule[rule] = (result.byRule[rule] ?? 0) + count;
    }
  }
}

/**
 * Customers per batch transaction. SQLite: each commit writes every page the batch dirtied to the
 * WAL (and the checkpoint writes it again), and a batch's customers are spread over a dozen indexes,
 * so fewer, larger batches write far less (the single writer still lets others in between batches).
 * PostgreSQL: row locks, not pages, are held; smaller batches keep two runners' work interleaved.
 */
const defaultBatchSize = { sqlite: 10_000, postgres: 5_000 } as const;

/**
 * SQLite: the next batch's size from how long the last one held the write lock — aiming at 2 s,
 * well inside the 5 s busy timeout other writers wait (server/db/connect.ts), changing at most 2×
 * per batch, between 2,000 and 25,000 customers. On a quiet machine batches grow to ~20,000
 * (measured at 1M: 60.9 s with a fixed 10,000, 53.8 s with a fixed 20,000); under load they shrink.
 */
export function nextBatchSize(size: number, elapsedMs: number): number {
  const factor = Math.min(2, Math.max(0.5, batchTargetMs / Math.max(1, elapsedMs)));
  return Math.min(25_000, Math.max(2_000, Math.round(size * factor)));
}

const batchTargetMs = 2_000;

async function recycleBatch(
  trx: Kysely<Database>,
  deps: Deps,
  workspaceId: string,
  pool: PoolRow,
  now: Date,
  after: string,
  range: IdRange,
  size: number,
): Promise<{ last: string | null; byRule: Record<string, number> }> {
  const branches = ruleBranches(pool);
  const at = now.toISOString();
  await sweepTransactionSettings(trx, deps.dialect);
  const picked = await trx
    .selectFrom('customers as c')
    .select((eb) => ['c.id', matchedRule(eb, workspaceId, branches, now).as('rule')])
    .where('c.workspaceId', '=', workspaceId)
    .where('c.id', '>', after)
    .$if(range.lower !== null, (qb) => qb.where('c.id', '>=', range.lower ?? ''))
    .$if(range.upper !== null, (qb) => qb.where('c.id', '<', range.upper ?? ''))
    .where((eb) => eb.and([recyclableBase(eb, pool), anyBranch(eb, workspaceId, branches, now)]))
    .orderBy('c.id')
    .limit(size)
    .modifyEnd(forUpdateSkipLocked(deps.dialect))
    .execute();
  const last = picked.at(-1)?.id ?? null;
  const byRule: Record<string, number> = {};
  if (picked.length === 0) {
    return { last, byRule };
  }
  const groups = new Map<string, string[]>();
  for (const p of picked) {
    const rule = p.rule ?? '';
    const group = groups.get(rule);
    if (group) {
      group.push(p.id);
    } else {
      groups.set(rule, [p.id]);
    }
  }
  let recorded = 0;
  for (const [rule, ids] of groups) {
    recorded += await recordRecycled(trx, deps, workspaceId, pool.id, rule, ids, now);
    byRule[rule] = ids.length;
  }
  const ids = picked.map((p) => p.id);
  const taken = await trx
    .updateTable('customers')
    .set((eb) => ({
      ownerId: null,
      previousOwnerId: eb.ref('ownerId'),
      ownerSince: null,
      releasedAt: at,
      poolId: pool.id,
      updatedAt: at,
      version: eb('version', '+', 1),
    }))
    .where('workspaceId', '=', workspaceId)
    .where(sqlIdIn(deps.dialect, 'id', ids))
    .where('ownerId', 'is not', null)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== recorded || recorded !== ids.length) {
    // Cannot happen while the picked rows are locked; if it ever does, record nothing rather than a wrong history.
    throw new Error(`recycling batch changed ${Number(taken.numUpdatedRows)} customers but recorded ${recorded} of ${ids.length}`);
  }
  // The customers' contacts and search entries are left as they are: while a customer has no
  // owner, its contacts' and entries' owner_id count as none (contacts.owner.ts, search.repo.ts
  // ownerCurrent). Rewriting them was two thirds of the sweep's database time on PostgreSQL: every
  // changed row gets new entries in all its table's indexes (GIN ones for search entries).
  return { last, byRule };
}

/** History rows + timeline entries for picked (still owned, locked) customers that matched one rule; returns the history rows written. */
async function recordRecycled(trx: Kysely<Database>, deps: Deps, workspaceId: string, poolId: string, rule: string, ids: readonly string[], now: Date): Promise<number> {
  const at = now.toISOString();
  const ruleValue = rule === '' ? null : rule;
  const history = await trx
    .insertInto('ownershipChanges')
    .columns(['id', 'workspaceId', 'customerId', 'action', 'fromUserId', 'toUserId', 'poolId', 'reason', 'rule', 'actorUserId', 'createdAt'])
    .expression((eb) =>
      eb
        .selectFrom('customers as c')
        .select([
          sqlNewId(deps.dialect, now.getTime()).as('id'),
          sql.val(workspaceId).as('workspaceId'),
          'c.id as customerId',
          sql.val('recycle').as('action'),
          'c.ownerId as fromUserId',
          sql<null>`null`.as('toUserId'),
          sql.val(poolId).as('poolId'),
          sql<null>`null`.as('reason'),
          sql.val(ruleValue).as('rule'),
          sql<null>`null`.as('actorUserId'),
          sql.val(at).as('createdAt'),
        ])
        .where('c.workspaceId', '=', workspaceId)
        .where(sqlIdIn(deps.dialect, 'c.id', ids))
        .where('c.ownerId', 'is not', null),
    )
    .executeTakeFirst();
  await trx
    .insertInto('timelineEvents')
    .columns(['id', 'workspaceId', 'customerId', 'entity', 'recordId', 'kind', 'actorUserId', 'data', 'createdAt'])
    .expression((eb) =>
      eb
        .selectFrom('customers as c')
        .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'c.ownerId').on('u.workspaceId', '=', workspaceId))
        .select([
          sqlNewId(deps.dialect, now.getTime()).as('id'),
          sql.val(workspaceId).as('workspaceId'),
          'c.id as customerId',
          sql.val('customer').as('entity'),
          'c.id as recordId',
          sql.val('owner_change').as('kind'),
          sql<null>`null`.as('actorUserId'),
          sqlJsonObject(deps.dialect, { from: sql.ref('c.owner_id'), fromName: sql.ref('u.name'), to: null, reason: null, via: 'recycle', rule: ruleValue, poolId }).as('data'),
          sql.val(at).as('createdAt'),
        ])
        .where('c.workspaceId', '=', workspaceId)
        .where(sqlIdIn(deps.dialect, 'c.id', ids))
        .where('c.ownerId', 'is not', null),
    )
    .execute();
  return Number(history.numInsertedOrUpdatedRows ?? 0);
}

/** For the CLI and benchmarks: the same job for every workspace. */
export async function recycleAllWorkspaces(deps: Deps): Promise<number> {
  let total = 0;
  for (const w of await deps.db.selectFrom('workspaces').select('id').execute()) {
    total += (await recycleWorkspace(deps, w.id)).recycled;
  }
  return total;
}
