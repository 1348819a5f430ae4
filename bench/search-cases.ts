/**
 * Global search on the main generator's data (bench/generate.ts: 1M customers, 2M contacts, 5M
 * follow-ups, 200 sales users under 20 managers): `bench/search-bench.ts --data-dir DIR` runs this.
 *
 * 1. If the generator left the search index empty (`--search-index off`), it is filled here with
 *    the app's bulk path (fillWorkspaceIndex, the one reindexWorkspace and the generator use),
 *    stage by stage timed, and the meta file updated (searchIndexed, timings).
 * 2. The real server in a child process (bench/server.ts); sign-in as the admin (scope all), a
 *    sales manager (their department: ~10 owners) and a sales rep (own: 1 owner of 200).
 * 3. GET /api/v1/search?q=…&limit=10 for 张-like surnames, 2-character names, 4–7 middle digits
 *    of a mobile number, an email fragment and a company fragment — each sampled from the data —
 *    with the same SQL replayed straight on the driver alongside (captured by running the app's
 *    globalSearch through a logging Kysely, bench/raw.ts): p50/p95/p99 and raw SQL p50.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../server/config';
import { connectDatabase } from '../server/db/connect';
import '../server/modules/deals/deals.search';
import { globalSearch } from '../server/modules/search/search.service';
import { fillWorkspaceIndex } from '../server/modules/search/search.rebuild';
import { reindexWorkspace } from '../server/modules/search/search.index';
import { HttpClient, type SignedIn } from './http-client';
import { authFor, type CapturedQuery, RawDatabase } from './raw';
import { markdownTable, ms, summarize } from './stats';
import { type BenchMeta, type BenchTarget, readMeta, writeMeta } from './target';

export interface GeneratedRunOptions {
  target: BenchTarget;
  runs: number;
  seed: number;
  /** Empty the index first and fill it again (to time the fill on data indexed already). */
  refill: boolean;
  log: (line: string) => void;
}

/**
 * Empties search_docs when it holds this workspace's docs only (bench data): SQLite without the
 * per-row delete trigger (FTS5 'delete-all' instead), PostgreSQL by TRUNCATE.
 */
async function resetIndex(db: ReturnType<typeof connectDatabase>['db'], dialect: string, workspaceId: string): Promise<void> {
  const others = await sql`select 1 from search_docs where workspace_id <> ${workspaceId} limit 1`.execute(db);
  if (others.rows.length > 0) {
    throw new Error('search_docs holds other workspaces: not resetting it');
  }
  if (dialect === 'postgres') {
    await sql`truncate search_docs`.execute(db);
    return;
  }
  await db.transaction().execute(async (trx) => {
    const trigger = (await sql<{ ddl: string }>`select sql as ddl from sqlite_master where type = 'trigger' and name = 'search_docs_ad'`.execute(trx)).rows[0]?.ddl;
    await sql`drop trigger if exists search_docs_ad`.execute(trx);
    await sql`delete from search_docs`.execute(trx);
    await sql`insert into search_fts(search_fts) values ('delete-all')`.execute(trx);
    await sql`insert into search_grams(search_grams) values ('delete-all')`.execute(trx);
    if (trigger) {
      await sql.raw(trigger).execute(trx);
    }
  });
}

/** Fills the search index of generated data that has none, timed by stage; updates the meta file. */
async function ensureIndex(target: BenchTarget, meta: BenchMeta, refill: boolean, log: (line: string) => void): Promise<void> {
  const handle = connectDatabase({ dataDir: target.dataDir, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl, pgSchema: target.pgSchema } : {}) });
  try {
    if (refill) {
      const t = performance.now();
      await resetIndex(handle.db, handle.dialect, meta.workspaceId);
      log(`search index: emptied in ${((performance.now() - t) / 1000).toFixed(1)} s (--refill)`);
    }
    const docs = await sql<{ n: number | string }>`select count(*) as n from (select 1 from search_docs where workspace_id = ${meta.workspaceId} limit 10) x`.execute(handle.db);
    if (meta.searchIndexed && Number(docs.rows[0]?.n) > 0) {
      log('search index: already filled');
      return;
    }
    if (handle.dialect === 'sqlite') {
      await sql`pragma cache_size = -1000000`.execute(handle.db);
    }
    log(`search index: filling ${target.dialect} (bulk path)…`);
    const started = performance.now();
    const cpu = process.cpuUsage();
    let last = performance.now();
    const stages: Record<string, number> = {};
    const options = {
      onProgress: (done: number) => {
        if (performance.now() - last > 15_000) {
          last = performance.now();
          log(`  … ${done} records`);
        }
      },
      onStage: (stage: string, elapsed: number) => {
        stages[stage] = Math.round(elapsed / 100) / 10;
        log(`  ${stage}: ${stages[stage]} s`);
      },
    };
    let written: number;
    if (Number(docs.rows[0]?.n) > 0) {
      // A fill that stopped half-way: the app's compare-and-complete path.
      await reindexWorkspace(handle.db, handle.dialect, meta.workspaceId, options.onProgress);
      written = Number((await sql<{ n: number | string }>`select count(*) as n from search_docs where workspace_id = ${meta.workspaceId}`.execute(handle.db)).rows[0]?.n);
    } else {
      written = await fillWorkspaceIndex(handle.db, handle.dialect, meta.workspaceId, options);
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    log(`search index: ${written} docs in ${seconds.toFixed(1)} s = ${Math.round(written / seconds)} docs/s (node CPU ${((used.user + used.system) / 1e6).toFixed(1)} s)`);
    meta.searchIndexed = true;
    meta.timings['search index (bulk fill)'] = Math.round(seconds * 100) / 100;
    for (const [stage, s] of Object.entries(stages)) {
      meta.timings[`search index: ${stage}`] = s;
    }
    writeMeta(target, meta);
  } finally {
    await handle.close();
  }
}

