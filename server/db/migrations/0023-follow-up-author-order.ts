import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect';

/**
 * The author index of follow-ups gains the id, the list's tie-break: (workspace_id, owner_id,
 * created_at, id) answers "one author's follow-ups, newest first" in index order with no sort. The
 * follow-up records list reads a filter on authors one author at a time through it and merges
 * (follow-ups.repo.ts); without the id SQLite walked the workspace's time index instead, testing
 * every row's author (a rep's page at 5M follow-ups: 32 ms p50, 121 ms p99), or sorted every
 * follow-up of several authors (≈ 400 ms for two).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('follow_ups_ws_owner').ifExists().execute();
  await db.schema.createIndex('follow_ups_ws_owner').on('follow_ups').columns(['workspace_id', 'owner_id', 'created_at', 'id']).execute();
  if (dialectOf(db) === 'sqlite' && (await hasStatistics(db))) {
    // Dropping the index dropped its statistics, and SQLite plans with whatever statistics there
    // are: without a row for the new index a team's count at 5M follow-ups went from a walk of the
    // time index (0.14 s) to a sort of every follow-up (5 s). One index is quick to measure again
    // (≈ 5 s at 5M). A database never analysed has no statistics to be partial, and is left so.
    await sql`analyze follow_ups_ws_owner`.execute(db);
  }
}

async function hasStatistics(db: Kysely<unknown>): Promise<boolean> {
  const table = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'sqlite_stat1'`.execute(db);
  if (table.rows.length === 0) {
    return false;
  }
  const rows = await sql<{ one: number }>`select 1 as one from sqlite_stat1 where tbl = 'follow_ups' limit 1`.execute(db);
  return rows.rows.length > 0;
}

export async function down(): Promise<void> {
  // Forward-only.
}
