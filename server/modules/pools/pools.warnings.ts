import { sql } from 'kysely';
import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { listPoolRows, type PoolRow } from './pools.repo';
import { anyBranch, dueAt, recyclableBase, ruleBranches } from './pools.rules';
import type { ExpiringCustomer } from './pools.schema';

const dayMs = 86_400_000;

function warningPools(pools: readonly PoolRow[]) {
  return pools.filter((p) => p.recycleEnabled === 1 && p.warnDays > 0 && ruleBranches(p).length > 0);
}

/**
 * My customers that the daily job will take back within their pool's warning window (M days), with
 * the date and the rule. Rows are picked in SQL with the rules evaluated M days ahead; the exact
 * date is then worked out per row from the same rules.
 */
export async function listExpiring(deps: Deps, auth: AuthContext, ownerId: string | null = auth.userId): Promise<ExpiringCustomer[]> {
  if (!ownerId) {
    return [];
  }
  const now = deps.now();
  const out: ExpiringCustomer[] = [];
  for (const pool of warningPools(await listPoolRows(deps.db, auth.workspaceId))) {
    const branches = ruleBranches(pool);
    const ahead = new Date(now.getTime() + pool.warnDays * dayMs);
    const rows = await deps.db
      .selectFrom('customers as c')
      .select((eb) => [
        'c.id',
        'c.name',
        'c.level',
        'c.ownerSince',
        'c.createdAt',
        'c.lastFollowupAt',
        'c.dealStatus',
        eb
          .selectFrom('deals as d')
          .select((d) => d.fn.max('d.createdAt').as('m'))
          .where('d.workspaceId', '=', auth.workspaceId)
          .whereRef('d.customerId', '=', 'c.id')
          .where('d.deletedAt', 'is', null)
          .as('lastDealAt'),
      ])
      .where('c.workspaceId', '=', auth.workspaceId)
      .where('c.ownerId', '=', ownerId)
      .where((eb) => eb.and([recyclableBase(eb, pool), anyBranch(eb, auth.workspaceId, branches, ahead)]))
      // Longest without activity first, so an owner with more than the cap sees the soonest ones
      // (approximates the no-follow-up rule, the common one; the page is sorted exactly below).
      .orderBy((eb) => eb.fn.coalesce('c.lastFollowupAt', 'c.ownerSince', 'c.createdAt'))
      .orderBy('c.id')
      .limit(1000)
      .execute();
    for (const row of rows) {
      let best: { at: number; branch: (typeof branches)[number] } | null = null;
      for (const branch of branches) {
        const due = dueAt(branch, { ...row, lastDealAt: row.lastDealAt === null ? null : String(row.lastDealAt) });
        if (due !== null && (best === null || due < best.at)) {
          best = { at: due, branch };
        }
      }
      if (best) {
        out.push({ id: row.id, name: row.name, level: row.level, poolId: pool.id, poolName: pool.name, rule: best.branch.kind, days: best.branch.days, recycleAt: new Date(Math.max(best.at, now.getTime())).toISOString() });
      }
    }
  }
  return out.sort((a, b) => a.recycleAt.localeCompare(b.recycleAt) || a.id.localeCompare(b.id));
}

/** How many of a user's customers are about to be recycled (the to-do counter). */
export async function countExpiring(deps: Deps, workspaceId: string, ownerId: string): Promise<number> {
  const now = deps.now();
  let total = 0;
  for (const pool of warningPools(await listPoolRows(deps.db, workspaceId))) {
    const ahead = new Date(now.getTime() + pool.warnDays * dayMs);
    const row = await deps.db
      .selectFrom('customers as c')
      .select(sql<number>`count(*)`.as('n'))
      .where('c.workspaceId', '=', workspaceId)
      .where('c.ownerId', '=', ownerId)
      .where((eb) => eb.and([recyclableBase(eb, pool), anyBranch(eb, workspaceId, ruleBranches(pool), ahead)]))
      .executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  return total;
}
