/**
 * Export benchmark: seeds N customers (default 1,000,000) straight into the table, then exports
 * them through the real export path (POST /exports service → the job's keyset pages through
 * listCustomerRows + presentCustomer → CSV or XLSX), measuring rows/s and peak RSS.
 *
 *   node bin/run-ts.mjs bench/export-bench.ts [--rows 1000000] [--format csv|xlsx] [--page 1000] [--database-url postgres://…] [--rep]
 *
 * --rep exports as a sales rep who owns every row and sees phones masked (the scoped, masked path).
 * --probe: point reads on the app's connection every 5 ms, for a few seconds before the export
 *   (baseline) and while it runs: their p50/p99 and the event loop's worst delay show whether the
 *   export stalls other requests. --no-worker runs the export's reads on the main connection (as
 *   before long-read workers) for comparison.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { companyKey } from '../common/normalize';
import { loadConfig } from '../server/config';
import { connectDatabase } from '../server/db/connect';
import { analyzeTables } from '../server/db/dialect';
import { newId } from '../server/db/ids';
import { migrateToLatest } from '../server/db/migrate';
import type { Deps } from '../server/deps';
import { jobAuth } from '../server/jobs/principal';
import { runJobsUntilIdle } from '../server/jobs/runner';
import { longReadTuning } from '../server/db/read-worker';
import { exportTuning } from '../server/modules/exports/exports.job';
import { createExport, exportFilePath, getExport } from '../server/modules/exports/exports.service';
import { BulkInsert } from '../server/modules/imports/bulk-insert';
import { syncPicklists } from '../server/modules/picklists/picklists.service';
import { syncAdminGrants } from '../server/modules/setup/seed-roles';
import { createWorkspace } from '../server/modules/setup/setup.service';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    format: { type: 'string', default: 'csv' },
    page: { type: 'string', default: String(exportTuning.pageSize) },
    'database-url': { type: 'string' },
    rep: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    probe: { type: 'boolean', default: false },
    'slice-ms': { type: 'string', default: String(exportTuning.sliceMs) },
    'slice-rows': { type: 'string', default: String(exportTuning.sliceRows) },
    'no-worker': { type: 'boolean', default: false },
    /** Write a CPU profile of the measured phase only (open it in Chrome DevTools). */
    profile: { type: 'string' },
  },
});
const rows = Number(args.rows);
exportTuning.pageSize = Number(args.page);
exportTuning.sliceMs = Number(args['slice-ms']);
exportTuning.sliceRows = Number(args['slice-rows']);
if (args['no-worker']) {
  longReadTuning.maxWorkers = 0;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haoke-export-bench-'));
const config = loadConfig({}, [], { dataDir: dir, logLevel: 'silent', serveWeb: false, ...(args['database-url'] ? { databaseUrl: args['database-url'] } : {}) });
// PostgreSQL: a schema of its own, dropped afterwards (unless --keep).
const pgSchema = config.databaseUrl ? `bench_${Date.now()}` : undefined;
if (config.databaseUrl && pgSchema) {
  const admin = new pg.Client({ connectionString: config.databaseUrl });
  await admin.connect();
  await admin.query(`create schema ${pgSchema}`);
  await admin.end();
}
const handle = connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...(pgSchema ? { pgSchema } : {}) });
await migrateToLatest(handle.db, pgSchema);
await syncAdminGrants(handle.db);
await syncPicklists(handle.db);
const deps: Deps = { db: handle.db, dialect: handle.dialect, config, now: () => new Date() };
const { workspaceId, userId: adminId } = await createWorkspace(deps, { workspaceName: `Export bench ${Date.now()}`, name: 'Bench', email: `xbench-${Date.now()}@example.com`, password: 'Bench-password-123' }, { allowMore: true });

let ownerId = adminId;
if (args.rep) {
  // A sales rep (customer view/export: own) whose role masks phones.
  const role = await handle.db.selectFrom('roles').select('id').where('workspaceId', '=', workspaceId).where('key', '=', 'sales').executeTakeFirstOrThrow();
  ownerId = newId();
  const now = new Date().toISOString();
  await handle.db.insertInto('users').values({ id: ownerId, workspaceId, email: `rep-${Date.now()}@example.com`, name: 'Rep', phone: null, passwordHash: 'x', departmentId: null, managerId: null, status: 'active', locale: null, lockedUntil: null, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now }).execute();
  await handle.db.insertInto('userRoles').values({ workspaceId, userId: ownerId, roleId: role.id }).execute();
  await handle.db.insertInto('roleFieldRules').values({ workspaceId, roleId: role.id, entity: 'customer', field: 'phone', access: 'read', masked: 1 }).execute();
}

