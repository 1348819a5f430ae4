import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';

/**
 * The search outbox (migration 0016): database triggers queue records whose doc may be stale in
 * search_pending, in the writer's own transaction; this brings them in step before a search.
 * Entities registered with a `reindex` (registerSearchEntity) are kept this way — deals: every
 * write path (create, edit, stage move, close, delete, restore, transfer, merge, purge, a
 * customer's rename) is covered by the triggers instead of a call in each of them.
 */
export type Reindex = (db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[]) => Promise<void>;

/** Rows per drain step (one transaction each). */
const drainBatch = 1_000;
/** A search drains at most this many queued records before answering (a backlog goes on next time). */
const drainLimit = 20_000;

/**
 * Re-indexes the queued records of one entity in a workspace and removes their queue rows — by
 * `seq`, so a row queued meanwhile (a write committing during the drain) stays for the next drain.
 */
export async function drainPending(db: Kysely<Database>, dialect: DialectName, workspaceId: string, entity: string, reindex: Reindex): Promise<number> {
  let drained = 0;
  while (drained < drainLimit) {
    // Cheap when there is nothing to do: one probe of the (workspace_id, entity, seq) index.
    const rows = await sql<{ seq: number | string; recordId: string }>`select seq, record_id from search_pending
      where workspace_id = ${workspaceId} and entity = ${entity} order by seq limit ${drainBatch}`.execute(db);
    if (rows.rows.length === 0) {
      break;
    }
    const seqs = rows.rows.map((r) => Number(r.seq));
    await db.transaction().execute(async (trx) => {
      await reindex(trx, dialect, workspaceId, [...new Set(rows.rows.map((r) => r.recordId))]);
      await sql`delete from search_pending where workspace_id = ${workspaceId} and seq in (${sql.join(seqs)})`.execute(trx);
    });
    drained += rows.rows.length;
    if (rows.rows.length < drainBatch) {
      break;
    }
  }
  return drained;
}
