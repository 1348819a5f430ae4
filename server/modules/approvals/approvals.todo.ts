import { registerTodoSource } from '../todo/todo.registry';
import { countPendingTasks } from './approvals.view';

// 待办 "approvals waiting for me": my pending tasks, the length of /approvals?tab=waiting.
registerTodoSource({
  key: 'approvalsWaiting',
  labelKey: 'approvals.todo.waiting',
  link: '/approvals?tab=waiting',
  order: 40,
  count: async (deps, ctx) => (ctx.userId ? countPendingTasks(deps, ctx.auth.workspaceId, ctx.userId) : 0),
});
