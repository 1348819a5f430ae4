/**
 * Public pool 公海 recycling job (server/modules/pools/pools.recycle.ts) over 1,000,000 customers.
 * Customers (50 owners, levels A/B/C/none, follow-ups spread over 100 days, 10% dealt, 4% locked)
 * and 100,000 deals are generated straight in the database with one INSERT … SELECT each (a
 * recursive CTE on SQLite, generate_series on PostgreSQL). The default pool gets three rules
 * (every level: no follow-up 30 days; A: no follow-up 60 / not dealt 90; B: no deal 10) and the
 * job is timed. On PostgreSQL the data is generated again and two runners (separate connection
 * pools) sweep at once; the bench checks every customer was recycled exactly once.
 * Target: < 60 s.
 *
 *   node bin/run-ts.mjs bench/recycle-bench.ts [--dialect sqlite|postgres|both] [--customers 1000000]
 *     [--data-dir /tmp/haoke-recycle-bench] [--pg-url postgres://postgres@127.0.0.1:5432/test]
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../server/config';
import type { DialectName } from '../server/db/dialect';
import type { Deps } from '../server/deps';
import { ensureDefaultPipeline } from '../server/modules/pipelines/pipelines.seed';
import { ensureDefaultPool } from '../server/modules/pools/pools.repo';
import { recycleWorkspace } from '../server/modules/pools/pools.recycle';
import { createWorkspace } from '../server/modules/setup/setup.service';
import { prepare } from '../server/start';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'both' },
    customers: { type: 'string', default: '1000000' },
    'data-dir': { type: 'string', default: '/tmp/haoke-recycle-bench' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    /** Customers per batch transaction (default: the job's). */
    batch: { type: 'string' },
  },
  strict: true,
});
const total = Number(args.customers);
const sweepOptions = args.batch ? { batchSize: Number(args.batch) } : {};
const schema = 'recycle_bench';
const appName = 'haoke-recycle-bench';
const log = (line: string) => process.stdout.write(`${line}\n`);

async function open(dialect: DialectName) {
  const dataDir = path.join(args['data-dir'], dialect);
  fs.mkdirSync(dataDir, { recursive: true });
  const url = new URL(args['pg-url']);
  // application_name marks the bench's own backends, whose CPU time is read from /proc (backendCpu).
  url.searchParams.set('options', `-c search_path=${schema} -c application_name=${appName}`);
  const config = loadConfig({}, [], { dataDir, logLevel: 'silent', serveWeb: false, argon2MemoryKib: 1024, ...(dialect === 'postgres' ? { databaseUrl: url.toString() } : {}) });
  // pgSchema: migrations (and their lock table) go into the bench schema, as bench/kanban-bench.ts does.
  return prepare(config, dialect === 'postgres' ? { pgSchema: schema } : {});
}

async function reset(dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: args['pg-url'] });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.query(`create schema ${schema}`);
    await admin.end();
  } else {
    for (const f of ['haoke.db', 'haoke.db-wal', 'haoke.db-shm']) {
      fs.rmSync(path.join(args['data-dir'], 'sqlite', f), { force: true });
    }
  }
}

