import { registerTodoSource } from '../todo/todo.registry';
import { countOpenLeadsOf } from './leads.repo';

// 待办 "leads assigned to me": my open leads (new, contacted, qualified), one indexed count.
registerTodoSource({
  key: 'leadsAssigned',
  labelKey: 'todo.items.leadsAssigned',
  link: '/leads?mine=open',
  order: 20,
  permission: 'lead:view',
  count: async (deps, ctx) => (ctx.userId ? countOpenLeadsOf(deps.db, ctx.auth.workspaceId, ctx.userId) : 0),
});
