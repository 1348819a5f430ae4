/**
 * Import benchmark: generates a CSV of N customers (default 1,000,000) and imports it through the
 * real import path (upload scan → start → the job's batches), measuring rows/s and peak RSS.
 *
 *   node bin/run-ts.mjs bench/import-bench.ts [--rows 1000000] [--batch 2000] [--dialect sqlite|postgres] [--db|--database-url postgres://…] [--encoding utf8|gbk] [--mode skip|update|create] [--index in-batch|after|alongside] [--prepare-only] [--contacts]
 *
 * `--prepare-only` runs no job: it reads the uploaded file and puts its rows through the importer's
 * `prepare` (mapping, custom values, the adapter's row validation; no database), in the job's batch
 * size, and prints how long reading alone and reading plus preparing took. That is the most a
 * parsing and preparation worker thread could take off the writer's thread.
 *
 * `--dialect postgres` without a URL uses $TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test.
 *
 * SQLite runs in a fresh directory under the OS temp dir (removed afterwards unless --keep).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { loadConfig } from '../server/config';
import { connectDatabase } from '../server/db/connect';
import { migrateToLatest } from '../server/db/migrate';
import type { Deps } from '../server/deps';
import { jobAuth } from '../server/jobs/principal';
import { runJobsUntilIdle } from '../server/jobs/runner';
import { copyTuning } from '../server/modules/imports/bulk-insert';
import { indexTuning } from '../server/modules/imports/imports.indexing';
import { importSource, importTuning } from '../server/modules/imports/imports.job';
import { dataRows, type SourceRow } from '../server/modules/imports/imports.files';
import { mappingFromJson } from '../server/modules/imports/imports.mapping';
import { entityImporter } from '../server/modules/imports/imports.pipeline';
import { findImport } from '../server/modules/imports/imports.repo';
import { parseJson } from '../server/db/dialect';
import { createImport, getImport, startImport, uploadDir } from '../server/modules/imports/imports.service';
import { syncPicklists } from '../server/modules/picklists/picklists.service';
import { syncAdminGrants } from '../server/modules/setup/seed-roles';
import { createWorkspace } from '../server/modules/setup/setup.service';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: String(importTuning.batchSize) },
    'database-url': { type: 'string' },
    /** Same as --database-url (the other benchmarks' spelling). */
    db: { type: 'string' },
    dialect: { type: 'string', default: 'sqlite' },
    encoding: { type: 'string', default: 'utf8' },
    mode: { type: 'string', default: 'skip' },
    keep: { type: 'boolean', default: false },
    /** SQLite page cache in MB while the import runs (experiments; default: importTuning.sqliteCacheMb). */
    'cache-mb': { type: 'string' },
    /** SQLite WAL pages between checkpoints while the import runs (default: importTuning.sqliteCheckpointPages). */
    'checkpoint-pages': { type: 'string' },
    /** PostgreSQL: new customers through multi-row INSERTs instead of COPY (to compare). */
    'no-copy': { type: 'boolean', default: false },
    /**
     * Where new customers' search entries are written: `in-batch` (with their rows), `after` (the
     * indexing stage after the rows), `alongside` (the stage's walk beside the rows, on a second
     * connection). Default: the app's (SQLite after, PostgreSQL alongside).
     */
    index: { type: 'string' },
    'prepare-only': { type: 'boolean', default: false },
    /** Add 联系人 and 联系人手机 columns: every customer gets a primary contact (imports.customer-contacts.ts). */
    contacts: { type: 'boolean', default: false },
    /** Write a CPU profile of the measured phase only (open it in Chrome DevTools). */
    profile: { type: 'string' },
  },
});

