import { sql } from 'kysely';
import { longRead } from '../../db/read-worker';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import type { PoolRow } from './pools.repo';
import { anyBranch, matchedRule, recyclableBase, ruleBranches } from './pools.rules';
import type { RecyclePreview, RecyclePreviewBody } from './pools.schema';
import { poolAccess } from './pools.service';

/**
 * "How many would go back?": the customers the recycling job would take back if it ran now with
 * the proposed rules and exemptions, counted per rule — the same conditions and first-match order
 * as the job (pools.recycle.ts), in one read-only grouped count. Lets an admin see before saving
 * that turning recycling on would return, say, half the book to the pool tonight.
 */
export async function previewRecycle(deps: Deps, auth: AuthContext, poolId: string, body: RecyclePreviewBody): Promise<RecyclePreview> {
  const access = await poolAccess(deps, auth, poolId);
  if (!access.canManage) {
    throw new AppError('forbidden');
  }
  const at = deps.now();
  return countRecyclable(deps, auth.workspaceId, {
    ...access.pool,
    ...(body.exemptDealt === undefined ? {} : { exemptDealt: body.exemptDealt ? 1 : 0 }),
    ...(body.exemptLocked === undefined ? {} : { exemptLocked: body.exemptLocked ? 1 : 0 }),
    ...(body.rules === undefined ? {} : { rules: body.rules }),
  }, at);
}

/** The grouped count for a pool's settings as of `at` (also used by the recycling bench as a check). */
export async function countRecyclable(deps: Deps, workspaceId: string, pool: PoolRow, at: Date): Promise<RecyclePreview> {
  const branches = ruleBranches(pool);
  const byRule: Record<string, number> = {};
  let total = 0;
  if (branches.length > 0) {
    // A long read (a few seconds at 1M customers): on SQLite off the main thread, so other requests go on.
    const rows = await longRead(deps)
      .db.selectFrom((db) =>
        db
          .selectFrom('customers as c')
          .select((eb) => matchedRule(eb, workspaceId, branches, at).as('rule'))
          .where('c.workspaceId', '=', workspaceId)
          .where((eb) => eb.and([recyclableBase(eb, pool), anyBranch(eb, workspaceId, branches, at)]))
          .as('m'),
      )
      .select(['m.rule', sql<number | string>`count(*)`.as('n')])
      .groupBy('m.rule')
      .execute();
    for (const r of rows) {
      const n = Number(r.n);
      byRule[r.rule ?? 'other'] = n;
      total += n;
    }
  }
  return { total, byRule, at: at.toISOString() };
}
