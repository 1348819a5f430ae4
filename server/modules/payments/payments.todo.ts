import { registerTodoSource } from '../todo/todo.registry';
import { countPlans } from './payment-plans.repo';
import { paymentContext } from './payments.policy';

// 待办: instalments of contracts the caller may see that are due soon (inside their reminder
// window) or overdue. Counted exactly like the lists they open.
registerTodoSource({
  key: 'paymentPlansDue',
  labelKey: 'todo.items.paymentPlansDue',
  link: '/payments?tab=plans&due=soon',
  order: 50,
  permission: 'payment:view',
  count: async (deps, ctx) => countPlans(deps.db, await paymentContext(deps, ctx.auth), 'soon', ctx.today),
});

registerTodoSource({
  key: 'paymentPlansOverdue',
  labelKey: 'todo.items.paymentPlansOverdue',
  link: '/payments?tab=plans&due=overdue',
  order: 51,
  permission: 'payment:view',
  count: async (deps, ctx) => countPlans(deps.db, await paymentContext(deps, ctx.auth), 'overdue', ctx.today),
});