const rows = Number(args.rows);
const baseUrl = args['database-url'] ?? args.db ?? (args.dialect === 'postgres' ? (process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test') : undefined);
if (args['prepare-only'] && baseUrl) {
  throw new Error('--prepare-only touches no database after the upload: run it on SQLite');
}
// PostgreSQL: the benchmark's server processes are found by their application_name, to count their CPU time too.
const applicationName = `haoke-import-bench-${process.pid}`;
const databaseUrl = (() => {
  if (!baseUrl) {
    return undefined;
  }
  const url = new URL(baseUrl);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
})();

/**
 * CPU seconds of this benchmark's PostgreSQL backends (same host only: read from /proc), sampled
 * while the import runs; a backend's last sample counts (a pool connection may close in between).
 */
function serverCpuSampler(url: string) {
  const ticks = 100;
  const seen = new Map<number, { first: number; last: number }>();
  const client = new pg.Client({ connectionString: url.replace(applicationName, `${applicationName}-probe`) });
  let stopped = false;
  const cpuOf = (pid: number): number | null => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      return null;
    }
  };
  const sample = async () => {
    const result = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [applicationName]);
    for (const { pid } of result.rows) {
      const cpu = cpuOf(pid);
      if (cpu !== null) {
        const known = seen.get(pid);
        seen.set(pid, { first: known?.first ?? cpu, last: cpu });
      }
    }
  };
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await sample();
    await client.end();
  })();
  return {
    async stop(): Promise<number | null> {
      stopped = true;
      await loop;
      return seen.size === 0 ? null : [...seen.values()].reduce((sum, s) => sum + (s.last - s.first), 0);
    },
  };
}
importTuning.batchSize = Number(args.batch);
if (args.index === 'in-batch') {
  indexTuning.deferOn = [];
} else if (args.index === 'after') {
  indexTuning.alongsideOn = [];
} else if (args.index === 'alongside') {
  indexTuning.alongsideOn = ['sqlite', 'postgres'];
} else if (args.index !== undefined) {
  throw new Error('--index is in-batch, after or alongside');
}
if (args['no-copy']) {
  copyTuning.minRows = 0;
}
if (args['checkpoint-pages']) {
  importTuning.sqliteCheckpointPages = Number(args['checkpoint-pages']);
}
if (args['cache-mb']) {
  importTuning.sqliteCacheMb = Number(args['cache-mb']);
}

const surnames = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
const cities = [
  ['上海', '上海'],
  ['北京', '北京'],
  ['广东', '深圳'],
  ['浙江', '杭州'],
  ['江苏', '南京'],
  ['四川', '成都'],
];
const words = ['科技', '贸易', '电子', '物流', '咨询', '制造', '传媒', '教育'];
const levels = ['A', 'B', 'C', 'D'];
const sources = ['官网', '电话咨询', '客户介绍', '展会'];

