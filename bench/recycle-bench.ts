/**
 * Public pool 公海 recycling job (server/modules/pools/pools.recycle.ts) over 1,000,000 customers.
 * Customers (50 owners, levels A/B/C/none, follow-ups spread over 100 days, 10% dealt, 4% locked),
 * `--contacts` contacts per customer (with the customer's owner) and 100,000 deals are generated
 * straight in the database with one INSERT … SELECT each (a recursive CTE on SQLite,
 * generate_series on PostgreSQL), their secondary indexes dropped for the load and rebuilt after
 * (bench/bulk.ts). With `--search-docs on` the search entries of customers and contacts are made
 * by the search module's own bulk fill (what reindexWorkspace does; on PostgreSQL it drops the
 * GIN / trigram indexes of search_docs for the load and builds them after). The default pool gets
 * three rules (every level: no follow-up 30 days; A: no follow-up 60 / not dealt 90; B: no deal
 * 10) and the job is timed, with a per-statement profile; then the result is checked (nothing
 * due left owned, no contact or search entry of a recycled customer still counting as owned, one
 * history row per recycled customer).
 * On PostgreSQL (`--concurrent on`) the data is generated again and two runners (separate
 * connection pools) sweep at once. Target: < 60 s.
 *
 *   node bin/run-ts.mjs bench/recycle-bench.ts [--dialect sqlite|postgres|both] [--customers 1000000]
 *     [--contacts 2] [--search-docs on|off] [--concurrent on|off] [--parallelism 2] [--batch N]
 *     [--data-dir /tmp/haoke-recycle-bench] [--reuse-sqlite] [--reuse-pg] [--pg-url postgres://postgres@127.0.0.1:5432/test]
 *
 * `--reuse-pg` does the same on PostgreSQL with a snapshot database (CREATE DATABASE … TEMPLATE) and
 * works in the database haoke_recycle_bench instead of --pg-url's.
 * `--reuse-sqlite` keeps a copy of the generated SQLite file (and when it was made) in --data-dir
 * and starts from that copy when one of the same size exists; the job then runs "as of" the
 * generation time, so a snapshot reused days later sweeps the same customers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { recreatePgSchema } from './pg-schema';
import { loadConfig } from '../server/config';
import type { DialectName } from '../server/db/dialect';
import type { Deps } from '../server/deps';
import { ensureDefaultPool } from '../server/modules/pools/pools.repo';
import { countRecyclable } from '../server/modules/pools/pools.preview';
import { recycleWorkspace } from '../server/modules/pools/pools.recycle';
import { fillWorkspaceIndex } from '../server/modules/search/search.rebuild';
import { prepare } from '../server/start';
import { dropPgIndexes, dropSqliteIndexes } from './bulk';
import { insertBenchCustomers, insertBenchDeals, ownerIdSql, poolBenchWorkspace, seriesSql } from './pool-bench-data';
import { assertCheck, checkLine, verify } from './recycle-check';
import { StatementProfile } from './recycle-profile';

const onOff = (name: string, value: string) => {
  if (value !== 'on' && value !== 'off') {
    throw new Error(`--${name} must be on or off`);
  }
  return value === 'on';
};

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'both' },
    customers: { type: 'string', default: '1000000' },
    /** Contacts per customer (each with the customer's owner). */
    contacts: { type: 'string', default: '2' },
    /** Search entries for customers and contacts, as the app keeps them. */
    'search-docs': { type: 'string', default: 'on' },
    /** PostgreSQL: the phase with two runners at once (generates the data again). */
    concurrent: { type: 'string', default: 'on' },
    /** PostgreSQL: id ranges per runner (the job's `parallelism`; default: the job's). */
    parallelism: { type: 'string' },
    'data-dir': { type: 'string', default: '/tmp/haoke-recycle-bench' },
    'reuse-sqlite': { type: 'boolean', default: false },
    /** PostgreSQL: work in a database of its own, kept as a template snapshot for the next run of the same size. */
    'reuse-pg': { type: 'boolean', default: false },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    /**
     * Then the next nightly runs: the job again as of 1, 2, … N days later (the customers whose
     * timers ran out on that day), timed — the steady state after the first run.
     */
    'then-days': { type: 'string', default: '0' },
    /** Customers per batch transaction (default: the job's). */
    batch: { type: 'string' },
  },
  strict: true,
});
const total = Number(args.customers);
const contactsPer = Number(args.contacts);
const searchDocs = onOff('search-docs', args['search-docs']);
const concurrentPhase = onOff('concurrent', args.concurrent);
const sweepOptions = { ...(args.batch ? { batchSize: Number(args.batch) } : {}), ...(args.parallelism ? { parallelism: Number(args.parallelism) } : {}) };
const schema = 'recycle_bench';
const appName = 'haoke-recycle-bench';
const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/** --reuse-pg: the database the run works in (copied from the snapshot); otherwise the one in --pg-url. */
const workDatabase = 'haoke_recycle_bench';
const pgUrl = () => {
  const url = new URL(args['pg-url']);
  if (args['reuse-pg']) {
    url.pathname = `/${workDatabase}`;
  }
  // application_name marks the bench's own backends, whose CPU time is read from /proc (backendCpu).
  url.searchParams.set('options', `-c search_path=${schema} -c application_name=${appName}`);
  return url.toString();
};
const sqliteDir = () => path.join(args['data-dir'], 'sqlite');
const sqliteFile = () => path.join(sqliteDir(), 'haoke.db');
const snapshotBase = () => path.join(args['data-dir'], `snapshot-${total}-c${contactsPer}-s${searchDocs ? 'on' : 'off'}`);

