import { type RawBuilder, sql } from 'kysely';
import type { Deps } from '../server/deps';
import { ensureDefaultPipeline } from '../server/modules/pipelines/pipelines.seed';
import { createWorkspace } from '../server/modules/setup/setup.service';

/**
 * The data the pool benchmarks (recycle-bench, expiring-bench) share: a workspace with 50 owners
 * and customers/deals made by INSERT … SELECT over a number series in the database (ids are
 * deterministic functions of n, so the two benches' rules and checks can be written against them).
 */
export interface PoolBenchWorkspace {
  workspaceId: string;
  adminId: string;
  owners: string[];
  pipelineId: string;
  stageId: string;
  /** ISO time the data is relative to. */
  now: string;
}

export const ownerIdSql = (isPg: boolean, n: RawBuilder<unknown>) =>
  isPg ? sql`'00000000-0000-7000-9000-' || lpad((${n})::text, 12, '0')` : sql`printf('00000000-0000-7000-9000-%012d', ${n})`;
const customerIdSql = (isPg: boolean, n: RawBuilder<unknown>) =>
  isPg ? sql`'00000000-0000-7000-8000-' || lpad((${n})::text, 12, '0')` : sql`printf('00000000-0000-7000-8000-%012d', ${n})`;

/** SQL helpers over the series column `n`, per dialect. */
export function seriesSql(isPg: boolean, now: string) {
  return {
    customerId: customerIdSql(isPg, sql`n`),
    /** `expr` days before `now`, as the dialect's timestamp text. */
    ago: (expr: RawBuilder<unknown>) => (isPg ? sql`(${now}::timestamptz - (${expr}) * interval '1 day')` : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${now}, '-' || (${expr}) || ' days')`),
    /** FROM item yielding n = 1…count (SQLite: the CTE `prefix` declares). */
    series: (count: number) => (isPg ? sql`generate_series(1, ${count}) as g(n)` : sql`s`),
    prefix: (count: number) => (isPg ? sql`` : sql`with recursive s(n) as (select 1 union all select n + 1 from s where n < ${count})`),
  };
}

/** Workspace + admin + 50 owners (sharing the admin's password) + the default pipeline. */
export async function poolBenchWorkspace(deps: Deps, name: string, emailPrefix: string): Promise<PoolBenchWorkspace> {
  const { db } = deps;
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const { workspaceId, userId: adminId } = await createWorkspace(deps, { workspaceName: name, name: 'Admin', email: `${emailPrefix}-${nowMs}@example.com`, password: 'Bench-password-123', locale: 'zh-CN' }, { allowMore: true });
  const hash = (await db.selectFrom('users').select('passwordHash').where('id', '=', adminId).executeTakeFirstOrThrow()).passwordHash;
  const owners = Array.from({ length: 50 }, (_, i) => `00000000-0000-7000-9000-${String(i).padStart(12, '0')}`);
  await db
    .insertInto('users')
    .values(owners.map((id, i) => ({ id, workspaceId, email: `owner-${i}-${nowMs}@example.com`, name: `Owner ${i}`, phone: null, passwordHash: hash, departmentId: null, managerId: null, status: 'active' as const, locale: null, lockedUntil: null, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now })))
    .execute();
  const pipelineId = await ensureDefaultPipeline(db, workspaceId, now);
  const stage = await db.selectFrom('pipelineStages').select('id').where('workspaceId', '=', workspaceId).where('pipelineId', '=', pipelineId).limit(1).executeTakeFirstOrThrow();
  return { workspaceId, adminId, owners, pipelineId, stageId: stage.id, now };
}

/**
 * `total` customers: level A/B/C/none by n % 4, every 10th dealt, every 25th locked, owner and
 * follow-up/ownership ages as the caller's SQL over n says.
 */
export async function insertBenchCustomers(
  deps: Deps,
  ws: PoolBenchWorkspace,
  total: number,
  columns: { ownerOf: RawBuilder<unknown>; lastFollowupAt: RawBuilder<unknown>; ownerSince: RawBuilder<unknown> },
): Promise<void> {
  const s = seriesSql(deps.dialect === 'postgres', ws.now);
  await sql`${s.prefix(total)}
    insert into customers (id, workspace_id, name, name_key, kind, level, lifecycle_stage, deal_status, owner_id, locked, last_followup_at, owner_since, custom, created_by, created_at, updated_at)
    select ${s.customerId}, ${ws.workspaceId}, 'Customer ' || n, 'customer ' || n, 'company',
      case n % 4 when 0 then 'A' when 1 then 'B' when 2 then 'C' else null end,
      'prospect', case when n % 10 = 0 then 'dealt' else 'none' end, ${columns.ownerOf}, case when n % 25 = 0 then 1 else 0 end,
      ${columns.lastFollowupAt}, ${columns.ownerSince}, '{}', ${ws.adminId}, ${s.ago(sql`120`)}, ${ws.now}
    from ${s.series(total)}`.execute(deps.db);
}

/** One open deal (no owner) on every 10th customer, created 0–19 days ago; returns how many. */
export async function insertBenchDeals(deps: Deps, ws: PoolBenchWorkspace, customers: number): Promise<number> {
  const isPg = deps.dialect === 'postgres';
  const s = seriesSql(isPg, ws.now);
  const deals = Math.floor(customers / 10);
  const dealCustomer = customerIdSql(isPg, sql`n * 10 - 9`);
  const dealId = isPg ? sql`'00000000-0000-7000-a000-' || lpad(n::text, 12, '0')` : sql`printf('00000000-0000-7000-a000-%012d', n)`;
  await sql`${s.prefix(deals)}
    insert into deals (id, workspace_id, customer_id, name, pipeline_id, stage_id, amount_cents, status, owner_id, stage_entered_at, created_at, updated_at)
    select ${dealId}, ${ws.workspaceId}, ${dealCustomer}, 'Deal ' || n, ${ws.pipelineId}, ${ws.stageId}, 100000, 'open', null, ${ws.now}, ${s.ago(sql`n % 20`)}, ${ws.now}
    from ${s.series(deals)}`.execute(deps.db);
  return deals;
}
