import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { searchEntities } from './search.entities';

/**
 * The search outbox (migration 0016): database triggers queue records whose doc may be stale in
 * search_pending, in the writer's own transaction; this brings them in step. A scheduled system
 * job (`search.drain-pending`, server/jobs/system-jobs.ts) works the queue off in the background;
 * a search drains only a small backlog of its own workspace before answering
 * (`requestDrainLimit`), so a record written just now is found at once but a big backlog (the
 * 0016 migration queues every existing deal) never lands on a request.
 * Entities registered with a `reindex` (registerSearchEntity) are kept this way — deals: every
 * write path (create, edit, stage move, close, delete, restore, transfer, merge, purge, a
 * customer's rename) is covered by the triggers instead of a call in each of them.
 */
export type Reindex = (db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[]) => Promise<void>;

/** Rows per drain step (one transaction each). */
const drainBatch = 500;
/** A search drains at most this many queued records of its workspace before answering. */
export const requestDrainLimit = 500;
/** The background job drains one workspace's entity in rounds of this many, then moves on (fairness). */
const jobRoundLimit = 20_000;
/** The background job stops after this long; the next occurrence goes on. */
const jobBudgetMs = 20_000;

/**
 * Re-indexes the queued records of one entity in a workspace and removes their queue rows — by
 * `seq`, so a row queued meanwhile (a write committing during the drain) stays for the next drain.
 */
export async function drainPending(db: Kysely<Database>, dialect: DialectName, workspaceId: string, entity: string, reindex: Reindex, limit = requestDrainLimit): Promise<number> {
  let drained = 0;
  while (drained < limit) {
    const want = Math.min(drainBatch, limit - drained);
    // Cheap when there is nothing to do: one probe of the (workspace_id, entity, seq) index.
    const rows = await sql<{ seq: number | string; recordId: string }>`select seq, record_id from search_pending
      where workspace_id = ${workspaceId} and entity = ${entity} order by seq limit ${want}`.execute(db);
    if (rows.rows.length === 0) {
      break;
    }
    const seqs = rows.rows.map((r) => Number(r.seq));
    await db.transaction().execute(async (trx) => {
      await reindex(trx, dialect, workspaceId, [...new Set(rows.rows.map((r) => r.recordId))]);
      await sql`delete from search_pending where workspace_id = ${workspaceId} and seq in (${sql.join(seqs)})`.execute(trx);
    });
    drained += rows.rows.length;
    if (rows.rows.length < want) {
      break;
    }
  }
  return drained;
}

/**
 * The background drain (system job, every few seconds): the oldest queued record names the next
 * workspace and entity, which is drained a round at a time, until the queue is empty or the time
 * budget is spent. Rows of entities nobody registered a `reindex` for are left alone.
 */
export async function drainAllPending(deps: Deps, budgetMs = jobBudgetMs): Promise<number> {
  const reindexers = new Map(searchEntities().flatMap((e) => (e.reindex ? [[e.entity, e.reindex] as const] : [])));
  if (reindexers.size === 0) {
    return 0;
  }
  const started = performance.now();
  let drained = 0;
  while (performance.now() - started < budgetMs) {
    const next = await sql<{ workspaceId: string; entity: string }>`select workspace_id, entity from search_pending
      where entity in (${sql.join([...reindexers.keys()])}) order by seq limit 1`.execute(deps.db);
    const head = next.rows[0];
    const reindex = head ? reindexers.get(head.entity) : undefined;
    if (!head || !reindex) {
      break;
    }
    drained += await drainPending(deps.db, deps.dialect, head.workspaceId, head.entity, reindex, jobRoundLimit);
  }
  return drained;
}