/** Generates the workspace, 50 owners, `total` customers and total/10 deals; returns the workspace id. */
async function generate(deps: Deps): Promise<string> {
  const started = performance.now();
  const { db } = deps;
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const { workspaceId, userId: adminId } = await createWorkspace(deps, { workspaceName: 'Recycle bench', name: 'Admin', email: `recycle-${nowMs}@example.com`, password: 'Bench-password-123', locale: 'zh-CN' }, { allowMore: true });
  const hash = (await db.selectFrom('users').select('passwordHash').where('id', '=', adminId).executeTakeFirstOrThrow()).passwordHash;
  const owners = Array.from({ length: 50 }, (_, i) => `00000000-0000-7000-9000-${String(i).padStart(12, '0')}`);
  await db
    .insertInto('users')
    .values(owners.map((id, i) => ({ id, workspaceId, email: `owner-${i}-${nowMs}@example.com`, name: `Owner ${i}`, phone: null, passwordHash: hash, departmentId: null, managerId: null, status: 'active' as const, locale: null, lockedUntil: null, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now })))
    .execute();
  const pipelineId = await ensureDefaultPipeline(db, workspaceId, now);
  const stage = await db.selectFrom('pipelineStages').select('id').where('workspaceId', '=', workspaceId).where('pipelineId', '=', pipelineId).limit(1).executeTakeFirstOrThrow();
  const isPg = deps.dialect === 'postgres';
  // n → deterministic customer fields; ages in days relative to now.
  const idOf = isPg ? sql`'00000000-0000-7000-8000-' || lpad(n::text, 12, '0')` : sql`printf('00000000-0000-7000-8000-%012d', n)`;
  const ownerOf = isPg ? sql`'00000000-0000-7000-9000-' || lpad((n % 50)::text, 12, '0')` : sql`printf('00000000-0000-7000-9000-%012d', n % 50)`;
  const ago = (expr: ReturnType<typeof sql>) => (isPg ? sql`(${now}::timestamptz - (${expr}) * interval '1 day')` : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${now}, '-' || (${expr}) || ' days')`);
  const series = isPg ? sql`generate_series(1, ${total}) as g(n)` : sql`s`;
  const prefix = isPg ? sql`` : sql`with recursive s(n) as (select 1 union all select n + 1 from s where n < ${total})`;
  await sql`${prefix}
    insert into customers (id, workspace_id, name, name_key, kind, level, lifecycle_stage, deal_status, owner_id, locked, last_followup_at, owner_since, custom, created_by, created_at, updated_at)
    select ${idOf}, ${workspaceId}, 'Customer ' || n, 'customer ' || n, 'company',
      case n % 4 when 0 then 'A' when 1 then 'B' when 2 then 'C' else null end,
      'prospect', case when n % 10 = 0 then 'dealt' else 'none' end, ${ownerOf}, case when n % 25 = 0 then 1 else 0 end,
      case when n % 3 = 0 then null else ${ago(sql`n % 100`)} end, ${ago(sql`n % 120`)}, '{}', ${adminId}, ${ago(sql`120`)}, ${now}
    from ${series}`.execute(db);
  const dealsPrefix = isPg ? sql`` : sql`with recursive s(n) as (select 1 union all select n + 1 from s where n < ${Math.floor(total / 10)})`;
  const dealSeries = isPg ? sql`generate_series(1, ${Math.floor(total / 10)}) as g(n)` : sql`s`;
  const dealCustomer = isPg ? sql`'00000000-0000-7000-8000-' || lpad((n * 10 - 9)::text, 12, '0')` : sql`printf('00000000-0000-7000-8000-%012d', n * 10 - 9)`;
  const dealId = isPg ? sql`'00000000-0000-7000-a000-' || lpad(n::text, 12, '0')` : sql`printf('00000000-0000-7000-a000-%012d', n)`;
  await sql`${dealsPrefix}
    insert into deals (id, workspace_id, customer_id, name, pipeline_id, stage_id, amount_cents, status, owner_id, stage_entered_at, created_at, updated_at)
    select ${dealId}, ${workspaceId}, ${dealCustomer}, 'Deal ' || n, ${pipelineId}, ${stage.id}, 100000, 'open', null, ${now}, ${ago(sql`n % 20`)}, ${now}
    from ${dealSeries}`.execute(db);
  await sql`analyze`.execute(db);
  const pool = await ensureDefaultPool(db, workspaceId, now);
  await db
    .updateTable('pools')
    .set({
      recycleEnabled: 1,
      exemptDealt: 1,
      exemptLocked: 1,
      rules: JSON.stringify([
        { level: null, noFollowupDays: 30, noDealDays: null, notDealtDays: null },
        { level: 'A', noFollowupDays: 60, noDealDays: null, notDealtDays: 90 },
        { level: 'B', noFollowupDays: null, noDealDays: 10, notDealtDays: null },
      ]),
    })
    .where('id', '=', pool.id)
    .execute();
  log(`${deps.dialect}: generated ${total} customers + ${Math.floor(total / 10)} deals in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return workspaceId;
}

/**
 * CPU seconds used so far by this bench's PostgreSQL backends (same machine: utime + stime from
 * /proc/<pid>/stat, in clock ticks of 1/100 s). PostgreSQL does the sweep's work in its own
 * processes, so this — not the bench process — is its CPU cost; null when /proc is not readable.
 */
