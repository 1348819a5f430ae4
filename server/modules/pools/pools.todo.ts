import { registerTodoSource } from '../todo/todo.registry';
import { countExpiring } from './pools.warnings';

// 待办: my customers the daily job will take back to the pool within the warning window.
registerTodoSource({
  key: 'customersAboutToBeRecycled',
  labelKey: 'todo.items.customersAboutToBeRecycled',
  link: '/pools/expiring',
  order: 20,
  permission: 'customer:view',
  count: async (deps, ctx) => (ctx.userId ? countExpiring(deps, ctx.auth.workspaceId, ctx.userId) : 0),
});
