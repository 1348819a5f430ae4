import type { ListSpec } from '../../list/list-spec';

/**
 * What the follow-up records list (跟进记录) may filter and sort on: GET /follow-ups and follow-up
 * exports parse their query with it (api.md: field=…, field[op]=…, sort=-field). `ownerId` is the
 * author. Follow-ups have no custom fields: no definitions are ever passed, so `customColumn` is
 * never read.
 */
export const followUpListSpec: ListSpec = {
  entity: 'followUp',
  customColumn: 'f.custom',
  idColumn: 'f.id',
  defaultSort: '-createdAt',
  fields: [
    { name: 'entity', column: 'f.entity', type: 'enum', nullable: false, sortable: false },
    { name: 'recordId', column: 'f.record_id', type: 'id', nullable: false, sortable: false },
    { name: 'customerId', column: 'f.customer_id', type: 'id', nullable: true, sortable: false },
    { name: 'contactId', column: 'f.contact_id', type: 'id', nullable: true, sortable: false },
    { name: 'ownerId', column: 'f.owner_id', type: 'id', nullable: false, sortable: false },
    { name: 'type', column: 'f.type', type: 'enum', nullable: false, sortable: false },
    { name: 'content', column: 'f.content', type: 'text', nullable: false, sortable: false },
    { name: 'createdAt', column: 'f.created_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'nextFollowupAt', column: 'f.next_followup_at', type: 'datetime', nullable: true, sortable: false },
  ],
};
