import type { ListSpec } from '../../list/list-spec';

/** What a lead list may filter and sort on (api.md: field=…, field[op]=…, sort=-field). */
export const leadListSpec: ListSpec = {
  entity: 'lead',
  customColumn: 'l.custom',
  idColumn: 'l.id',
  defaultSort: '-createdAt',
  fields: [
    { name: 'name', column: 'l.name', type: 'text', nullable: false, sortable: true },
    { name: 'company', column: 'l.company', type: 'text', nullable: true, sortable: true, permissionField: 'company' },
    { name: 'phone', column: 'l.phone', type: 'text', nullable: true, sortable: false, permissionField: 'phone' },
    { name: 'email', column: 'l.email', type: 'text', nullable: true, sortable: false, permissionField: 'email' },
    { name: 'title', column: 'l.title', type: 'text', nullable: true, sortable: false, permissionField: 'title' },
    { name: 'source', column: 'l.source', type: 'enum', nullable: true, sortable: true, permissionField: 'source' },
    { name: 'industry', column: 'l.industry', type: 'enum', nullable: true, sortable: true, permissionField: 'industry' },
    { name: 'status', column: 'l.status', type: 'enum', nullable: false, sortable: true },
    { name: 'ownerId', column: 'l.owner_id', type: 'id', nullable: true, sortable: false, permissionField: 'owner' },
    { name: 'customerId', column: 'l.customer_id', type: 'id', nullable: true, sortable: false },
    { name: 'createdBy', column: 'l.created_by', type: 'id', nullable: true, sortable: false },
    { name: 'createdAt', column: 'l.created_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'updatedAt', column: 'l.updated_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'convertedAt', column: 'l.converted_at', type: 'datetime', nullable: true, sortable: true },
    { name: 'lastFollowupAt', column: 'l.last_followup_at', type: 'datetime', nullable: true, sortable: true },
    { name: 'nextFollowupAt', column: 'l.next_followup_at', type: 'datetime', nullable: true, sortable: true },
    { name: 'deletedAt', column: 'l.deleted_at', type: 'datetime', nullable: true, sortable: true },
  ],
};
