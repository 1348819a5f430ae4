/**
 * Global search latency at scale (server/modules/search): fills a private database with N
 * customers (default 1,000,000) and their contacts, builds the search index with the real
 * indexer, then times GET /api/v1/search and the customer list's `q` through the real app
 * (HTTP via inject, sessions, data scope, masking) for 1- and 2-character Chinese, a 4-digit
 * phone fragment and an English fragment, as an admin (scope all) and as a sales rep (own).
 *
 *   flock /tmp/haoke-heavy.lock node bin/run-ts.mjs bench/search-bench.ts --customers 1000000 --contacts 2000000 --fresh
 *   flock /tmp/haoke-heavy.lock node bin/run-ts.mjs bench/search-bench.ts … --db postgres://postgres@127.0.0.1:5432/test
 *   options: --customers N  --contacts N (default 0.3 × customers)  --runs N  --dir DIR
 *            --fresh (rebuild the data)  --list (also time GET /customers?q)
 *
 * Customers and contacts are bulk-loaded (bench/bulk.ts, secondary indexes rebuilt after); the
 * search index is then built by the real indexer (`reindexWorkspace`) and its speed printed.
 *
 * The data is kept (SQLite file under --dir, or PostgreSQL schema search_bench) and reused by
 * the next run unless --fresh is given.
 *
 * On the main generator's data instead (1M customers, 2M contacts, 200 sales users; admin, sales
 * manager and rep; raw SQL baseline; the index filled first if the generator left it empty —
 * bench/search-cases.ts):
 *   flock /tmp/haoke-heavy.lock node bin/run-ts.mjs bench/search-bench.ts --data-dir /tmp/haoke-bench-list-full \
 *     --dialect both --pg-schema bench_list_full --runs 200 [--refill: empty and fill the index again, timed]
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { companyKey, emailKey, phoneKey } from '../common/normalize';
import { loadConfig } from '../server/config';
import { newId } from '../server/db/ids';
import { reindexWorkspace } from '../server/modules/search/search.index';
import { createWorkspace } from '../server/modules/setup/setup.service';
import { prepare } from '../server/start';
import { type Client, signIn } from '../server/testing/test-app';
import { runOnGeneratedData } from './search-cases';
import { benchTarget } from './target';
import { type BulkWriter, type Cell, type ColumnInfo, dropPgIndexes, dropSqliteIndexes, fitColumns, PgBulkWriter, pgColumns, SqliteBulkWriter, sqliteColumns, type TableShape } from './bulk';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const customersWanted = Number(option('customers', '1000000'));
const contactsWanted = Number(option('contacts', String(Math.round(customersWanted * 0.3))));
const runs = Number(option('runs', '200'));
const dbUrl = option('db', '');
const dir = option('dir', '/tmp/haoke-search-bench');
const fresh = process.argv.includes('--fresh');
const withList = process.argv.includes('--list');
const schema = 'search_bench';
const password = 'Bench-password-123';

/** mulberry32: seeded, so every run builds the same data. */
let seed = 20240601;
function rand(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;

// Surnames with roughly their real frequency (王 李 张 lead with ~7% each).
const surnames = '王王王王王王王李李李李李李李张张张张张张刘刘刘刘刘陈陈陈陈杨杨杨黄黄赵赵吴吴周周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const givenChars = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩然子轩梓涵一诺欣怡博文思远嘉怡俊杰雨桐三丰建国志强海燕晓明春梅国庆'.split('');
const cities = ['上海', '北京', '深圳', '广州', '杭州', '南京', '成都', '武汉', '苏州', '天津', '重庆', '西安', '长沙', '青岛', '宁波', '厦门', '合肥', '郑州'];
const brandChars = '星辰天宇华泰恒通达信诚嘉禾鼎盛新锐智联云海博远瑞丰金桥银河东方明德安和'.split('');
const trades = ['科技', '贸易', '实业', '电子', '网络', '信息技术', '机械', '医疗器械', '物流', '建材', '食品', '服饰', '文化传媒', '教育咨询'];
const suffixes = ['有限公司', '有限公司', '有限公司', '股份有限公司', '集团有限公司', '工作室'];
const words = ['sun', 'star', 'acme', 'tech', 'cloud', 'river', 'stone', 'green', 'smart', 'china', 'ocean', 'lotus', 'dragon', 'bright', 'nova', 'delta', 'apex', 'prime', 'summit', 'harbor'];
const domains = ['qq.com', '163.com', 'gmail.com', 'outlook.com', 'sina.com', 'example.cn'];

const person = () => pick(surnames) + pick(givenChars) + (rand() < 0.7 ? pick(givenChars) : '');
const company = () => pick(cities) + pick(brandChars) + pick(brandChars) + pick(trades) + pick(suffixes);
const mobile = () => `1${pick(['3', '5', '7', '8', '9'])}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
const email = () => `${pick(words)}${pick(words)}${Math.floor(rand() * 1000)}@${pick(domains)}`;

/** Columns the loader fills (snake_case); any other column of the table must have a default. */
const customerCols = ['id', 'workspace_id', 'name', 'name_key', 'kind', 'phone', 'phone_key', 'email', 'email_key', 'lifecycle_stage', 'deal_status', 'owner_id', 'locked', 'owner_since', 'custom', 'created_by', 'created_at', 'updated_at'];
const contactCols = ['id', 'workspace_id', 'customer_id', 'owner_id', 'name', 'phone', 'phone_key', 'email', 'email_key', 'is_primary', 'is_decision_maker', 'custom', 'created_at', 'updated_at'];

/**
 * Customers and contacts straight into the tables with the generator's bulk writers (bench/bulk.ts):
 * secondary indexes dropped for the load and rebuilt after it — the app's write path would take
 * hours for 3M rows. Then the real indexer builds the search index (timed separately).
 */
async function loadRows(workspaceId: string, owners: readonly string[], now: string): Promise<void> {
  const started = performance.now();
  const tables = ['customers', 'contacts'];
  const customerIds: string[] = [];
  const makeCustomer = (i: number): Cell[] => {
    const isPerson = rand() < 0.3;
    const name = isPerson ? person() : company();
    const phone = rand() < 0.8 ? mobile() : null;
    const mail = rand() < 0.5 ? email() : null;
    const id = newId();
    customerIds.push(id);
    const ownerId = owners[i % owners.length] ?? null;
    return [id, workspaceId, name, companyKey(name), isPerson ? 'person' : 'company', phone, phoneKey(phone), mail, emailKey(mail), 'prospect', 'none', ownerId, 0, now, '{}', ownerId, now, now];
  };
  const makeContact = (): Cell[] => {
    const index = Math.floor(rand() * customerIds.length);
    const phone = mobile();
    const mail = rand() < 0.5 ? email() : null;
    // Contacts mirror their customer's owner.
    return [newId(), workspaceId, customerIds[index] ?? '', owners[index % owners.length] ?? null, person(), phone, phoneKey(phone), mail, emailKey(mail), 0, 0, '{}', now, now];
  };
  const fill = async (writer: BulkWriter) => {
    for (let i = 0; i < customersWanted; i += 1) {
      writer.write('customers', makeCustomer(i));
      if (i % 5000 === 4999) {
        await writer.ready();
      }
    }
    for (let i = 0; i < contactsWanted; i += 1) {
      writer.write('contacts', makeContact());
      if (i % 5000 === 4999) {
        await writer.ready();
      }
    }
    await writer.finish();
  };
  const shapes = async (columnsOf: (table: string) => Promise<ColumnInfo[]> | ColumnInfo[]): Promise<TableShape[]> => {
    const out: TableShape[] = [];
    for (const [table, made] of [
      ['customers', customerCols],
      ['contacts', contactCols],
    ] as const) {
      const { columns, keep } = fitColumns(table, made, await columnsOf(table));
      if (keep.length !== made.length) {
        throw new Error(`${table} lacks a column the loader fills: update bench/search-bench.ts`);
      }
      out.push({ name: table, columns });
    }
    return out;
  };
  if (dbUrl) {
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const ddl = await dropPgIndexes(client, schema, tables);
    await fill(await PgBulkWriter.open(dbUrl, schema, await shapes((t) => pgColumns(client, schema, t))));
    console.log(`loaded ${customersWanted} customers, ${contactsWanted} contacts in ${((performance.now() - started) / 1000).toFixed(1)} s; rebuilding ${ddl.length} indexes`);
    await client.query(`set maintenance_work_mem = '512MB'; set max_parallel_maintenance_workers = 2`);
    for (const statement of ddl) {
      await client.query(statement);
    }
    for (const table of tables) {
      await client.query(`vacuum (analyze) ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`);
    }
    await client.end();
  } else {
    const sqlite = new SQLite(path.join(dir, 'haoke.db'));
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -1000000');
    sqlite.pragma('temp_store = MEMORY');
    sqlite.pragma('foreign_keys = OFF');
    const ddl = dropSqliteIndexes(sqlite, tables);
    await fill(new SqliteBulkWriter(sqlite, await shapes((t) => sqliteColumns(sqlite, t))));
    console.log(`loaded ${customersWanted} customers, ${contactsWanted} contacts in ${((performance.now() - started) / 1000).toFixed(1)} s; rebuilding ${ddl.length} indexes`);
    sqlite.pragma('threads = 2');
    for (const statement of ddl) {
      sqlite.exec(statement);
    }
    sqlite.exec('analyze customers; analyze contacts');
    sqlite.close();
  }
  console.log(`customers and contacts ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  if (dbUrl) {
    const admin = new pg.Client({ connectionString: dbUrl });
    await admin.connect();
    if (fresh) {
      await admin.query(`drop schema if exists ${schema} cascade`);
    }
    await admin.query(`create schema if not exists ${schema}`);
    await admin.end();
  } else if (fresh) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  const config = loadConfig({}, [], { dataDir: dir, logLevel: 'silent', serveWeb: false, argon2MemoryKib: 1024, loginIpPerMinute: 100_000, ...(dbUrl ? { databaseUrl: dbUrl } : {}) });
  const { app, handle, deps } = await prepare(config, dbUrl ? { pgSchema: schema } : {});
  await app.ready();
  const db = deps.db;
  const infoFile = path.join(dir, dbUrl ? 'pg-info.json' : 'sqlite-info.json');
  const buildIndex = async (workspaceId: string) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    // The real indexer, in one transaction (FTS5 then builds its segments in memory).
    await db.transaction().execute((trx) => reindexWorkspace(trx, deps.dialect, workspaceId, (done) => process.stdout.write(`\rindexing: ${done} customers`)));
    const docs = await db.selectFrom('searchDocs').select((eb) => eb.fn.countAll<number>().as('n')).where('workspaceId', '=', workspaceId).executeTakeFirstOrThrow();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    // Node's CPU only (SQLite runs in-process; PostgreSQL's server CPU is not in it).
    console.log(`\rindexed ${Number(docs.n)} docs in ${seconds.toFixed(1)} s (${Math.round(Number(docs.n) / seconds)} docs/s; node CPU ${((used.user + used.system) / 1e6).toFixed(1)} s)`);
    await sql`analyze`.execute(db);
  };

  if (handle.dialect === 'sqlite') {
    // Bulk loading 1M rows into ~15 indexes thrashes SQLite's default 2 MB page cache.
    await sql`pragma cache_size = -1000000`.execute(db);
  }
  let info: { workspaceId: string; adminEmail: string; repEmail: string } | null = fs.existsSync(infoFile) ? (JSON.parse(fs.readFileSync(infoFile, 'utf8')) as { workspaceId: string; adminEmail: string; repEmail: string }) : null;
  const existing = await db.selectFrom('workspaces').innerJoin('users', 'users.workspaceId', 'workspaces.id').select(['workspaces.id', 'users.email']).where('workspaces.name', '=', 'Search bench').execute();
  if (!info && existing.length > 0) {
    // An earlier run stopped after loading: resume with its data (the indexer skips what is done).
    const workspaceId = existing[0]?.id ?? '';
    const email = (prefix: string) => existing.find((u) => u.email.startsWith(prefix))?.email ?? '';
    info = { workspaceId, adminEmail: email('bench-admin-'), repEmail: email('bench-rep-') };
  }
  if (info && !fs.existsSync(infoFile)) {
    await buildIndex(info.workspaceId);
    fs.writeFileSync(infoFile, JSON.stringify(info));
  }
  if (info) {
    console.log(`reusing the data of ${handle.description}`);
  } else {
    const adminEmail = `bench-admin-${Date.now()}@example.com`;
    const { workspaceId } = await createWorkspace(deps, { workspaceName: 'Search bench', name: 'Admin', email: adminEmail, password, locale: 'zh-CN' }, { allowMore: true });
    const admin = await signIn(app, adminEmail, password);
    const roles = await admin.get<{ data: { id: string; key: string | null }[] }>('/api/v1/roles');
    const salesRole = roles.body.data.find((r) => r.key === 'sales')?.id ?? '';
    const repEmail = `bench-rep-${Date.now()}@example.com`;
    const rep = await admin.post<{ id: string }>('/api/v1/users', { name: '销售小王', email: repEmail, password, roleIds: [salesRole] });
    const now = new Date().toISOString();
    // 200 owners share the customers: the rep owns 1 in 200 (5,000 of 1M).
    const owners: string[] = [rep.body.id];
    const hash = (await db.selectFrom('users').select('passwordHash').where('id', '=', rep.body.id).executeTakeFirstOrThrow()).passwordHash;
    for (let i = 1; i < 200; i += 1) {
      const id = newId();
      owners.push(id);
      await db.insertInto('users').values({ id, workspaceId, email: `owner${i}-${Date.now()}@example.com`, name: person(), phone: null, passwordHash: hash, departmentId: null, managerId: null, status: 'active', locale: null, lockedUntil: null, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now }).execute();
    }
    await loadRows(workspaceId, owners, now);
    info = { workspaceId, adminEmail, repEmail };
    await buildIndex(workspaceId);
    fs.writeFileSync(infoFile, JSON.stringify(info));
  }

  const admin = await signIn(app, info.adminEmail, password);
  const rep = await signIn(app, info.repEmail, password);
  const queries: Record<string, () => string> = {
    '1 char (张 / surnames)': () => pick(['张', '王', '李', '刘', '陈', '杨', '黄', '周', '孔', '向']),
    '2 chars (张三 / names)': () => pick(surnames) + pick(givenChars),
    // 4–7 digits from the middle of a mobile number (after the 3-digit prefix).
    'phone fragment (4–7 digits)': () => mobile().slice(3, 3 + 4 + Math.floor(rand() * 4)),
    'email fragment': () => pick(words).slice(0, 3 + Math.floor(rand() * 3)),
    'company fragment (上海星)': () => pick(cities) + pick(brandChars),
  };
  const results: string[] = [];
  const time = async (client: Client, url: string) => {
    const t0 = performance.now();
    const res = await client.get(url);
    const elapsed = performance.now() - t0;
    if (res.status !== 200) {
      throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return elapsed;
  };
  for (const [who, client] of [
    ['admin (all)', admin],
    ['sales rep (own)', rep],
  ] as const) {
    for (const [label, make] of Object.entries(queries)) {
      const endpoints = [['GET /search', (q: string) => `/api/v1/search?q=${encodeURIComponent(q)}&limit=10`]] as [string, (q: string) => string][];
      if (withList) {
        endpoints.push(['GET /customers?q', (q: string) => `/api/v1/customers?q=${encodeURIComponent(q)}&limit=50`]);
      }
      for (const [what, url] of endpoints) {
        for (let i = 0; i < 5; i += 1) {
          await time(client, url(make()));
        }
        const samples: number[] = [];
        for (let i = 0; i < runs; i += 1) {
          samples.push(await time(client, url(make())));
        }
        samples.sort((a, b) => a - b);
        const at = (p: number) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)] ?? NaN;
        results.push(`| ${handle.dialect} | ${who} | ${what} | ${label} | ${at(0.5).toFixed(1)} | ${at(0.95).toFixed(1)} | ${at(0.99).toFixed(1)} | ${at(1).toFixed(1)} |`);
        console.log(results.at(-1));
      }
    }
  }
  console.log(`\n${customersWanted} customers, ${contactsWanted} contacts, ${runs} runs each (ms)\n`);
  console.log('| db | caller | endpoint | query | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|---|---|');
  console.log(results.join('\n'));
  await app.close();
  await handle.close();
}

/** --data-dir: the generator's data (bench/search-cases.ts), per dialect. */
async function onGenerated(dataDir: string): Promise<void> {
  const which = option('dialect', 'both');
  const dialects = which === 'both' ? (['sqlite', 'postgres'] as const) : which === 'sqlite' || which === 'postgres' ? ([which] as const) : null;
  if (!dialects) {
    throw new Error('--dialect must be sqlite, postgres or both');
  }
  const tables: string[] = [];
  for (const dialect of dialects) {
    const target = benchTarget(dialect, { dataDir, pgUrl: option('pg-url', 'postgres://postgres@127.0.0.1:5432/test'), pgSchema: option('pg-schema', 'bench') });
    tables.push(await runOnGeneratedData({ target, runs, seed: Number(option('seed', '20240601')), refill: process.argv.includes('--refill'), log: (line) => console.log(line) }));
  }
  console.log(`\nGET /api/v1/search?q=…&limit=10 on ${dataDir}, ${runs} queries per row (ms)\n`);
  console.log(tables.join('\n'));
}

const generatedDir = option('data-dir', '');
if (generatedDir) {
  await onGenerated(generatedDir);
} else {
  await main();
}
