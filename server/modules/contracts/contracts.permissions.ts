import { registerEntity } from '../../../common/permissions';
import { registerCustomerReference } from '../duplicates/merge.references';

// Contracts 合同: scoped by owner. `edit` covers editing drafts and submitting them for approval;
// `delete` covers deleting drafts and voiding (作废). Field rules apply to the fields below.
registerEntity(
  {
    key: 'contract',
    actions: ['view', 'create', 'edit', 'delete', 'export'],
    scoped: true,
    fields: [
      { key: 'total' },
      { key: 'lines' },
      { key: 'signDate' },
      { key: 'period' },
      { key: 'signer' },
      { key: 'customerSigner' },
      { key: 'remark', mask: 'text' },
      { key: 'owner' },
    ],
  },
  {
    sales: { view: 'own', create: 'own', edit: 'own', delete: 'own', export: 'own' },
    sales_manager: { view: 'subordinates', create: 'subordinates', edit: 'subordinates', delete: 'subordinates', export: 'subordinates' },
    // Agents see a customer's contracts beside its tickets.
    service_agent: { view: 'all' },
  },
);

// The numbering rule (HT-{yyyyMMdd}-{seq}) is a setting: admins by default.
registerEntity({ key: 'contractNumbering', actions: ['view', 'edit'], scoped: false, fields: [] });

// Merging customers moves these records to the surviving customer.
registerCustomerReference('contracts', 'customer_id');
