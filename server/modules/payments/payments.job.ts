import { nowIso } from '../../deps';
import { type JobContext, registerJobHandler } from '../../jobs/registry';
import { registerSchedule } from '../../jobs/schedules';
import { workspaceToday } from './payments.dates';
import { markOverduePlans } from './payment-plans.repo';

export const overdueJobKind = 'payments.mark-overdue';

/**
 * The daily job: in one workspace, open instalments past their due date (in the workspace's
 * time zone) become overdue 逾期. Idempotent, so a retry or a second run changes nothing.
 */
export async function runMarkOverdue(ctx: Pick<JobContext, 'deps' | 'job'>): Promise<number> {
  const workspaceId = ctx.job.workspaceId;
  if (!workspaceId) {
    return 0;
  }
  const { deps } = ctx;
  return markOverduePlans(deps.db, workspaceId, await workspaceToday(deps, deps.db, workspaceId), nowIso(deps));
}

registerJobHandler({
  kind: overdueJobKind,
  maxAttempts: 5,
  run: async (ctx) => {
    await runMarkOverdue(ctx);
  },
});

// Just after midnight in each workspace's time zone.
registerSchedule({ kind: overdueJobKind, every: 'daily', at: '00:05', perWorkspace: true });
