import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { type CountResult, countCapped } from '../../list/list-page';
import { listPoolRows, type PoolRow } from './pools.repo';
import { anyBranch, dueAt, type RuleBranch, recyclableBase, ruleBranches } from './pools.rules';
import type { ExpiringCustomer } from './pools.schema';

const dayMs = 86_400_000;

/**
 * The "about to be recycled" list shows at most this many customers, and the to-do counter that
 * opens it stops at the same number (answering "1,000+"), so below it the two always agree.
 */
export const expiringCap = 1000;

type CustomerEb = ExpressionBuilder<Database & { c: Database['customers'] }, 'c'>;

function warningPools(pools: readonly PoolRow[]) {
  return pools.filter((p) => p.recycleEnabled === 1 && p.warnDays > 0 && ruleBranches(p).length > 0);
}

/**
 * An owner's customers that the daily job will take back within their pool's warning window
 * (M days): each pool's rules evaluated M days ahead, all pools in one statement. `owner_id = ?`
 * lets it walk only the owner's entries of an index that starts (workspace_id, owner_id) (SQLite:
 * customers_ws_owner_next), so its cost follows the owner's book, never the workspace's;
 * PostgreSQL may instead take the no-follow-up range from customers_ws_last_followup_at, which
 * carries owner_id, when its statistics say that reads less (checked with EXPLAIN on both).
 */
function expiringQuery(db: Kysely<Database>, workspaceId: string, ownerId: string, pools: readonly PoolRow[], now: Date) {
  return db
    .selectFrom('customers as c')
    .where('c.workspaceId', '=', workspaceId)
    .where('c.ownerId', '=', ownerId)
    .where((eb: CustomerEb) =>
      eb.or(pools.map((pool) => eb.and([recyclableBase(eb, pool), anyBranch(eb, workspaceId, ruleBranches(pool), new Date(now.getTime() + pool.warnDays * dayMs))]))),
    );
}

/** The warning pool a matched customer belongs to: its own, or the default one for customers without a pool. */
function poolOf(pools: readonly PoolRow[], poolId: string | null): PoolRow | undefined {
  return pools.find((p) => p.id === poolId) ?? (poolId === null ? pools.find((p) => p.isDefault === 1) : undefined);
}

/**
 * My customers that the daily job will take back within their pool's warning window, with the
 * date and the rule: at most `expiringCap`, picked in SQL longest-inactive first, then dated per
 * row from the same rules and sorted by that date.
 */
export async function listExpiring(deps: Deps, workspaceId: string, ownerId: string | null): Promise<ExpiringCustomer[]> {
  const pools = warningPools(await listPoolRows(deps.db, workspaceId));
  if (!ownerId || pools.length === 0) {
    return [];
  }
  const now = deps.now();
  const rows = await expiringQuery(deps.db, workspaceId, ownerId, pools, now)
    .select((eb) => [
      'c.id',
      'c.name',
      'c.level',
      'c.poolId',
      'c.ownerSince',
      'c.createdAt',
      'c.lastFollowupAt',
      'c.dealStatus',
      eb
        .selectFrom('deals as d')
        .select((d) => d.fn.max('d.createdAt').as('m'))
        .where('d.workspaceId', '=', workspaceId)
        .whereRef('d.customerId', '=', 'c.id')
        .where('d.deletedAt', 'is', null)
        .as('lastDealAt'),
    ])
    // Longest without activity first, so an owner with more than the cap sees the soonest ones
    // (approximates the no-follow-up rule, the common one; the page is sorted exactly below).
    .orderBy((eb) => eb.fn.coalesce('c.lastFollowupAt', 'c.ownerSince', 'c.createdAt'))
    .orderBy('c.id')
    .limit(expiringCap)
    .execute();
  const out: ExpiringCustomer[] = [];
  for (const row of rows) {
    const pool = poolOf(pools, row.poolId);
    if (!pool) {
      continue;
    }
    let best: { at: number; branch: RuleBranch } | null = null;
    for (const branch of ruleBranches(pool)) {
      const due = dueAt(branch, { ...row, lastDealAt: row.lastDealAt === null ? null : String(row.lastDealAt) });
      if (due !== null && (best === null || due < best.at)) {
        best = { at: due, branch };
      }
    }
    if (best) {
      out.push({ id: row.id, name: row.name, level: row.level, poolId: pool.id, poolName: pool.name, rule: best.branch.kind, days: best.branch.days, recycleAt: new Date(Math.max(best.at, now.getTime())).toISOString() });
    }
  }
  return out.sort((a, b) => a.recycleAt.localeCompare(b.recycleAt) || a.id.localeCompare(b.id));
}

/**
 * How many of a user's customers are about to be recycled (the to-do counter): the list's own
 * WHERE, counted up to `expiringCap` + 1 rows, so it is exact below the cap and never reads more
 * than the owner's book (or cap + 1 matches, whichever comes first).
 */
export async function countExpiring(deps: Deps, workspaceId: string, ownerId: string): Promise<CountResult> {
  const pools = warningPools(await listPoolRows(deps.db, workspaceId));
  if (pools.length === 0) {
    return { total: 0, exact: true };
  }
  return countCapped(deps.db, expiringQuery(deps.db, workspaceId, ownerId, pools, deps.now()).select('c.id'), expiringCap);
}
