import { registerEntity } from '../../../common/permissions';

// Targets 业绩目标: view = see targets and achievement of users in scope; edit = set them
// (a manager sets their subordinates'). Department targets need scope 'all' or leading the department.
registerEntity(
  { key: 'target', actions: ['view', 'edit'], scoped: true, fields: [] },
  {
    sales: { view: 'own' },
    sales_manager: { view: 'subordinates', edit: 'subordinates' },
  },
);