async function open(dialect: DialectName) {
  const dataDir = path.join(args['data-dir'], dialect);
  fs.mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({}, [], { dataDir, logLevel: 'silent', serveWeb: false, argon2MemoryKib: 1024, ...(dialect === 'postgres' ? { databaseUrl: pgUrl() } : {}) });
  // pgSchema: migrations (and their lock table) go into the bench schema, as bench/kanban-bench.ts does.
  return prepare(config, dialect === 'postgres' ? { pgSchema: schema } : {});
}

async function reset(dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    if (args['reuse-pg']) {
      await adminQuery(`drop database if exists ${workDatabase} with (force)`, `create database ${workDatabase}`);
    }
    const url = new URL(args['pg-url']);
    if (args['reuse-pg']) {
      url.pathname = `/${workDatabase}`;
    }
    await recreatePgSchema(url.toString(), schema);
  } else {
    for (const f of ['haoke.db', 'haoke.db-wal', 'haoke.db-shm']) {
      fs.rmSync(path.join(sqliteDir(), f), { force: true });
    }
  }
}

const bulkTables = ['customers', 'contacts', 'deals'];

/**
 * Drops the secondary indexes of the bulk-loaded tables (bench/bulk.ts, as bench/generate.ts
 * does) on a connection of its own; returns a function that builds them again.
 */
async function withoutIndexes(dialect: DialectName): Promise<() => Promise<void>> {
  if (dialect === 'sqlite') {
    const raw = new SQLite(sqliteFile());
    const ddl = dropSqliteIndexes(raw, bulkTables);
    return () => {
      raw.pragma('threads = 2');
      raw.pragma('cache_size = -1000000');
      for (const statement of ddl) {
        raw.exec(statement);
      }
      raw.close();
      return Promise.resolve();
    };
  }
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  const ddl = await dropPgIndexes(client, schema, bulkTables);
  return async () => {
    await client.query(`set maintenance_work_mem = '512MB'; set max_parallel_maintenance_workers = 2`);
    for (const statement of ddl) {
      await client.query(statement);
    }
    await client.end();
  };
}

interface Generated {
  workspaceId: string;
  /** The generator's "now": data ages count from it, and the job runs as of it. */
  at: string;
}

