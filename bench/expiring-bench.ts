/**
 * The to-do counter "customers about to be recycled" (server/modules/pools/pools.warnings.ts
 * countExpiring) for one owner with a big book. Generates `--customers` customers (default
 * 100,000) of which `--owner-book` (default 20,000) belong to one owner, the rest to 49 others,
 * and total/10 deals, straight in the database (as bench/recycle-bench.ts does), then times the
 * counter `--runs` times and checks it against the list it opens (listExpiring).
 *
 * Scenarios (`--due`):
 * - many: the recycling bench's data and rules (follow-ups spread over 100 days; every level no
 *   follow-up 30 days, A no follow-up 60 / not dealt 90, B no deal 10): about half the book is due.
 * - few:  one rule (no follow-up 30 days), every customer followed up within the last 25 days:
 *   only those whose 30 days end inside the 7-day warning window match (~8 %).
 *
 * The owner's customers are every (total / book)-th one, so with other ratios than the default
 * they may fall into one class of the modulo-based fields: at --customers 1000000 --owner-book
 * 20000 (every 50th) all of them are dealt and locked, i.e. exempt, and the run measures an owner
 * with nothing due (the whole book read, nothing counted).
 *
 * `--baseline FILE` also times another implementation of `countExpiring(deps, workspaceId,
 * ownerId)` (e.g. a saved copy of the previous pools.warnings.ts) on the same data, the two runs
 * interleaved so that the machine's load affects both alike.
 *
 *   node bin/run-ts.mjs bench/expiring-bench.ts [--dialect sqlite|postgres|both] [--due many|few|both]
 *     [--customers 100000] [--owner-book 20000] [--runs 15] [--baseline FILE] [--data-dir /tmp/haoke-expiring-bench]
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { recreatePgSchema } from './pg-schema';
import { loadConfig } from '../server/config';
import type { DialectName } from '../server/db/dialect';
import type { Deps } from '../server/deps';
import { ensureDefaultPool } from '../server/modules/pools/pools.repo';
import { countExpiring, listExpiring } from '../server/modules/pools/pools.warnings';
import { prepare } from '../server/start';
import { insertBenchCustomers, insertBenchDeals, ownerIdSql, poolBenchWorkspace, seriesSql } from './pool-bench-data';
import { summarize } from './stats';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'both' },
    due: { type: 'string', default: 'both' },
    customers: { type: 'string', default: '100000' },
    'owner-book': { type: 'string', default: '20000' },
    runs: { type: 'string', default: '15' },
    baseline: { type: 'string' },
    'data-dir': { type: 'string', default: '/tmp/haoke-expiring-bench' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
  strict: true,
});
const total = Number(args.customers);
const book = Number(args['owner-book']);
const runs = Number(args.runs);
const schema = 'expiring_bench';
const log = (line: string) => process.stdout.write(`${line}\n`);
/** Every n with n % every = 0 belongs to the measured owner: `book` of the `total` customers. */
const every = Math.max(1, Math.round(total / book));

async function open(dialect: DialectName) {
  const dataDir = path.join(args['data-dir'], dialect);
  fs.mkdirSync(dataDir, { recursive: true });
  if (dialect === 'postgres') {
    await recreatePgSchema(args['pg-url'], schema);
  } else {
    for (const f of ['haoke.db', 'haoke.db-wal', 'haoke.db-shm']) {
      fs.rmSync(path.join(dataDir, f), { force: true });
    }
  }
  const url = new URL(args['pg-url']);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const config = loadConfig({}, [], { dataDir, logLevel: 'silent', serveWeb: false, argon2MemoryKib: 1024, ...(dialect === 'postgres' ? { databaseUrl: url.toString() } : {}) });
  return prepare(config, dialect === 'postgres' ? { pgSchema: schema } : {});
}

