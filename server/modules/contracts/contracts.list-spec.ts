import type { ListSpec } from '../../list/list-spec';

/** What a contract list may filter and sort on (api.md: field=…, field[op]=…, sort=-field). */
export const contractListSpec: ListSpec = {
  entity: 'contract',
  customColumn: 'k.custom',
  idColumn: 'k.id',
  defaultSort: '-createdAt',
  fields: [
    { name: 'number', column: 'k.number', type: 'text', nullable: false, sortable: false },
    { name: 'name', column: 'k.name', type: 'text', nullable: false, sortable: true },
    { name: 'status', column: 'k.status', type: 'enum', nullable: false, sortable: false },
    { name: 'customerId', column: 'k.customer_id', type: 'id', nullable: false, sortable: false },
    { name: 'dealId', column: 'k.deal_id', type: 'id', nullable: true, sortable: false },
    { name: 'ownerId', column: 'k.owner_id', type: 'id', nullable: true, sortable: false, permissionField: 'owner' },
    { name: 'signerId', column: 'k.signer_id', type: 'id', nullable: true, sortable: false, permissionField: 'signer' },
    { name: 'total', column: 'k.total_cents', type: 'money', nullable: false, sortable: true, permissionField: 'total' },
    { name: 'signDate', column: 'k.sign_date', type: 'date', nullable: true, sortable: true, permissionField: 'signDate' },
    { name: 'startDate', column: 'k.start_date', type: 'date', nullable: true, sortable: false, permissionField: 'period' },
    { name: 'endDate', column: 'k.end_date', type: 'date', nullable: true, sortable: true, permissionField: 'period' },
    { name: 'createdBy', column: 'k.created_by', type: 'id', nullable: true, sortable: false },
    { name: 'createdAt', column: 'k.created_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'updatedAt', column: 'k.updated_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'approvedAt', column: 'k.approved_at', type: 'datetime', nullable: true, sortable: false },
  ],
};