/** Generates the workspace, 50 owners, `total` customers with their contacts, total/10 deals and (optionally) search entries. */
async function generate(deps: Deps): Promise<Generated> {
  const started = performance.now();
  const { db } = deps;
  const ws = await poolBenchWorkspace(deps, 'Recycle bench', 'recycle');
  const { workspaceId, adminId, now } = ws;
  const isPg = deps.dialect === 'postgres';
  const restoreIndexes = await withoutIndexes(deps.dialect);
  // n → deterministic customer fields; ages in days relative to now.
  const { customerId: idOf, ago, series, prefix } = seriesSql(isPg, now);
  const ownerOf = ownerIdSql(isPg, sql`n % 50`);
  await insertBenchCustomers(deps, ws, total, { ownerOf, lastFollowupAt: sql`case when n % 3 = 0 then null else ${ago(sql`n % 100`)} end`, ownerSince: ago(sql`n % 120`) });
  if (contactsPer > 0) {
    // Contact k of customer n: id n·contactsPer + k, the customer's owner, a mobile number for the search entry.
    const contactId = isPg ? sql`'00000000-0000-7000-b000-' || lpad((n * ${contactsPer} + k)::text, 12, '0')` : sql`printf('00000000-0000-7000-b000-%012d', n * ${contactsPer} + k)`;
    const phone = isPg ? sql`'138' || lpad(((n * ${contactsPer} + k) % 100000000)::text, 8, '0')` : sql`printf('138%08d', (n * ${contactsPer} + k) % 100000000)`;
    const perCustomer = isPg ? sql`generate_series(0, ${contactsPer - 1}) as h(k)` : sql`(with recursive h(k) as (select 0 union all select k + 1 from h where k < ${contactsPer - 1}) select k from h)`;
    await sql`${prefix(total)}
      insert into contacts (id, workspace_id, customer_id, owner_id, name, phone, phone_key, is_primary, custom, created_by, created_at, updated_at)
      select ${contactId}, ${workspaceId}, ${idOf}, ${ownerOf}, 'Contact ' || n || '-' || k, ${phone}, ${phone}, case when k = 0 then 1 else 0 end, '{}', ${adminId}, ${now}, ${now}
      from ${series(total)} cross join ${perCustomer}`.execute(db);
  }
  const deals = await insertBenchDeals(deps, ws, total);
  log(`${deps.dialect}: loaded ${total} customers, ${total * contactsPer} contacts, ${deals} deals in ${seconds(started)} s`);
  let step = performance.now();
  await restoreIndexes();
  await sql`analyze`.execute(db);
  log(`${deps.dialect}: indexes rebuilt + analyze in ${seconds(step)} s`);
  if (searchDocs) {
    step = performance.now();
    // The search module's bulk fill (what reindexWorkspace runs for a workspace without docs);
    // rebuildIndexes: search_docs' secondary (PostgreSQL: GIN / trigram) indexes dropped for the load.
    const docs = await fillWorkspaceIndex(db, deps.dialect, workspaceId, { rebuildIndexes: true });
    log(`${deps.dialect}: ${docs} search entries in ${seconds(step)} s`);
  }
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
  if (isPg) {
    // A live database has been vacuumed: autovacuum (on by default; off on this CI server) visits a
    // table soon after a million inserts. Unvacuumed, no page is all-visible and no tuple has its
    // hint bits, and the sweep pays for both: measured 100.2 s against 58.1 s for the same sweep on
    // a vacuumed copy (docs/sales-pools.md).
    step = performance.now();
    await sql`vacuum (analyze)`.execute(db);
    log(`${deps.dialect}: vacuum (analyze) in ${seconds(step)} s`);
  }
  log(`${deps.dialect}: generated in ${seconds(started)} s`);
  return { workspaceId, at: now };
}

/**
 * SQLite with --reuse-sqlite: the database file from a snapshot of an earlier generation of the
 * same size when there is one; otherwise generated, and a snapshot kept for the next run.
 */
async function sqliteData(): Promise<{ opened: Awaited<ReturnType<typeof open>>; data: Generated }> {
  const snapshot = snapshotBase();
  if (args['reuse-sqlite'] && fs.existsSync(`${snapshot}.db`) && fs.existsSync(`${snapshot}.json`)) {
    const started = performance.now();
    await reset('sqlite');
    fs.mkdirSync(sqliteDir(), { recursive: true });
    fs.copyFileSync(`${snapshot}.db`, sqliteFile());
    const data = JSON.parse(fs.readFileSync(`${snapshot}.json`, 'utf8')) as Generated;
    log(`sqlite: copied the snapshot ${snapshot}.db (generated ${data.at}) in ${seconds(started)} s`);
    return { opened: await open('sqlite'), data };
  }
  await reset('sqlite');
  let opened = await open('sqlite');
  const data = await generate(opened.deps);
  if (args['reuse-sqlite']) {
    await opened.app.close();
    await opened.handle.close();
    // Closing the last connection checkpoints the WAL into the file: the copy is the whole database.
    fs.copyFileSync(sqliteFile(), `${snapshot}.db`);
    fs.writeFileSync(`${snapshot}.json`, `${JSON.stringify(data)}\n`);
    log(`sqlite: snapshot kept in ${snapshot}.db`);
    opened = await open('sqlite');
  }
  return { opened, data };
}

