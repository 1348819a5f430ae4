import { companyKey } from '../../../common/normalize';
import type { ListSpec } from '../../list/list-spec';

/** What a customer list may filter and sort on (api.md: field=…, field[op]=…, sort=-field). */
export const customerListSpec: ListSpec = {
  entity: 'customer',
  customColumn: 'c.custom',
  idColumn: 'c.id',
  defaultSort: '-createdAt',
  fields: [
    // By name means by the normalised name (case, width, punctuation and company suffixes folded,
    // ties by id): the key index the duplicate checks need serves the sort and `name=` filters, and
    // no second index on the name costs every insert (migration 0021).
    {
      name: 'name',
      column: 'c.name',
      type: 'text',
      nullable: false,
      sortable: true,
      sortBy: { column: 'c.name_key', rowKey: 'nameKey' },
      keyedBy: { column: 'c.name_key', key: companyKey },
    },
    { name: 'kind', column: 'c.kind', type: 'enum', nullable: false, sortable: false },
    { name: 'phone', column: 'c.phone', type: 'text', nullable: true, sortable: false, permissionField: 'phone' },
    { name: 'email', column: 'c.email', type: 'text', nullable: true, sortable: false, permissionField: 'email' },
    { name: 'level', column: 'c.level', type: 'enum', nullable: true, sortable: true, permissionField: 'level' },
    { name: 'source', column: 'c.source', type: 'enum', nullable: true, sortable: true, permissionField: 'source' },
    { name: 'industry', column: 'c.industry', type: 'enum', nullable: true, sortable: true, permissionField: 'industry' },
    { name: 'lifecycleStage', column: 'c.lifecycle_stage', type: 'enum', nullable: false, sortable: true, permissionField: 'lifecycleStage' },
    { name: 'dealStatus', column: 'c.deal_status', type: 'enum', nullable: false, sortable: true },
    { name: 'ownerId', column: 'c.owner_id', type: 'id', nullable: true, sortable: false, permissionField: 'owner' },
    { name: 'locked', column: 'c.locked', type: 'boolean', nullable: false, sortable: false },
    { name: 'province', column: 'c.province', type: 'text', nullable: true, sortable: true, permissionField: 'address' },
    { name: 'city', column: 'c.city', type: 'text', nullable: true, sortable: true, permissionField: 'address' },
    { name: 'createdBy', column: 'c.created_by', type: 'id', nullable: true, sortable: false },
    { name: 'createdAt', column: 'c.created_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'updatedAt', column: 'c.updated_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'lastFollowupAt', column: 'c.last_followup_at', type: 'datetime', nullable: true, sortable: true },
    { name: 'nextFollowupAt', column: 'c.next_followup_at', type: 'datetime', nullable: true, sortable: true },
    { name: 'deletedAt', column: 'c.deleted_at', type: 'datetime', nullable: true, sortable: true },
  ],
};
