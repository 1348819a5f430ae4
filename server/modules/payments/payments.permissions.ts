import { registerEntity } from '../../../common/permissions';
import { registerCustomerReference } from '../duplicates/merge.references';

// Payments 回款 are scoped by their owner (who collected them). Payment plans 回款计划 belong to
// their contract: viewing them follows payment:view over the contract's owner, and editing them
// needs payment:edit over it (no separate entity to keep in sync in every role).
registerEntity(
  {
    key: 'payment',
    actions: ['view', 'create', 'edit', 'delete', 'export'],
    scoped: true,
    fields: [{ key: 'remark', mask: 'text' }, { key: 'method' }],
  },
  {
    sales: { view: 'own', create: 'own', edit: 'own', delete: 'own', export: 'own' },
    sales_manager: { view: 'subordinates', create: 'subordinates', edit: 'subordinates', delete: 'subordinates', export: 'subordinates' },
    service_agent: { view: 'all' },
  },
);

// Merging customers moves these records to the surviving customer.
registerCustomerReference('payment_plans', 'customer_id');
registerCustomerReference('payments', 'customer_id');
