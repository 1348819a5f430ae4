import { registerEntity } from '../../../common/permissions';
import { registerCustomizableTable } from '../custom-fields/custom-fields.tables';
import { registerCustomerReference } from '../duplicates/merge.references';

// Leads 线索 register with the permission engine here (server/modules/catalog.ts imports this
// file). `assign` covers handing leads out by hand and the round-robin distribution; converting
// needs `edit` on the lead plus `customer:create`.
registerEntity(
  {
    key: 'lead',
    actions: ['view', 'create', 'edit', 'delete', 'export', 'import', 'assign'],
    scoped: true,
    fields: [
      { key: 'phone', mask: 'phone' },
      { key: 'email', mask: 'email' },
      { key: 'company' },
      { key: 'title' },
      { key: 'source' },
      { key: 'industry' },
      { key: 'address', mask: 'text' },
      { key: 'remark' },
      { key: 'owner' },
    ],
  },
  {
    sales: { view: 'own', create: 'own', edit: 'own', delete: 'own', export: 'own', import: 'own' },
    sales_manager: {
      view: 'subordinates',
      create: 'subordinates',
      edit: 'subordinates',
      delete: 'subordinates',
      export: 'subordinates',
      import: 'subordinates',
      assign: 'subordinates',
    },
    // Marketers bring leads in (campaigns, forms, trade shows) and follow how they convert.
    marketer: { view: 'all', create: 'all', import: 'all', export: 'all' },
  },
);

registerCustomizableTable('lead', 'leads');
// A converted lead points at its customer: merging that customer into another re-points the lead.
registerCustomerReference('leads', 'customer_id');