async function generate(deps: Deps, due: 'many' | 'few'): Promise<{ workspaceId: string; ownerId: string }> {
  const { db } = deps;
  const ws = await poolBenchWorkspace(deps, 'Expiring bench', 'expiring');
  const { workspaceId, owners, now } = ws;
  const isPg = deps.dialect === 'postgres';
  const { ago } = seriesSql(isPg, now);
  // Owner 0 gets every `every`-th customer; the others share the rest.
  const ownerOf = ownerIdSql(isPg, sql`case when n % ${every} = 0 then 0 else 1 + n % 49 end`);
  const followup = due === 'many' ? sql`case when n % 3 = 0 then null else ${ago(sql`n % 100`)} end` : ago(sql`(n / 7) % 25`);
  const since = due === 'many' ? ago(sql`n % 120`) : ago(sql`60`);
  await insertBenchCustomers(deps, ws, total, { ownerOf, lastFollowupAt: followup, ownerSince: since });
  await insertBenchDeals(deps, ws, total);
  await sql`analyze`.execute(db);
  const pool = await ensureDefaultPool(db, workspaceId, now);
  const rules =
    due === 'many'
      ? [
          { level: null, noFollowupDays: 30, noDealDays: null, notDealtDays: null },
          { level: 'A', noFollowupDays: 60, noDealDays: null, notDealtDays: 90 },
          { level: 'B', noFollowupDays: null, noDealDays: 10, notDealtDays: null },
        ]
      : [{ level: null, noFollowupDays: 30, noDealDays: null, notDealtDays: null }];
  await db.updateTable('pools').set({ recycleEnabled: 1, exemptDealt: 1, exemptLocked: 1, warnDays: 7, rules: JSON.stringify(rules) }).where('id', '=', pool.id).execute();
  return { workspaceId, ownerId: owners[0] ?? '' };
}

type Counter = (deps: Deps, workspaceId: string, ownerId: string) => Promise<number | { total: number; exact: boolean }>;

const baseline: Counter | null = args.baseline ? ((await import(path.resolve(args.baseline))) as { countExpiring: Counter }).countExpiring : null;

/** Median wall and CPU (this process) of `runs` calls, interleaved with the other counter's. */
async function timeCall(count: Counter, deps: Deps, workspaceId: string, ownerId: string, times: number[], cpu: number[]) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = await count(deps, workspaceId, ownerId);
  const used = process.cpuUsage(cpuStarted);
  times.push(performance.now() - started);
  cpu.push((used.user + used.system) / 1000);
  return typeof result === 'number' ? `${result}` : `${result.total}${result.exact ? '' : '+'}`;
}

async function measure(dialect: DialectName, due: 'many' | 'few'): Promise<void> {
  const { app, handle, deps } = await open(dialect);
  const { workspaceId, ownerId } = await generate(deps, due);
  const owned = Number((await deps.db.selectFrom('customers').select(sql<number>`count(*)`.as('n')).where('workspaceId', '=', workspaceId).where('ownerId', '=', ownerId).executeTakeFirstOrThrow()).n);
  let count = '';
  let baseCount = '';
  await countExpiring(deps, workspaceId, ownerId); // warm the page cache
  const times: number[] = [];
  const cpu: number[] = [];
  const baseTimes: number[] = [];
  const baseCpu: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    if (baseline) {
      baseCount = await timeCall(baseline, deps, workspaceId, ownerId, baseTimes, baseCpu);
    }
    count = await timeCall(countExpiring, deps, workspaceId, ownerId, times, cpu);
  }
  const listStarted = performance.now();
  const list = await listExpiring(deps, workspaceId, ownerId);
  const listMs = performance.now() - listStarted;
  const s = summarize(times);
  if (baseline) {
    const b = summarize(baseTimes);
    log(`${dialect} due=${due}: baseline counter ${baseCount} — median ${b.p50.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms over ${runs} runs (this process's CPU, median: ${summarize(baseCpu).p50.toFixed(1)} ms)`);
  }
  log(
    `${dialect} due=${due}: owner has ${owned} of ${total} customers; counter ${count} — median ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms over ${runs} runs (this process's CPU, median: ${summarize(cpu).p50.toFixed(1)} ms — all of it on SQLite, none of the database's on PostgreSQL); list ${list.length} rows in ${listMs.toFixed(0)} ms`,
  );
  await app.close();
  await handle.close();
}

const dialects: DialectName[] = args.dialect === 'both' ? ['sqlite', 'postgres'] : [args.dialect as DialectName];
const scenarios: ('many' | 'few')[] = args.due === 'both' ? ['many', 'few'] : [args.due as 'many' | 'few'];
for (const d of dialects) {
  for (const due of scenarios) {
    await measure(d, due);
  }
}
