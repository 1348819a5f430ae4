import type { ListSpec } from '../../list/list-spec';
import { contactOwnerHolds } from './contacts.owner';

/** What a contact list may filter and sort on (the same grammar as customers). */
export const contactListSpec: ListSpec = {
  entity: 'contact',
  customColumn: 'ct.custom',
  idColumn: 'ct.id',
  defaultSort: '-createdAt',
  fields: [
    { name: 'name', column: 'ct.name', type: 'text', nullable: false, sortable: true },
    { name: 'customerId', column: 'ct.customer_id', type: 'id', nullable: false, sortable: false },
    { name: 'ownerId', column: 'ct.owner_id', type: 'id', nullable: true, sortable: false, holds: contactOwnerHolds() },
    { name: 'phone', column: 'ct.phone', type: 'text', nullable: true, sortable: false, permissionField: 'phone' },
    { name: 'email', column: 'ct.email', type: 'text', nullable: true, sortable: false, permissionField: 'email' },
    { name: 'title', column: 'ct.title', type: 'text', nullable: true, sortable: true, permissionField: 'title' },
    { name: 'department', column: 'ct.department', type: 'text', nullable: true, sortable: true },
    { name: 'wechat', column: 'ct.wechat', type: 'text', nullable: true, sortable: false, permissionField: 'wechat' },
    { name: 'isPrimary', column: 'ct.is_primary', type: 'boolean', nullable: false, sortable: false },
    { name: 'isDecisionMaker', column: 'ct.is_decision_maker', type: 'boolean', nullable: false, sortable: false },
    { name: 'createdBy', column: 'ct.created_by', type: 'id', nullable: true, sortable: false },
    { name: 'createdAt', column: 'ct.created_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'updatedAt', column: 'ct.updated_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'lastFollowupAt', column: 'ct.last_followup_at', type: 'datetime', nullable: true, sortable: true },
    { name: 'nextFollowupAt', column: 'ct.next_followup_at', type: 'datetime', nullable: true, sortable: true },
    // The recycle bin's default sort (-deletedAt); index contacts_ws_deleted (migration 0019-contacts-bin).
    { name: 'deletedAt', column: 'ct.deleted_at', type: 'datetime', nullable: true, sortable: true },
  ],
};