/** Runs statements on the server's maintenance connection (the database in --pg-url), one by one. */
async function adminQuery(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: args['pg-url'] });
  await client.connect();
  try {
    for (const statement of statements) {
      await client.query(statement);
    }
  } finally {
    await client.end();
  }
}

const pgSnapshotName = () => `haoke_rb_snap_${total}_c${contactsPer}_s${searchDocs ? 'on' : 'off'}`;

/**
 * PostgreSQL with --reuse-pg: the work database is copied (CREATE DATABASE … TEMPLATE, a file copy)
 * from a snapshot of an earlier generation of the same size when there is one; otherwise generated
 * and kept as that snapshot. Either way the sweep starts from identical data.
 */
async function pgData(): Promise<{ opened: Awaited<ReturnType<typeof open>>; data: Generated }> {
  const snapshot = pgSnapshotName();
  const meta = path.join(args['data-dir'], `${snapshot}.json`);
  const client = new pg.Client({ connectionString: args['pg-url'] });
  await client.connect();
  const exists = (await client.query('select 1 from pg_database where datname = $1', [snapshot])).rowCount === 1;
  await client.end();
  if (args['reuse-pg'] && exists && fs.existsSync(meta)) {
    const started = performance.now();
    await adminQuery(`drop database if exists ${workDatabase} with (force)`, `create database ${workDatabase} template ${snapshot} strategy file_copy`);
    const data = JSON.parse(fs.readFileSync(meta, 'utf8')) as Generated;
    log(`postgres: copied the snapshot database ${snapshot} (generated ${data.at}) in ${seconds(started)} s`);
    return { opened: await open('postgres'), data };
  }
  await reset('postgres');
  let opened = await open('postgres');
  const data = await generate(opened.deps);
  if (args['reuse-pg']) {
    await opened.app.close();
    await opened.handle.close();
    await adminQuery(`drop database if exists ${snapshot}`, `create database ${snapshot} template ${workDatabase} strategy file_copy`);
    fs.mkdirSync(args['data-dir'], { recursive: true });
    fs.writeFileSync(meta, `${JSON.stringify(data)}\n`);
    log(`postgres: snapshot kept in the database ${snapshot}`);
    opened = await open('postgres');
  }
  return { opened, data };
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

/**
 * The whole machine's CPU seconds from /proc/stat (busy: user+nice+system+irq+softirq+steal; and
 * iowait): PostgreSQL's checkpointer, background and WAL writers work for the sweep too, outside
 * the bench's backends. Includes anything else running, so read it on a quiet machine.
 */
function machineCpu(): { busy: number; iowait: number } | null {
  try {
    const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    return { busy: (user + nice + system + irq + softirq + steal) / 100, iowait: iowait / 100 };
  } catch {
    return null;
  }
}

function machineSince(before: ReturnType<typeof machineCpu>): string {
  const after = machineCpu();
  return before && after ? `machine: ${(after.busy - before.busy).toFixed(1)} s busy, ${(after.iowait - before.iowait).toFixed(1)} s iowait` : 'machine: n/a';
}

/** PostgreSQL: autovacuum workers running now (they compete with the sweep for the two cores; the machine figure counts them). */
async function autovacuumWorkers(deps: Deps): Promise<number> {
  const row = (await sql<{ n: string }>`select count(*) as n from pg_stat_activity where backend_type = 'autovacuum worker'`.execute(deps.db)).rows[0];
  return Number(row?.n ?? 0);
}

const cpuSeconds = (used: NodeJS.CpuUsage) => `${((used.user + used.system) / 1e6).toFixed(1)} s`;

/** Runs the job for the workspace as of `at`, with the statement profile; prints and checks. */
async function timedSweep(dialect: DialectName, deps: Deps, data: Generated): Promise<void> {
  const at = new Date(data.at);
  const profile = new StatementProfile();
  const profiled: Deps = { ...deps, db: deps.db.withPlugin(profile), now: () => at };
  // The settings page's preview (POST /pools/:id/recycle-preview) over the same data: its count must be what the job takes back.
  const previewStarted = performance.now();
  const pool = await ensureDefaultPool(deps.db, data.workspaceId, data.at);
  const preview = await countRecyclable({ ...deps, now: () => at }, data.workspaceId, pool, at);
  log(`${dialect}: preview counted ${preview.total} to recycle in ${seconds(previewStarted)} s ${JSON.stringify(preview.byRule)}`);
  const pgBefore = dialect === 'postgres' ? await backendCpu(deps) : null;
  const vacuumBefore = dialect === 'postgres' ? await autovacuumWorkers(deps) : 0;
  const machineBefore = machineCpu();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await recycleWorkspace(profiled, data.workspaceId, sweepOptions);
  const wall = (performance.now() - started) / 1000;
  // On SQLite the database works in this process: its CPU time is the sweep's cost on an idle machine.
  const used = process.cpuUsage(cpu);
  const pgCpu = dialect === 'postgres' ? `, PostgreSQL backends: ${cpuSince(pgBefore, await backendCpu(deps))} CPU, autovacuum workers at start / end: ${vacuumBefore} / ${await autovacuumWorkers(deps)}` : '';
  const machine = machineSince(machineBefore);
  log(
    `${dialect}: one runner recycled ${result.recycled} of ${total} in ${wall.toFixed(1)} s, ${Math.round(result.recycled / wall)} customers/s (this process: ${cpuSeconds(used)} CPU${pgCpu}; ${machine}) ${JSON.stringify(result.byRule)}`,
  );
  log(`${dialect}: statement time (summed over batches${dialect === 'postgres' ? ' and concurrent ranges' : ''}):`);
  for (const line of profile.report()) {
    log(`  ${line}`);
  }
  const check = await verify(deps, data.workspaceId, at);
  log(`${dialect}: ${checkLine(check, result.recycled)}`);
  const again = performance.now();
  const second = await recycleWorkspace({ ...deps, now: () => at }, data.workspaceId, sweepOptions);
  log(`${dialect}: a second sweep right after recycled ${second.recycled} in ${seconds(again)} s`);
  assertCheck(check, result.recycled);
  if (preview.total !== result.recycled) {
    throw new Error(`the preview counted ${preview.total} but the job recycled ${result.recycled}`);
  }
  if (second.recycled !== 0) {
    throw new Error('the second sweep recycled customers again');
  }
  for (let day = 1; day <= Number(args['then-days']); day += 1) {
    const later = new Date(at.getTime() + day * 86_400_000);
    const machineBefore = machineCpu();
    const started = performance.now();
    const next = await recycleWorkspace({ ...deps, now: () => later }, data.workspaceId, sweepOptions);
    log(`${dialect}: the nightly run ${day} day(s) later recycled ${next.recycled} in ${seconds(started)} s (${machineSince(machineBefore)}) ${JSON.stringify(next.byRule)}`);
  }
}

async function single(dialect: DialectName): Promise<void> {
  let opened: Awaited<ReturnType<typeof open>>;
  let data: Generated;
  if (dialect === 'sqlite') {
    ({ opened, data } = await sqliteData());
  } else {
    ({ opened, data } = await pgData());
  }
  await timedSweep(dialect, opened.deps, data);
  await opened.app.close();
  await opened.handle.close();
}

async function concurrent(): Promise<void> {
  await reset('postgres');
  const first = await open('postgres');
  const data = await generate(first.deps);
  const second = await open('postgres');
  const at = new Date(data.at);
  const pgBefore = await backendCpu(first.deps);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const [a, b] = await Promise.all([recycleWorkspace({ ...first.deps, now: () => at }, data.workspaceId, sweepOptions), recycleWorkspace({ ...second.deps, now: () => at }, data.workspaceId, sweepOptions)]);
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const pgCpu = cpuSince(pgBefore, await backendCpu(first.deps));
  const check = await verify(first.deps, data.workspaceId, at);
  log(
    `postgres: two runners at once recycled ${a.recycled} + ${b.recycled} = ${a.recycled + b.recycled} in ${wall.toFixed(1)} s (PostgreSQL backends: ${pgCpu} CPU, this process: ${cpuSeconds(used)}); history rows ${check.recycled}, customers recycled twice ${check.duplicates}`,
  );
  log(`postgres: ${checkLine(check, a.recycled + b.recycled)}`);
  assertCheck(check, a.recycled + b.recycled);
  for (const x of [first, second]) {
    await x.app.close();
    await x.handle.close();
  }
}

const dialects: DialectName[] = args.dialect === 'both' ? ['sqlite', 'postgres'] : [args.dialect as DialectName];
for (const d of dialects) {
  await single(d);
}
if (dialects.includes('postgres') && concurrentPhase) {
  await concurrent();
}