const columns = ['id', 'workspaceId', 'name', 'nameKey', 'kind', 'phone', 'phoneKey', 'email', 'emailKey', 'level', 'source', 'industry', 'lifecycleStage', 'dealStatus', 'ownerId', 'locked', 'province', 'city', 'address', 'remark', 'ownerSince', 'custom', 'createdBy', 'createdAt', 'updatedAt', 'version'];
const insert = new BulkInsert('customers', columns);
let t0 = performance.now();
const base = Date.now() - rows * 1000;
for (let start = 0; start < rows; start += 5000) {
  const batch: Record<string, unknown>[] = [];
  for (let i = start; i < Math.min(rows, start + 5000); i += 1) {
    const at = new Date(base + i * 1000).toISOString();
    const name = `导出测试${i}科技有限公司`;
    batch.push({
      id: newId(base + i * 1000),
      workspaceId,
      name,
      nameKey: companyKey(name),
      kind: 'company',
      phone: `1${String(3_800_000_000 + i)}`,
      phoneKey: `1${String(3_800_000_000 + i)}`,
      email: `e${i}@export.example`,
      emailKey: `e${i}@export.example`,
      level: ['A', 'B', 'C', 'D'][i % 4],
      source: 'web',
      industry: 'it',
      lifecycleStage: 'prospect',
      dealStatus: 'none',
      ownerId,
      locked: 0,
      province: '上海',
      city: '上海',
      address: `浦东新区${i}号`,
      remark: i % 3 === 0 ? `备注, "带引号" ${i}` : null,
      ownerSince: at,
      custom: '{}',
      createdBy: adminId,
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
  }
  await handle.db.transaction().execute((trx) => insert.insert(trx, batch));
}
await analyzeTables(handle.db, handle.dialect, ['customers']);
console.log(`seeded ${rows.toLocaleString('en')} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const auth = await jobAuth(deps, workspaceId, { userId: ownerId, apiKeyId: null });
const actor = { workspaceId, userId: ownerId, apiKeyId: null, ip: null, userAgent: 'bench' };
const created = await createExport(deps, auth, actor, { entity: 'customer', format: args.format === 'xlsx' ? 'xlsx' : 'csv', filter: {} });

global.gc?.();
const baseRss = process.memoryUsage().rss;
let peakRss = baseRss;
let peakDetail = process.memoryUsage();
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) {
    peakRss = rss;
    peakDetail = process.memoryUsage();
  }
}, 50);
const session = args.profile ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
/** Point reads (one customer by id, on the app's connection) every 5 ms until `until()` says stop. */
const pointIds = (await handle.db.selectFrom('customers').select('id').where('workspaceId', '=', workspaceId).limit(1000).execute()).map((r) => r.id);
async function probeWhile(until: () => boolean): Promise<{ n: number; p50: number; p99: number; max: number; loopP99Ms: number; loopMaxMs: number }> {
  const samples: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  for (let i = 0; !until(); i += 1) {
    // From when the read was due (the end of the 5 ms pause) to its answer: a stalled event loop
    // delays both the pause's timer and the read, as it would an arriving request.
    const due = performance.now() + 5;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await handle.db.selectFrom('customers').selectAll().where('workspaceId', '=', workspaceId).where('id', '=', pointIds[i % pointIds.length] ?? '').executeTakeFirst();
    samples.push(performance.now() - due);
  }
  loop.disable();
  samples.sort((a, b) => a - b);
  const at = (q: number) => Number((samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0).toFixed(1));
  return { n: samples.length, p50: at(0.5), p99: at(0.99), max: at(1), loopP99Ms: Number((loop.percentile(99) / 1e6).toFixed(1)), loopMaxMs: Number((loop.max / 1e6).toFixed(1)) };
}
let baselineProbe = null;
if (args.probe) {
  const end = performance.now() + 5000;
  baselineProbe = await probeWhile(() => performance.now() > end);
}
t0 = performance.now();
const cpu0 = process.cpuUsage();
let exporting = true;
const during = args.probe ? probeWhile(() => !exporting) : null;
await runJobsUntilIdle(deps);
exporting = false;
const seconds = (performance.now() - t0) / 1000;
const duringProbe = during ? await during : null;
if (session && args.profile) {
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(args.profile, JSON.stringify(profile));
  session.disconnect();
}
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
const result = await getExport(deps, auth, created.id);
const row = await handle.db.selectFrom('exports').select('storageKey').where('id', '=', created.id).executeTakeFirstOrThrow();
const file = row.storageKey ? exportFilePath(config.dataDir, row.storageKey) : '';
const sample = file ? fs.readFileSync(file).subarray(0, 400).toString('utf8').split('\n').slice(0, 3) : [];
console.log(sample.join('\n'));
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  JSON.stringify(
    {
      dialect: handle.dialect,
      format: args.format,
      as: args.rep ? 'sales rep (own scope, phone masked)' : 'admin',
      rows,
      status: result.status,
      exported: result.processed,
      fileMB: Number(((result.size ?? 0) / 1e6).toFixed(1)),
      seconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(rows / seconds),
      cpuSeconds: Number(cpuSeconds.toFixed(1)),
      rowsPerCpuSecond: Math.round(rows / cpuSeconds),
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
      longReads: handle.dialect === 'postgres' ? 'pooled connection' : args['no-worker'] ? 'main connection (no worker)' : 'worker thread',
      ...(baselineProbe ? { pointReadBeforeMs: baselineProbe, pointReadDuringMs: duringProbe } : {}),
      rssBeforeMB: Math.round(baseRss / 1e6),
      peakRssMB: Math.round(peakRss / 1e6),
      atPeakMB: { heapTotal: Math.round(peakDetail.heapTotal / 1e6), heapUsed: Math.round(peakDetail.heapUsed / 1e6), external: Math.round(peakDetail.external / 1e6), arrayBuffers: Math.round(peakDetail.arrayBuffers / 1e6) },
      node: process.version,
    },
    null,
    2,
  ),
);
await handle.close();
if (!args.keep) {
  fs.rmSync(dir, { recursive: true, force: true });
  if (config.databaseUrl && pgSchema) {
    const admin = new pg.Client({ connectionString: config.databaseUrl });
    await admin.connect();
    await admin.query(`drop schema ${pgSchema} cascade`);
    await admin.end();
  }
} else {
  console.log(`kept ${dir}`);
}
