import { type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { fieldAccess, scopeFilter } from '../permissions/permissions.service';
import { leadVisibleCondition } from './leads.repo';

export const bySourceQuery = z.strictObject({
  from: z.iso.date().optional().describe('leads created on or after this day (UTC)'),
  to: z.iso.date().optional().describe('leads created on or before this day (UTC)'),
});

export const bySourceResult = z.object({
  data: z.array(z.object({ source: z.string().nullable(), total: z.number().int(), converted: z.number().int(), invalid: z.number().int(), conversionRate: z.number() })),
  total: z.number().int(),
  converted: z.number().int(),
});

/**
 * 线索来源转化: per source, how many leads (created in the period, in the caller's view scope)
 * there are and how many were converted. One GROUP BY over (workspace, source, status).
 */
export async function conversionBySource(deps: Deps, auth: AuthContext, query: z.infer<typeof bySourceQuery>): Promise<z.infer<typeof bySourceResult>> {
  if (fieldAccess(auth.permissions, 'lead', 'source').access === 'hidden') {
    throw new AppError('forbidden', { detail: 'The lead source is hidden for your role' });
  }
  const scope = await scopeFilter(deps, auth, 'lead', 'view');
  let q = deps.db
    .selectFrom('leads as l')
    .select([
      'l.source',
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`sum(case when l.status = 'converted' then 1 else 0 end)`.as('converted'),
      sql<number>`sum(case when l.status = 'invalid' then 1 else 0 end)`.as('invalid'),
    ])
    .where(sql<SqlBool>`l.workspace_id = ${auth.workspaceId}`)
    .where('l.deletedAt', 'is', null)
    .where(leadVisibleCondition(scope));
  if (query.from) {
    q = q.where('l.createdAt', '>=', `${query.from}T00:00:00.000Z`);
  }
  if (query.to) {
    q = q.where('l.createdAt', '<=', `${query.to}T23:59:59.999Z`);
  }
  const rows = await q.groupBy('l.source').execute();
  const data = rows
    .map((r) => {
      const total = Number(r.total);
      const converted = Number(r.converted);
      return { source: r.source, total, converted, invalid: Number(r.invalid), conversionRate: total === 0 ? 0 : Math.round((converted / total) * 10_000) / 10_000 };
    })
    .sort((a, b) => b.total - a.total || String(a.source).localeCompare(String(b.source)));
  return { data, total: data.reduce((s, r) => s + r.total, 0), converted: data.reduce((s, r) => s + r.converted, 0) };
}
