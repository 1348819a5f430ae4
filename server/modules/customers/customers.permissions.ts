import { registerEntity } from '../../../common/permissions';

/**
 * The catalog field each writable customer property belongs to (the address parts share one), for
 * field-permission checks on writes: the API's create and update, and the importer's columns.
 */
export const customerFieldOf = {
  phone: 'phone',
  email: 'email',
  website: 'website',
  level: 'level',
  source: 'source',
  industry: 'industry',
  lifecycleStage: 'lifecycleStage',
  province: 'address',
  city: 'address',
  district: 'address',
  address: 'address',
  remark: 'remark',
} as const satisfies Record<string, string>;

// Customers and what hangs off them register with the permission engine here; importing this
// file (server/modules/catalog.ts does) is what makes them known to roles, seeds and the guard.
registerEntity(
  {
    key: 'customer',
    actions: ['view', 'create', 'edit', 'delete', 'export', 'import', 'transfer', 'assign'],
    scoped: true,
    fields: [
      { key: 'phone', mask: 'phone' },
      { key: 'email', mask: 'email' },
      { key: 'website' },
      { key: 'level' },
      { key: 'source' },
      { key: 'industry' },
      { key: 'lifecycleStage' },
      { key: 'address', mask: 'text' },
      { key: 'remark' },
      { key: 'owner' },
      { key: 'tags' },
    ],
  },
  {
    sales: { view: 'own', create: 'own', edit: 'own', delete: 'own', export: 'own', import: 'own', transfer: 'own' },
    sales_manager: {
      view: 'subordinates',
      create: 'subordinates',
      edit: 'subordinates',
      delete: 'subordinates',
      export: 'subordinates',
      import: 'subordinates',
      transfer: 'subordinates',
      assign: 'subordinates',
    },
    service_agent: { view: 'all' },
    marketer: { view: 'all', export: 'all' },
  },
);

registerEntity(
  {
    key: 'contact',
    actions: ['view', 'create', 'edit', 'delete', 'export', 'import'],
    scoped: true,
    fields: [
      { key: 'phone', mask: 'phone' },
      { key: 'email', mask: 'email' },
      { key: 'wechat', mask: 'text' },
      { key: 'title' },
      { key: 'remark' },
    ],
  },
  {
    sales: { view: 'own', create: 'own', edit: 'own', delete: 'own', export: 'own', import: 'own' },
    sales_manager: { view: 'subordinates', create: 'subordinates', edit: 'subordinates', delete: 'subordinates', export: 'subordinates', import: 'subordinates' },
    service_agent: { view: 'all' },
    marketer: { view: 'all', export: 'all' },
  },
);

registerEntity(
  { key: 'followUp', actions: ['view', 'create', 'edit', 'delete', 'export'], scoped: true, fields: [] },
  {
    sales: { view: 'own', create: 'own', edit: 'own', delete: 'own', export: 'own' },
    sales_manager: { view: 'subordinates', create: 'subordinates', edit: 'subordinates', delete: 'subordinates', export: 'subordinates' },
    service_agent: { view: 'all', create: 'own' },
    marketer: { view: 'all' },
  },
);

registerEntity({ key: 'customField', actions: ['create', 'edit', 'delete'], scoped: false, fields: [] });
registerEntity({ key: 'picklist', actions: ['edit'], scoped: false, fields: [] });
registerEntity(
  { key: 'tag', actions: ['create', 'edit', 'delete'], scoped: false, fields: [] },
  { sales: { create: 'all' }, sales_manager: { create: 'all', edit: 'all' }, marketer: { create: 'all' } },
);
