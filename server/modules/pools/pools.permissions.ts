import { registerEntity } from '../../../common/permissions';
import { registerCustomerReference } from '../duplicates/merge.references';

// Public pools 公海: workspace settings, not owned records. Who may claim from a pool is decided by
// its members (pools.membership.ts), who may assign by pool admins and customer:assign, who may
// release by ownership or customer:transfer over the owner. pool:view opens the pool pages;
// create / edit / delete manage pools, their rules and the ownership limits (admins by default).
registerEntity(
  { key: 'pool', actions: ['view', 'create', 'edit', 'delete'], scoped: false, fields: [] },
  { sales: { view: 'all' }, sales_manager: { view: 'all' } },
);

// Merging customers moves these records to the surviving customer.
registerCustomerReference('ownership_changes', 'customer_id');
