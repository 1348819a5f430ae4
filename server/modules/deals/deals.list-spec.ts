import type { ListSpec } from '../../list/list-spec';

/** What a deal list may filter and sort on (api.md: field=…, field[op]=…, sort=-field). */
export const dealListSpec: ListSpec = {
  entity: 'deal',
  customColumn: 'd.custom',
  idColumn: 'd.id',
  defaultSort: '-createdAt',
  fields: [
    { name: 'name', column: 'd.name', type: 'text', nullable: false, sortable: true },
    { name: 'customerId', column: 'd.customer_id', type: 'id', nullable: false, sortable: false },
    { name: 'contactId', column: 'd.contact_id', type: 'id', nullable: true, sortable: false },
    { name: 'leadId', column: 'd.lead_id', type: 'id', nullable: true, sortable: false },
    { name: 'pipelineId', column: 'd.pipeline_id', type: 'id', nullable: false, sortable: false },
    { name: 'stageId', column: 'd.stage_id', type: 'id', nullable: false, sortable: false },
    { name: 'status', column: 'd.status', type: 'enum', nullable: false, sortable: false },
    { name: 'amount', column: 'd.amount_cents', type: 'money', nullable: false, sortable: true, permissionField: 'amount' },
    { name: 'expectedCloseDate', column: 'd.expected_close_date', type: 'date', nullable: true, sortable: true, permissionField: 'expectedCloseDate' },
    { name: 'source', column: 'd.source', type: 'enum', nullable: true, sortable: false, permissionField: 'source' },
    { name: 'ownerId', column: 'd.owner_id', type: 'id', nullable: true, sortable: false, permissionField: 'owner' },
    { name: 'createdBy', column: 'd.created_by', type: 'id', nullable: true, sortable: false },
    { name: 'createdAt', column: 'd.created_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'updatedAt', column: 'd.updated_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'closedAt', column: 'd.closed_at', type: 'datetime', nullable: true, sortable: true },
    { name: 'stageEnteredAt', column: 'd.stage_entered_at', type: 'datetime', nullable: false, sortable: false },
    { name: 'lastFollowupAt', column: 'd.last_followup_at', type: 'datetime', nullable: true, sortable: false },
    { name: 'nextFollowupAt', column: 'd.next_followup_at', type: 'datetime', nullable: true, sortable: false },
  ],
};
