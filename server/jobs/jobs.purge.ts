import type { Deps } from '../deps';

/**
 * Housekeeping of the job queue. Scheduled system jobs (no workspace: the search outbox drain runs
 * every few seconds, the daily purges) leave one finished row in `jobs` and one key in
 * job_schedule_runs per occurrence — thousands a day that nobody reads after a while. Finished
 * system jobs and schedule keys older than `keepDays` are deleted. Workspace jobs (imports,
 * exports, recycling) are the users' history and are kept; so is anything queued or running.
 */
export async function purgeFinishedSystemJobs(deps: Deps, keepDays = 7): Promise<{ jobs: number; scheduleRuns: number }> {
  const cutoff = new Date(deps.now().getTime() - keepDays * 86_400_000).toISOString();
  const jobs = await deps.db
    .deleteFrom('jobs')
    .where('workspaceId', 'is', null)
    .where('status', 'in', ['done', 'failed', 'cancelled'])
    .where('runAt', '<', cutoff)
    .executeTakeFirst();
  // An occurrence's key only has to outlive its period; the oldest period of any schedule is a day.
  const runs = await deps.db.deleteFrom('jobScheduleRuns').where('createdAt', '<', cutoff).executeTakeFirst();
  return { jobs: Number(jobs.numDeletedRows), scheduleRuns: Number(runs.numDeletedRows) };
}
