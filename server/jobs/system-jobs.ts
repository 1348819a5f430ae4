import { purgeRecycleBin } from '../modules/customers/customers.purge';
import { sweepUnattachedFiles } from '../modules/files/files.sweep';
import { drainAllPending } from '../modules/search/search.pending';
import { purgeFinishedSystemJobs } from './jobs.purge';
import { registerJobHandler } from './registry';
import { registerSchedule } from './schedules';

// Recycle bin 回收站: customers and contacts past their workspace's retention are deleted for good,
// once a day for all workspaces (one system job; the function walks the workspaces itself).
registerJobHandler({ kind: 'customers.purge-expired', run: async ({ deps }) => void (await purgeRecycleBin(deps)) });
registerSchedule({ kind: 'customers.purge-expired', every: 'daily', at: '03:00', perWorkspace: false, timeZone: 'Asia/Shanghai' });

// Search outbox (server/modules/search/search.pending.ts): queued records (deals) are re-indexed in
// the background, every workspace; a search itself only drains a small backlog of its own.
registerJobHandler({ kind: 'search.drain-pending', run: async ({ deps }) => void (await drainAllPending(deps)) });
registerSchedule({ kind: 'search.drain-pending', every: 10_000, perWorkspace: false, maxAttempts: 1 });

// Finished system jobs and schedule keys (thousands a day from the drain above) are kept a week.
registerJobHandler({ kind: 'jobs.purge-finished', run: async ({ deps }) => void (await purgeFinishedSystemJobs(deps)) });
registerSchedule({ kind: 'jobs.purge-finished', every: 'daily', at: '03:30', perWorkspace: false, timeZone: 'Asia/Shanghai' });

// Uploads nothing carries (a form never sent, a file taken off a follow-up) go after a week.
registerJobHandler({ kind: 'files.sweep-unattached', run: async ({ deps }) => void (await sweepUnattachedFiles(deps)) });
registerSchedule({ kind: 'files.sweep-unattached', every: 'daily', at: '03:15', perWorkspace: false, timeZone: 'Asia/Shanghai' });
