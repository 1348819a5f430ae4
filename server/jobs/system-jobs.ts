import { purgeExpiredCustomers } from '../modules/customers/customers.purge';
import { registerJobHandler } from './registry';
import { registerSchedule } from './schedules';

// Recycle bin 回收站: customers past their workspace's retention are deleted for good, once a day
// for all workspaces (one system job; the function walks the workspaces itself).
registerJobHandler({ kind: 'customers.purge-expired', run: async ({ deps }) => void (await purgeExpiredCustomers(deps)) });
registerSchedule({ kind: 'customers.purge-expired', every: 'daily', at: '03:00', perWorkspace: false, timeZone: 'Asia/Shanghai' });