function startServer(target: BenchTarget): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(path.join(process.cwd(), 'bin', 'run-ts.mjs'), [path.join('bench', 'server.ts')], {
    env: { ...process.env, BENCH_SERVER: JSON.stringify({ dataDir: target.dataDir, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}) }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { type?: string; url?: string }) => (m.type === 'listening' && m.url ? resolve({ url: m.url, child }) : undefined));
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
}

/** mulberry32: the same fragments every run. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Query fragments of each kind, drawn from the data itself. */
async function sampleQueries(raw: RawDatabase, workspaceId: string, seed: number, n: number): Promise<Record<string, string[]>> {
  const rand = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const p = raw.dialect === 'postgres' ? '$1' : '?';
  const contacts = await raw.rows<{ name: string; phone: string | null; email: string | null }>(
    `select name, phone, email from contacts where workspace_id = ${p} and deleted_at is null order by random() limit 2000`,
    [workspaceId],
  );
  const companies = await raw.rows<{ name: string }>(`select name from customers where workspace_id = ${p} and kind = 'company' and deleted_at is null order by random() limit 1000`, [workspaceId]);
  const chinese = (s: string) => /^[\u4e00-\u9fff]{2,}/.test(s);
  const names = contacts.map((c) => c.name).filter(chinese);
  const phones = contacts.map((c) => (c.phone ?? '').replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '')).filter((d) => d.length === 11);
  const mails = contacts.map((c) => (c.email ?? '').split('@')[0] ?? '').filter((l) => /^[a-z]{5,}/.test(l));
  const firms = companies.map((c) => c.name).filter(chinese);
  const take = (make: () => string) => Array.from({ length: n }, make);
  return {
    '1 char (张 / surnames)': take(() => pick(['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '周', '吴'])),
    '2 chars (张三 / names)': take(() => Array.from(pick(names)).slice(0, 2).join('')),
    'phone fragment (4–7 middle digits)': take(() => {
      const len = 4 + Math.floor(rand() * 4);
      return pick(phones).slice(3, 3 + len);
    }),
    'email fragment (3–5 letters)': take(() => pick(mails).slice(0, 3 + Math.floor(rand() * 3))),
    'company fragment (city + brand, 3–4 chars)': take(() => Array.from(pick(firms)).slice(0, 3 + Math.floor(rand() * 2)).join('')),
  };
}

export async function runOnGeneratedData(options: GeneratedRunOptions): Promise<string> {
  const { target, log } = options;
  const meta = readMeta(target);
  if (!meta) {
    throw new Error(`no generated data at ${target.metaPath}: run npm run bench -- --only list --only-generate first`);
  }
  await ensureIndex(target, meta, options.refill, log);
  const config = loadConfig({}, [], { dataDir: target.dataDir, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}), logLevel: 'silent', serveWeb: false });
  const raw = await RawDatabase.open(target, config);
  const server = await startServer(target);
  const client = new HttpClient(server.url, 8);
  const rows: string[][] = [];
  try {
    const manager = meta.managers[0];
    const repEmail = 'rep001@bench.haoke.test';
    const p = raw.dialect === 'postgres' ? '$1' : '?';
    const rep = (await raw.rows<{ id: string }>(`select id from users where email = ${p}`, [repEmail]))[0];
    if (!manager || !rep) {
      throw new Error('generated data without managers or rep001');
    }
    const callers: [string, string, SignedIn][] = [
      ['admin (all)', meta.adminId, await client.signIn(meta.adminEmail, meta.password, 'admin')],
      [`sales manager (${manager.email})`, manager.id, await client.signIn(manager.email, meta.password, 'manager')],
      [`sales rep (${repEmail})`, rep.id, await client.signIn(repEmail, meta.password, 'rep')],
    ];
    const queries = await sampleQueries(raw, meta.workspaceId, options.seed, options.runs);
    for (const [who, userId, session] of callers) {
      const auth = await authFor(raw, meta.workspaceId, userId);
      for (const [label, list] of Object.entries(queries)) {
        // The app's SQL for each query, captured once (which also warms the caches for both sides).
        const captured: CapturedQuery[][] = [];
        for (const q of list) {
          captured.push(await raw.capture(() => globalSearch(raw.deps, auth, q, 10)));
        }
        const url = (q: string) => `/api/v1/search?q=${encodeURIComponent(q)}&limit=10`;
        for (let i = 0; i < Math.min(10, list.length); i += 1) {
          await client.get(url(list[i] ?? ''), session);
        }
        const http: number[] = [];
        const rawMs: number[] = [];
        let errors = 0;
        for (let i = 0; i < list.length; i += 1) {
          const res = await client.get(url(list[i] ?? ''), session);
          http.push(res.ms);
          errors += res.status === 200 ? 0 : 1;
          rawMs.push(await raw.replay(captured[i] ?? []));
        }
        const h = summarize(http);
        const r = summarize(rawMs);
        rows.push([target.dialect, who, label, String(h.n), ms(h.p50), ms(h.p95), ms(h.p99), ms(h.max), ms(r.p50), ms(r.p95), h.p95 <= 100 ? 'met' : '**missed**', errors > 0 ? `${errors} errors` : '']);
        log(`| ${rows.at(-1)?.join(' | ')} |`);
      }
    }
  } finally {
    client.close();
    await raw.close();
    server.child.send('stop');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
  const header = ['db', 'caller', 'query', 'n', 'p50', 'p95', 'p99', 'max', 'raw SQL p50', 'raw SQL p95', 'p95 ≤ 100 ms', 'errors'];
  return markdownTable(header, rows);
}
