import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { workspaceTimezone } from '../follow-ups/follow-ups.repo';
import { startOfNextDay } from '../follow-ups/follow-ups.time';
import { can } from '../permissions/permissions.service';
import { type TodoContext, todoSources } from './todo.registry';
import type { TodoList } from './todo.schema';

/** The calendar date of an instant in a time zone, `YYYY-MM-DD`. */
export function dateInZone(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  }
}

/** Builds the context every source counts in: one time-zone lookup per request. */
export async function todoContext(deps: Deps, auth: AuthContext): Promise<TodoContext> {
  const now = deps.now();
  const timeZone = await workspaceTimezone(deps.db, auth.workspaceId);
  const tomorrow = startOfNextDay(now, timeZone);
  // 36 h before tomorrow's midnight is always inside yesterday (days are 23–25 h long).
  const today = startOfNextDay(new Date(tomorrow.getTime() - 36 * 3_600_000), timeZone);
  return {
    auth,
    userId: auth.userId,
    now,
    nowIso: now.toISOString(),
    timeZone,
    todayStartIso: today.toISOString(),
    tomorrowStartIso: tomorrow.toISOString(),
    today: dateInZone(now, timeZone),
  };
}

/**
 * 待办: every registered counter for the caller, in parallel. Items whose permission the caller
 * lacks are left out; a caller without a user (an API key) gets zeros, as nothing is "theirs".
 */
export async function listTodo(deps: Deps, auth: AuthContext): Promise<TodoList> {
  const ctx = await todoContext(deps, auth);
  const sources = todoSources().filter((s) => !s.permission || can(auth.permissions, s.permission));
  const counts = await Promise.all(sources.map(async (s) => (ctx.userId ? s.count(deps, ctx) : 0)));
  return {
    data: sources.map((s, i) => {
      const counted = counts[i] ?? 0;
      const { total, exact } = typeof counted === 'number' ? { total: counted, exact: true } : counted;
      return { key: s.key, labelKey: s.labelKey, link: s.link, count: Math.max(0, Math.trunc(Number(total))), countExact: exact };
    }),
    today: ctx.today,
  };
}
