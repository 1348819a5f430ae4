import { registerJobHandler } from '../../jobs/registry';
import { registerSchedule } from '../../jobs/schedules';
import { recycleWorkspace } from './pools.recycle';

// 自动回收: every workspace's pools are swept once a day at 02:00 workspace time. The schedule
// queues one job per workspace and day exactly once across instances; the sweep itself is safe to
// run twice (conditional UPDATEs), so a retried or duplicated run recycles nobody twice.
registerJobHandler({
  kind: 'pools.recycle',
  maxAttempts: 3,
  run: async ({ deps, job, signal, setProgress }) => {
    if (!job.workspaceId) {
      return;
    }
    const result = await recycleWorkspace(deps, job.workspaceId, { signal });
    await setProgress({ recycled: result.recycled, byRule: result.byRule });
  },
});
registerSchedule({ kind: 'pools.recycle', every: 'daily', at: '02:00', perWorkspace: true });