async function backendCpu(deps: Deps): Promise<Map<number, number> | null> {
  const pids = await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${appName}`.execute(deps.db);
  const out = new Map<number, number>();
  for (const { pid } of pids.rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      return null;
    }
  }
  return out;
}

function cpuSince(before: Map<number, number> | null, after: Map<number, number> | null): string {
  if (!before || !after) {
    return 'n/a';
  }
  let total = 0;
  for (const [pid, seconds] of after) {
    total += seconds - (before.get(pid) ?? 0);
  }
  return `${total.toFixed(1)} s`;
}

async function verify(deps: Deps, workspaceId: string): Promise<{ recycled: number; duplicates: number; pooled: number }> {
  const recycled = Number((await deps.db.selectFrom('ownershipChanges').select(sql<number>`count(*)`.as('n')).where('workspaceId', '=', workspaceId).where('action', '=', 'recycle').executeTakeFirstOrThrow()).n);
  const duplicates = Number(
    (
      await sql<{ n: number }>`select count(*) as n from (select customer_id from ownership_changes where workspace_id = ${workspaceId} and action = 'recycle' group by customer_id having count(*) > 1) x`.execute(deps.db)
    ).rows[0]?.n ?? 0,
  );
  const pooled = Number((await deps.db.selectFrom('customers').select(sql<number>`count(*)`.as('n')).where('workspaceId', '=', workspaceId).where('ownerId', 'is', null).where('previousOwnerId', 'is not', null).executeTakeFirstOrThrow()).n);
  return { recycled, duplicates, pooled };
}

async function single(dialect: DialectName): Promise<void> {
  await reset(dialect);
  const { app, handle, deps } = await open(dialect);
  const workspaceId = await generate(deps);
  const pgBefore = dialect === 'postgres' ? await backendCpu(deps) : null;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await recycleWorkspace(deps, workspaceId, sweepOptions);
  const seconds = (performance.now() - started) / 1000;
  const pgCpu = dialect === 'postgres' ? `, PostgreSQL backends: ${cpuSince(pgBefore, await backendCpu(deps))} CPU` : '';
  // On SQLite the database works in this process: its CPU time is the sweep's cost on an idle machine.
  const used = process.cpuUsage(cpu);
  const check = await verify(deps, workspaceId);
  log(
    `${dialect}: one runner recycled ${result.recycled} of ${total} in ${seconds.toFixed(1)} s (this process: ${((used.user + used.system) / 1e6).toFixed(1)} s CPU${pgCpu}) ${JSON.stringify(result.byRule)}; history rows ${check.recycled}, duplicates ${check.duplicates}, in pool ${check.pooled}`,
  );
  const again = performance.now();
  const second = await recycleWorkspace(deps, workspaceId, sweepOptions);
  log(`${dialect}: a second sweep right after recycled ${second.recycled} in ${((performance.now() - again) / 1000).toFixed(1)} s`);
  await app.close();
  await handle.close();
}

async function concurrent(): Promise<void> {
  await reset('postgres');
  const first = await open('postgres');
  const workspaceId = await generate(first.deps);
  const second = await open('postgres');
  const pgBefore = await backendCpu(first.deps);
  const started = performance.now();
  const [a, b] = await Promise.all([recycleWorkspace(first.deps, workspaceId, sweepOptions), recycleWorkspace(second.deps, workspaceId, sweepOptions)]);
  const seconds = (performance.now() - started) / 1000;
  const pgCpu = cpuSince(pgBefore, await backendCpu(first.deps));
  const check = await verify(first.deps, workspaceId);
  log(`postgres: two runners at once recycled ${a.recycled} + ${b.recycled} = ${a.recycled + b.recycled} in ${seconds.toFixed(1)} s (PostgreSQL backends: ${pgCpu} CPU); history rows ${check.recycled}, customers recycled twice ${check.duplicates}, in pool ${check.pooled}`);
  if (check.duplicates !== 0 || check.recycled !== a.recycled + b.recycled || check.recycled !== check.pooled) {
    throw new Error('a customer was recycled more than once (or history and customers disagree)');
  }
  for (const x of [first, second]) {
    await x.app.close();
    await x.handle.close();
  }
}

const dialects: DialectName[] = args.dialect === 'both' ? ['sqlite', 'postgres'] : [args.dialect as DialectName];
for (const d of dialects) {
  await single(d);
}
if (dialects.includes('postgres')) {
  await concurrent();
}
