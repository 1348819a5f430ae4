import { sql, type SqlBool } from 'kysely';
import { scopeFilter } from '../permissions/permissions.service';
import { registerTodoSource } from '../todo/todo.registry';
import { contractScopeCondition } from './contracts.repo';

/** "Expiring soon" = approved contracts whose end date is today or within this many days. */
export const expiringWithinDays = 30;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

// 待办 "contracts expiring within N days": counted exactly as the list it opens
// (/contracts?expiringWithin=30 → GET /contracts?expiringWithin=30), data-scoped.
registerTodoSource({
  key: 'contractsExpiring',
  labelKey: 'contracts.todo.expiring',
  link: `/contracts?expiringWithin=${expiringWithinDays}`,
  order: 60,
  permission: 'contract:view',
  count: async (deps, ctx) => {
    const scope = await scopeFilter(deps, ctx.auth, 'contract', 'view');
    const row = await deps.db
      .selectFrom('contracts as k')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql<SqlBool>`k.workspace_id = ${ctx.auth.workspaceId}`)
      .where('k.deletedAt', 'is', null)
      .where('k.status', '=', 'approved')
      .where('k.endDate', '>=', ctx.today)
      .where('k.endDate', '<=', addDays(ctx.today, expiringWithinDays))
      .where(contractScopeCondition(scope))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
});
