import type { ListSpec } from '../../list/list-spec';

/**
 * What an export of payments may filter and sort on (the `field` / `field[op]` keys of POST
 * /exports). Only created_at is sortable: it is the one with a (workspace_id, created_at, id)
 * index (migration 0011), and the payments list is newest first too. Payments have no custom
 * fields: `customColumn` names no column and is never read (no definitions exist for 'payment').
 */
export const paymentListSpec: ListSpec = {
  entity: 'payment',
  customColumn: 'p.custom',
  idColumn: 'p.id',
  defaultSort: '-createdAt',
  fields: [
    { name: 'contractId', column: 'p.contract_id', type: 'id', nullable: false, sortable: false },
    { name: 'customerId', column: 'p.customer_id', type: 'id', nullable: false, sortable: false },
    { name: 'planId', column: 'p.plan_id', type: 'id', nullable: true, sortable: false },
    { name: 'ownerId', column: 'p.owner_id', type: 'id', nullable: true, sortable: false },
    { name: 'status', column: 'p.status', type: 'enum', nullable: false, sortable: false },
    { name: 'amount', column: 'p.amount_cents', type: 'money', nullable: false, sortable: false },
    { name: 'paidOn', column: 'p.paid_on', type: 'date', nullable: false, sortable: false },
    { name: 'method', column: 'p.method', type: 'text', nullable: false, sortable: false, permissionField: 'method' },
    { name: 'approvedAt', column: 'p.approved_at', type: 'datetime', nullable: true, sortable: false },
    { name: 'createdAt', column: 'p.created_at', type: 'datetime', nullable: false, sortable: true },
  ],
};
