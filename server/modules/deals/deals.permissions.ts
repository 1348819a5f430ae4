import { registerEntity } from '../../../common/permissions';
import { registerCustomerReference } from '../duplicates/merge.references';

// Deals 商机 are owned records (data scope by owner, like customers); products and pipelines are
// workspace catalogues without owners. Imported from server/modules/catalog.ts.
registerEntity(
  {
    key: 'deal',
    actions: ['view', 'create', 'edit', 'delete', 'export', 'import', 'transfer'],
    scoped: true,
    fields: [
      { key: 'amount' },
      { key: 'expectedCloseDate' },
      { key: 'source' },
      { key: 'owner' },
      { key: 'lines' },
      { key: 'remark', mask: 'text' },
      { key: 'lostReason' },
      { key: 'tags' },
    ],
  },
  {
    sales: { view: 'own', create: 'own', edit: 'own', delete: 'own', export: 'own', transfer: 'own' },
    sales_manager: {
      view: 'subordinates',
      create: 'subordinates',
      edit: 'subordinates',
      delete: 'subordinates',
      export: 'subordinates',
      import: 'subordinates',
      transfer: 'subordinates',
    },
    service_agent: { view: 'all' },
    marketer: { view: 'all' },
  },
);

registerEntity(
  {
    key: 'product',
    actions: ['view', 'create', 'edit', 'delete', 'export', 'import'],
    scoped: false,
    fields: [{ key: 'price' }, { key: 'code' }, { key: 'description' }],
  },
  {
    sales: { view: 'all' },
    sales_manager: { view: 'all', create: 'all', edit: 'all', export: 'all' },
    service_agent: { view: 'all' },
    marketer: { view: 'all' },
  },
);

// Pipelines 商机组 and their stages: everyone who sees deals reads them (GET needs deal:view);
// changing them is a setting.
registerEntity({ key: 'pipeline', actions: ['edit'], scoped: false, fields: [] });

// Merging customers moves these records to the surviving customer.
registerCustomerReference('deals', 'customer_id');
