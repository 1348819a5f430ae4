import { parseJson } from '../../db/dialect';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { enqueueJob } from '../../jobs/jobs.repo';
import type { RecycleRun } from './pools.schema';

const kind = 'pools.recycle';

/**
 * The recycling job's runs (自动回收) for pool admins: the nightly schedule's (no requester) and those
 * an admin started with "Run now", newest first, with what each took back per rule. They are the
 * workspace's jobs of kind pools.recycle (server/jobs): the same rows the job runner works on.
 */
export async function listRecycleRuns(deps: Deps, auth: AuthContext, limit: number, only?: string): Promise<RecycleRun[]> {
  const rows = await deps.db
    .selectFrom('jobs as j')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'j.createdBy').on('u.workspaceId', '=', auth.workspaceId))
    .select(['j.id', 'j.status', 'j.payload', 'j.createdBy', 'u.name as requesterName', 'j.createdAt', 'j.startedAt', 'j.finishedAt', 'j.progress', 'j.attempts', 'j.error'])
    .where('j.workspaceId', '=', auth.workspaceId)
    .where('j.kind', '=', kind)
    .$if(only !== undefined, (qb) => qb.where('j.id', '=', only ?? ''))
    .orderBy('j.createdAt', 'desc')
    .orderBy('j.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const progress = (parseJson(r.progress) ?? {}) as { recycled?: unknown; byRule?: unknown };
    const byRule: Record<string, number> = {};
    if (progress.byRule && typeof progress.byRule === 'object') {
      for (const [rule, count] of Object.entries(progress.byRule)) {
        if (typeof count === 'number') {
          byRule[rule] = count;
        }
      }
    }
    return {
      id: r.id,
      status: r.status,
      // By the payload, not the requester: a run started with an API key has no user.
      trigger: (parseJson(r.payload) as { trigger?: unknown } | null)?.trigger === 'manual' ? 'manual' : 'schedule',
      requestedBy: r.createdBy ? { id: r.createdBy, name: r.requesterName ?? null } : null,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      recycled: typeof progress.recycled === 'number' ? progress.recycled : null,
      byRule,
      attempts: r.attempts,
      error: r.error,
    };
  });
}

/**
 * "Run now": queues the recycling job for the workspace at once (after an admin changed the rules,
 * say) instead of waiting for 02:00. One at a time: while a run is queued or running, another is
 * refused with recycle_running. Two clicks racing past that check would only queue two sweeps, and a
 * sweep is safe to repeat — every customer is taken back once (pools.recycle.ts).
 */
export async function startRecycleRun(deps: Deps, auth: AuthContext): Promise<RecycleRun> {
  const now = nowIso(deps);
  const id = await deps.db.transaction().execute(async (trx) => {
    const active = await trx
      .selectFrom('jobs')
      .select('id')
      .where('workspaceId', '=', auth.workspaceId)
      .where('status', 'in', ['queued', 'running'])
      .where('kind', '=', kind)
      .executeTakeFirst();
    if (active) {
      throw new AppError('recycle_running');
    }
    return enqueueJob(trx, { workspaceId: auth.workspaceId, kind, payload: { trigger: 'manual' }, createdBy: auth.userId, maxAttempts: 3 }, now);
  });
  const [run] = await listRecycleRuns(deps, auth, 1, id);
  if (!run) {
    throw new Error(`recycling run ${id} not found right after queueing it`);
  }
  return run;
}
