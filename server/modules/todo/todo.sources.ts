import type { Deps } from '../../deps';
import { mineKinds } from '../follow-ups/follow-ups.mine';
import { countMine } from '../follow-ups/follow-ups.mine-repo';
import { registerTodoSource, type TodoContext } from './todo.registry';

// The follow-up agenda's counters, counted exactly as /follow-ups/mine counts them (my customers,
// contacts, open deals and open leads by next follow-up time: overdue = before now, today = now … midnight in the
// workspace's time zone), so the number on the home page is the length of the list it opens.
// Both sources share one query per request.
const agendaCounts = new WeakMap<TodoContext, ReturnType<typeof countMine>>();

function agenda(deps: Deps, ctx: TodoContext) {
  let counts = agendaCounts.get(ctx);
  if (!counts) {
    counts = countMine(deps.db, ctx.auth.workspaceId, ctx.userId ?? '', mineKinds(ctx.auth), ctx.nowIso, ctx.tomorrowStartIso);
    agendaCounts.set(ctx, counts);
  }
  return counts;
}

registerTodoSource({
  key: 'followUpsToday',
  labelKey: 'todo.items.followUpsToday',
  link: '/follow-ups?bucket=today',
  order: 10,
  permission: 'followUp:view',
  count: async (deps, ctx) => (await agenda(deps, ctx)).today,
});

registerTodoSource({
  key: 'followUpsOverdue',
  labelKey: 'todo.items.followUpsOverdue',
  link: '/follow-ups?bucket=overdue',
  order: 11,
  permission: 'followUp:view',
  count: async (deps, ctx) => (await agenda(deps, ctx)).overdue,
});
