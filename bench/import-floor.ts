/**
 * The import's floor: what the schema alone allows. Inserts N customer rows shaped like
 * import-bench.ts's CSV (same values, keys and defaults as the importer writes) into a freshly
 * migrated database with every index and trigger, with no app code in the loop — SQLite through
 * one prepared single-row INSERT in transactions of --batch rows, PostgreSQL through one
 * `COPY … FROM STDIN` per transaction — and then their search docs the same way (SQLite: docs +
 * FTS5 trigger + n-gram rows; PostgreSQL: docs with their grams, GIN and trigram indexes).
 *
 *   node bin/run-ts.mjs bench/import-floor.ts [--rows 1000000] [--batch 2000] [--dialect sqlite|postgres] [--cache-mb 48] [--mmap-mb 0] [--no-search] [--drop-index a,b] [--exec 'sql; sql'] [--page-size 4096]
 *
 * `--drop-index` drops the named indexes after migrating: what one index costs the floor. `--exec
 * 'sql; sql'` runs statements after that (say, an index in another shape). `--page-size` (SQLite)
 * makes the file with that page size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { companyKey, emailKey, phoneKey } from '../common/normalize';
import { loadConfig } from '../server/config';
import { connectDatabase } from '../server/db/connect';
import { migrateToLatest } from '../server/db/migrate';
import type { Deps } from '../server/deps';
import { syncPicklists } from '../server/modules/picklists/picklists.service';
import { foldText, gramToken, phoneDigits, shortGrams } from '../server/modules/search/search.text';
import { syncAdminGrants } from '../server/modules/setup/seed-roles';
import { createWorkspace } from '../server/modules/setup/setup.service';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '2000' },
    dialect: { type: 'string', default: 'sqlite' },
    'cache-mb': { type: 'string', default: '48' },
    'mmap-mb': { type: 'string', default: '0' },
    'no-search': { type: 'boolean', default: false },
    'drop-index': { type: 'string', default: '' },
    exec: { type: 'string', default: '' },
    'page-size': { type: 'string', default: '' },
  },
});
const rows = Number(args.rows);
const batch = Number(args.batch);
const postgres = args.dialect === 'postgres';
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

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
const levels = ['a', 'b', 'c', 'd'];
const sources = ['website', 'phone', 'referral', 'expo'];

// UUIDv7-shaped, time-ordered ids without randomBytes per id (the floor measures the database).
let idCounter = 0;
function nextId(): string {
  idCounter += 1;
  const hex = Date.now().toString(16).padStart(12, '0') + idCounter.toString(16).padStart(20, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const columns = [
  'id', 'workspace_id', 'name', 'name_key', 'kind', 'phone', 'phone_key', 'email', 'email_key', 'website', 'level', 'source', 'industry',
  'lifecycle_stage', 'deal_status', 'owner_id', 'locked', 'province', 'city', 'district', 'address', 'primary_contact_id', 'remark',
  'last_followup_at', 'last_followup_content', 'next_followup_at', 'owner_since', 'custom', 'created_by', 'created_at', 'updated_at',
  'deleted_at', 'deleted_by', 'version',
];

type Cell = string | number | null | undefined;

function row(i: number, workspaceId: string, userId: string, now: string): Cell[] {
  const [province, city] = cities[i % cities.length] ?? ['上海', '上海'];
  const name = `${city}${surnames[i % 10] ?? ''}氏${words[(i >> 3) % words.length] ?? ''}${i}有限公司`;
  const phone = `1${String(3_000_000_000 + i).slice(0, 10)}`;
  const email = `c${i}@bench.example`;
  const remark = i % 5 === 0 ? `重点客户, 第${i}号` : `备注${i}`;
  return [
    nextId(), workspaceId, name, companyKey(name), 'company', phone, phoneKey(phone), email, emailKey(email), null, levels[i % 4], sources[i % 4], null,
    'prospect', 'none', userId, 0, province, city, null, `${city}某区${i % 999}号`, null, remark,
    null, null, null, now, '{}', userId, now, now,
    null, null, 1,
  ];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haoke-import-floor-'));
const pgSchema = postgres ? `floor_${Date.now()}` : undefined;
if (pgSchema) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${pgSchema}`);
  await admin.end();
}
if (!postgres && args['page-size'] !== '') {
  // A page size is fixed when the file's first table is written: set it on the empty file.
  const created = new SQLite(path.join(dir, 'haoke.db'));
  created.pragma(`page_size = ${Number(args['page-size'])}`);
  created.exec('vacuum');
  created.close();
}
const config = loadConfig({}, [], { dataDir: dir, logLevel: 'silent', serveWeb: false, ...(postgres ? { databaseUrl: url } : {}) });
const handle = connectDatabase({ databaseUrl: config.databaseUrl, dataDir: dir, ...(pgSchema ? { pgSchema } : {}) });
await migrateToLatest(handle.db, pgSchema);
for (const name of args['drop-index'].split(',').filter(Boolean)) {
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`not an index name: ${name}`);
  }
  await sql.raw(`drop index ${pgSchema ? `${pgSchema}.` : ''}${name}`).execute(handle.db);
}
for (const statement of args.exec.split(';').map((s) => s.trim()).filter(Boolean)) {
  await sql.raw(statement).execute(handle.db);
}
await syncAdminGrants(handle.db);
await syncPicklists(handle.db);
const deps: Deps = { db: handle.db, dialect: handle.dialect, config, now: () => new Date() };
const { workspaceId, userId } = await createWorkspace(deps, { workspaceName: 'Floor', name: 'Floor', email: `floor-${Date.now()}@example.com`, password: 'Floor-password-123' }, { allowMore: true });
await handle.close();

const now = new Date().toISOString();
const ids: string[] = [];
const result: Record<string, unknown> = { dialect: args.dialect, rows, batch };
const cpu = () => {
  const c = process.cpuUsage();
  return { user: c.user / 1e6, sys: c.system / 1e6 };
};
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

function stage(name: string, t0: number, c0: { user: number; sys: number }, extra: Record<string, number> = {}) {
  const seconds = (performance.now() - t0) / 1000;
  const c = cpu();
  result[name] = {
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round(rows / seconds),
    userSeconds: Number((c.user - c0.user).toFixed(1)),
    sysSeconds: Number((c.sys - c0.sys).toFixed(1)),
    load: os.loadavg().map((l) => Number(l.toFixed(1))),
    ...extra,
  };
  console.log(name, JSON.stringify(result[name]));
}

if (!postgres) {
  const db = new SQLite(path.join(dir, 'haoke.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = ${-Number(args['cache-mb']) * 1024}`);
  db.pragma('wal_autocheckpoint = 10000');
  result.pageSize = db.pragma('page_size', { simple: true });
  if (Number(args['mmap-mb']) > 0) {
    db.pragma(`mmap_size = ${Number(args['mmap-mb']) * 1024 * 1024}`);
  }
  const insert = db.prepare(`insert into customers (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  let t0 = performance.now();
  let c0 = cpu();
  for (let start = 0; start < rows; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(rows, start + batch); i += 1) {
        const values = row(i, workspaceId, userId, now);
        ids.push(values[0] as string);
        insert.run(values);
      }
    })();
  }
  stage('customers', t0, c0);
  if (!args['no-search']) {
    // Migration 0019 moved the doc's owner into search_doc_owners (one row per owned doc).
    const owners = db.prepare("select 1 from sqlite_master where name = 'search_doc_owners'").get() !== undefined;
    const doc = owners
      ? db.prepare('insert into search_docs (id, workspace_id, entity, record_id, customer_id, name, company, phone, email) values (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      : db.prepare('insert into search_docs (id, workspace_id, entity, record_id, customer_id, owner_id, name, company, phone, email) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const owner = owners ? db.prepare('insert into search_doc_owners (doc_id, workspace_id, entity, owner_id) values (?, ?, ?, ?)') : null;
    const grams = db.prepare('insert into search_grams (rowid, grams) values (?, ?)');
    t0 = performance.now();
    c0 = cpu();
    for (let start = 0; start < rows; start += 10_000) {
      db.transaction(() => {
        for (let i = start; i < Math.min(rows, start + 10_000); i += 1) {
          const values = row(i, workspaceId, userId, now);
          const name = foldText(values[2] as string);
          if (owner) {
            doc.run(i + 1, workspaceId, 'customer', ids[i], ids[i], name, null, phoneDigits(values[5] as string), foldText(values[7] as string));
            owner.run(i + 1, workspaceId, 'customer', userId);
          } else {
            doc.run(i + 1, workspaceId, 'customer', ids[i], ids[i], userId, name, null, phoneDigits(values[5] as string), foldText(values[7] as string));
          }
          grams.run(i + 1, shortGrams(name).map(gramToken).join(' '));
        }
      })();
    }
    stage('search', t0, c0);
  }
  db.close();
} else {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${pgSchema}` });
  await client.connect();
  // The backend's CPU (same host: /proc), so the server's share of the floor is seen too.
  const backend = Number((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid);
  const serverCpu = () => {
    try {
      const fields = fs.readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  };
  let s0 = serverCpu();
  const copy = async (text: string, lines: string[]) => {
    const stream: Writable = client.query(copyFrom(text));
    await new Promise<void>((resolve, reject) => {
      stream.once('finish', () => resolve());
      stream.once('error', reject);
      stream.end(`${lines.join('\n')}\n`);
    });
  };
  const field = (v: Cell) => (v === null || v === undefined ? '\\N' : String(v));
  let t0 = performance.now();
  let c0 = cpu();
  for (let start = 0; start < rows; start += batch) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + batch); i += 1) {
      const values = row(i, workspaceId, userId, now);
      ids.push(values[0] as string);
      lines.push(values.map(field).join('\t'));
    }
    await client.query('begin');
    await client.query('set local synchronous_commit = off');
    await copy(`copy customers (${columns.join(', ')}) from stdin`, lines);
    await client.query('commit');
  }
  stage('customers', t0, c0, { serverCpuSeconds: Number((serverCpu() - s0).toFixed(1)) });
  if (!args['no-search']) {
    s0 = serverCpu();
    const owners = (await client.query<{ present: boolean }>("select to_regclass('search_doc_owners') is not null as present")).rows[0]?.present === true;
    t0 = performance.now();
    c0 = cpu();
    for (let start = 0; start < rows; start += batch) {
      const ownerLines: string[] = [];
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + batch); i += 1) {
        const values = row(i, workspaceId, userId, now);
        const name = foldText(values[2] as string);
        const gramArray = `{${shortGrams(name).map((g) => `"${g}"`).join(',')}}`;
        if (owners) {
          lines.push([i + 1, workspaceId, 'customer', ids[i], ids[i], name, null, phoneDigits(values[5] as string), foldText(values[7] as string), gramArray].map(field).join('\t'));
          ownerLines.push([i + 1, workspaceId, 'customer', userId].join('\t'));
        } else {
          lines.push([workspaceId, 'customer', ids[i], ids[i], userId, name, null, phoneDigits(values[5] as string), foldText(values[7] as string), gramArray].map(field).join('\t'));
        }
      }
      await client.query('begin');
      await client.query('set local synchronous_commit = off');
      if (owners) {
        await copy('copy search_docs (id, workspace_id, entity, record_id, customer_id, name, company, phone, email, grams) from stdin', lines);
        await copy('copy search_doc_owners (doc_id, workspace_id, entity, owner_id) from stdin', ownerLines);
      } else {
        await copy('copy search_docs (workspace_id, entity, record_id, customer_id, owner_id, name, company, phone, email, grams) from stdin', lines);
      }
      await client.query('commit');
    }
    stage('search', t0, c0, { serverCpuSeconds: Number((serverCpu() - s0).toFixed(1)) });
  }
  await client.query(`drop schema ${pgSchema} cascade`);
  await client.end();
}
clearInterval(sampler);
const dbBytes = postgres ? 0 : fs.readdirSync(dir).reduce((sum, f) => sum + (fs.statSync(path.join(dir, f)).isFile() ? fs.statSync(path.join(dir, f)).size : 0), 0);
console.log(JSON.stringify({ ...result, peakRssMB: Math.round(peakRss / 1e6), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), dbMB: Math.round(dbBytes / 1e6) }, null, 2));
fs.rmSync(dir, { recursive: true, force: true });