/** Writes the CSV with backpressure (a million rows never sit in memory). */
async function generate(file: string, count: number, encoding: string, contacts: boolean): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = (text: string) => (out.write(encoding === 'gbk' ? iconv.encode(text, 'gbk') : text) ? null : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  if (encoding !== 'gbk') {
    out.write('\ufeff');
  }
  await write(`客户名称,手机,邮箱,级别,来源,省份,城市,地址,备注,标签${contacts ? ',联系人,联系人手机' : ''}\r\n`);
  let chunk = '';
  for (let i = 0; i < count; i += 1) {
    const [province, city] = cities[i % cities.length] ?? ['上海', '上海'];
    const name = `${city}${surnames[i % 10] ?? ''}氏${words[(i >> 3) % words.length] ?? ''}${i}有限公司`;
    const remark = i % 5 === 0 ? `"重点客户, 第${i}号"` : `备注${i}`;
    chunk += `${name},1${String(3_000_000_000 + i).slice(0, 10)},c${i}@bench.example,${levels[i % 4] ?? ''},${sources[i % 4] ?? ''},${province},${city},${city}某区${i % 999}号,${remark},${i % 10 === 0 ? 'VIP' : ''}${contacts ? `,${surnames[(i >> 2) % 10] ?? ''}经理${i},1${String(5_000_000_000 + i).slice(0, 10)}` : ''}\r\n`;
    if (chunk.length > 64 * 1024) {
      const waiting = write(chunk);
      chunk = '';
      if (waiting) {
        await waiting;
      }
    }
  }
  await write(chunk);
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return fs.statSync(file).size;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haoke-import-bench-'));
const config = loadConfig({}, [], { dataDir: dir, logLevel: 'silent', serveWeb: false, ...(databaseUrl ? { databaseUrl } : {}) });
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
const { workspaceId, userId } = await createWorkspace(deps, { workspaceName: `Bench ${Date.now()}`, name: 'Bench', email: `bench-${Date.now()}@example.com`, password: 'Bench-password-123' }, { allowMore: true });
const auth = await jobAuth(deps, workspaceId, { userId, apiKeyId: null });
const actor = { workspaceId, userId, apiKeyId: null, ip: null, userAgent: 'bench' };

const source = path.join(uploadDir(deps, auth), '.upload-bench');
fs.mkdirSync(path.dirname(source), { recursive: true });
let t0 = performance.now();
const size = await generate(source, rows, args.encoding, args.contacts);
console.log(`generated ${rows.toLocaleString('en')} rows, ${(size / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

t0 = performance.now();
const upload = await createImport(deps, auth, actor, { fields: { entity: 'customer' }, file: { path: source, fileName: 'bench.csv', size } });
console.log(`upload scan: ${upload.encoding}, ~${upload.rowCount.toLocaleString('en')} rows, ${Object.keys(upload.guesses).length}/${upload.columns.length} columns guessed, ${Math.round(performance.now() - t0)} ms`);
await startImport(deps, auth, actor, upload.id, { mapping: upload.guesses, duplicateMode: args.mode === 'update' || args.mode === 'create' ? args.mode : 'skip' });

if (args['prepare-only']) {
  const row = await findImport(handle.db, workspaceId, upload.id);
  if (!row) {
    throw new Error('the import is gone');
  }
  const file = importSource(config.dataDir, row);
  const importer = await entityImporter('customer', { deps, auth, mapping: mappingFromJson(parseJson(row.mapping)), duplicateMode: 'skip', now: new Date().toISOString() });
  const pass = async (prepare: boolean) => {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    let batch: SourceRow[] = [];
    let count = 0;
    let failed = 0;
    const flush = () => {
      if (prepare) {
        failed += importer.prepare(batch).prepared.filter((p) => p.errors.length > 0).length;
      }
      count += batch.length;
      batch = [];
    };
    for await (const source of dataRows(file)) {
      batch.push(source);
      if (batch.length >= importTuning.batchSize) {
        flush();
      }
    }
    flush();
    const c = process.cpuUsage(cpuStart);
    return { rows: count, failed, seconds: Number(((performance.now() - started) / 1000).toFixed(1)), cpuSeconds: Number(((c.user + c.system) / 1e6).toFixed(1)) };
  };
  const read = await pass(false);
  const prepared = await pass(true);
  console.log(JSON.stringify({ dialect: handle.dialect, readOnly: read, readAndPrepare: prepared, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2));
  await handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

global.gc?.();
const baseRss = process.memoryUsage().rss;
let peakRss = baseRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const session = args.profile ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const serverCpu = config.databaseUrl ? serverCpuSampler(config.databaseUrl) : null;
t0 = performance.now();
const cpu0 = process.cpuUsage();
// When the rows were all written and the indexing stage (search entries of the new rows) began.
let rowsDone: { seconds: number; cpuSeconds: number } | null = null;
const watchStage = async () => {
  while (rowsDone === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const view = await getImport(deps, auth, upload.id).catch(() => null);
    if (view?.stage === 'indexing' || view?.status === 'done') {
      const c = process.cpuUsage(cpu0);
      rowsDone = { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
    }
  }
};
const watching = watchStage();
await runJobsUntilIdle(deps);
const seconds = (performance.now() - t0) / 1000;
rowsDone ??= { seconds, cpuSeconds: 0 };
await watching;
const serverCpuSeconds = (await serverCpu?.stop()) ?? null;
if (session && args.profile) {
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(args.profile, JSON.stringify(profile));
  session.disconnect();
}
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const result = await getImport(deps, auth, upload.id);
const counted = await sql<{ n: number }>`select count(*) as n from customers where workspace_id = ${workspaceId}`.execute(handle.db);
const contactsCounted = await sql<{ n: number; docs: number }>`select (select count(*) from contacts where workspace_id = ${workspaceId}) as n, (select count(*) from search_docs where workspace_id = ${workspaceId} and entity = 'contact') as docs`.execute(handle.db);
console.log(
  JSON.stringify(
    {
      dialect: handle.dialect,
      rows,
      batch: importTuning.batchSize,
      status: result.status,
      created: result.created,
      failed: result.failed,
      customersInDb: Number(counted.rows[0]?.n),
      contactsInDb: Number(contactsCounted.rows[0]?.n),
      contactEntries: Number(contactsCounted.rows[0]?.docs),
      seconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(rows / seconds),
      // The rows stage alone (every row written, not yet searchable) and the indexing stage after it.
      rowsStageSeconds: Number(rowsDone.seconds.toFixed(1)),
      rowsStageCpuSeconds: Number(rowsDone.cpuSeconds.toFixed(1)),
      indexingStageSeconds: Number((seconds - rowsDone.seconds).toFixed(1)),
      reportedRowsPerSecond: result.rowsPerSecond,
      // On a shared machine wall time includes waiting for the CPU and the disk: CPU time is what the import itself costs.
      cpuSeconds: Number(cpuSeconds.toFixed(1)),
      rowsPerCpuSecond: Math.round(rows / cpuSeconds),
      // PostgreSQL: the server's CPU for this import too (its backends on this host), and rows per CPU-second of both.
      serverCpuSeconds: serverCpuSeconds === null ? null : Number(serverCpuSeconds.toFixed(1)),
      rowsPerTotalCpuSecond: serverCpuSeconds === null ? null : Math.round(rows / (cpuSeconds + serverCpuSeconds)),
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
      rssBeforeMB: Math.round(baseRss / 1e6),
      peakRssMB: Math.round(peakRss / 1e6),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
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
