import type { ListSpec } from '../../list/list-spec';

/** What a product list may filter and sort on. */
export const productListSpec: ListSpec = {
  entity: 'product',
  customColumn: 'p.custom',
  idColumn: 'p.id',
  defaultSort: 'name',
  fields: [
    { name: 'name', column: 'p.name', type: 'text', nullable: false, sortable: true },
    { name: 'code', column: 'p.code', type: 'text', nullable: true, sortable: false, permissionField: 'code' },
    { name: 'unit', column: 'p.unit', type: 'text', nullable: true, sortable: false },
    { name: 'price', column: 'p.price_cents', type: 'money', nullable: false, sortable: true, permissionField: 'price' },
    { name: 'categoryId', column: 'p.category_id', type: 'id', nullable: true, sortable: false },
    { name: 'active', column: 'p.active', type: 'boolean', nullable: false, sortable: false },
    { name: 'createdAt', column: 'p.created_at', type: 'datetime', nullable: false, sortable: true },
    { name: 'updatedAt', column: 'p.updated_at', type: 'datetime', nullable: false, sortable: true },
  ],
};
