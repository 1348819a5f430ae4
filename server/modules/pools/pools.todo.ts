import { registerTodoSource } from '../todo/todo.registry';
import { countExpiring } from './pools.warnings';

// 待办: my customers the daily job will take back to the pool within the warning window; counted
// with the list's own query up to the list's length (expiringCap), "1,000+" above it.
registerTodoSource({
  key: 'customersAboutToBeRecycled',
  labelKey: 'todo.items.customersAboutToBeRecycled',
  link: '/pools/expiring',
  order: 20,
  permission: 'customer:view',
  count: async (deps, ctx) => (ctx.userId ? countExpiring(deps, ctx.auth.workspaceId, ctx.userId) : 0),
});
