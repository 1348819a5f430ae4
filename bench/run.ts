import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import type { DialectName } from '../server/db/dialect';
import { customerContext } from '../server/modules/customers/customers.context';
import { generate } from './generate';
import { HttpClient, type HttpResult, type SignedIn } from './http-client';
import { authFor, type CapturedQuery, captureGet, captureList, RawDatabase } from './raw';
import { markdownTable, ms, type Summary, summarize } from './stats';
import { type BenchMeta, type BenchTarget, benchTarget, readMeta } from './target';

/**
 * npm run bench -- --dialect sqlite|postgres|both [--customers N] [--skip-generate]
 *
 * Generates (or reuses) a large workspace, starts the real server in a child process and measures
 * the customer list and point lookups over HTTP beside the same SQL run straight on the driver.
 * Prints Markdown tables and writes them to bench/results/<dialect>-<date>.md. Asserts nothing.
 */
const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'both' },
    customers: { type: 'string', default: '1000000' },
    contacts: { type: 'string' },
    'follow-ups': { type: 'string' },
    'skip-generate': { type: 'boolean', default: false },
    /** Fill the search module's index for the bulk-loaded rows: on, off, or auto (on up to 200k customers: it runs at ~1k customers/s). */
    'search-index': { type: 'string', default: 'auto' },
    'only-generate': { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: path.join(os.tmpdir(), 'haoke-bench') },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    /** PostgreSQL schema for the bench data (dropped and made anew by the generator). */
    'pg-schema': { type: 'string', default: 'bench' },
    iterations: { type: 'string', default: '300' },
    duration: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '50' },
    'probe-seconds': { type: 'string', default: '15' },
    seed: { type: 'string', default: '20240601' },
    'results-dir': { type: 'string', default: path.join(process.cwd(), 'bench', 'results') },
    /** Appended to the results file name (sqlite-2026-11-23b.md), so a second run of the day keeps the first. */
    'results-suffix': { type: 'string', default: '' },
    /** Writes a V8 CPU profile of the server process into this folder (for finding where time goes). */
    'profile-server': { type: 'string' },
    /** Only these cases (comma-separated ids: a,b,c,d,e,f,g). */
    cases: { type: 'string' },
    /** Also time the public pool recycling job (bench/recycle-bench.ts, its own data of --customers customers). */
    recycle: { type: 'boolean', default: false },
    /** Also time the deals kanban (bench/kanban-bench.ts, its own data: 10k open + 100k other deals). */
    kanban: { type: 'boolean', default: false },
  },
  strict: true,
});

const customersWanted = Number(args.customers);
const iterations = Number(args.iterations);
const warmup = Math.max(10, Math.round(iterations / 10));
const durationSeconds = Number(args.duration);
const concurrency = Number(args.concurrency);
const probeSeconds = Number(args['probe-seconds']);
const dialects: DialectName[] = args.dialect === 'both' ? ['sqlite', 'postgres'] : [args.dialect as DialectName];
if (dialects.some((d) => d !== 'sqlite' && d !== 'postgres')) {
  throw new Error('--dialect must be sqlite, postgres or both');
}

const log = (line: string) => {
  process.stdout.write(`${line}\n`);
};

/** Whether a case runs: all by default, or those named by --cases (by their letter). */
const wanted = (id: string) => !args.cases || args.cases.split(',').includes(id.charAt(0));

const sleep = (msToWait: number) => new Promise<void>((resolve) => setTimeout(resolve, msToWait));

interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** The real server (startServer) in a child process, so the load generator does not share its event loop. */
async function startServerProcess(target: BenchTarget): Promise<ServerProcess> {
  const child = fork(path.join(process.cwd(), 'bin', 'run-ts.mjs'), [path.join('bench', 'server.ts')], {
    env: { ...process.env, BENCH_SERVER: JSON.stringify({ dataDir: target.dataDir, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}) }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: args['profile-server'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['profile-server'])}`] : [],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'listening' && message.url) {
        resolve(message.url);
      }
    });
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) {
        return;
      }
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('stop');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    },
  };
}

interface CaseResult {
  id: string;
  title: string;
  as: string;
  http: Summary;
  raw: Summary | null;
  errors: number;
  target: string;
  verdict: string;
  note?: string;
}

interface Measured {
  samples: number[];
  errors: number;
  firstError: string | null;
}

/** A case stops early after this long (slow queries still get a fair sample, the run stays bounded). */
const caseBudgetMs = 30_000;

async function measureHttp(n: number, request: (i: number) => Promise<HttpResult>): Promise<Measured> {
  const warmEnd = performance.now() + caseBudgetMs / 6;
  for (let i = 0; i < warmup && performance.now() < warmEnd; i += 1) {
    await request(i);
  }
  const samples: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const end = performance.now() + caseBudgetMs;
  for (let i = 0; i < n && (i < 20 || performance.now() < end); i += 1) {
    let res: HttpResult;
    try {
      res = await request(i);
    } catch (error) {
      errors += 1;
      firstError ??= String(error);
      continue;
    }
    samples.push(res.ms);
    if (res.status !== 200) {
      errors += 1;
      firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
    }
  }
  return { samples, errors, firstError };
}

/**
 * HTTP and raw measured side by side, iteration by iteration (in alternating order), so both
 * see the same cache state: measured one after the other, the first one warmed the page cache
 * of an 8 GB database for the second.
 */
async function measurePair(raw: RawDatabase, n: number, request: (i: number) => Promise<HttpResult>, queries: (i: number) => readonly CapturedQuery[]): Promise<{ http: Measured; raw: Summary }> {
  const warmEnd = performance.now() + caseBudgetMs / 6;
  for (let i = 0; i < warmup && performance.now() < warmEnd; i += 1) {
    await request(i);
    await raw.replay(queries(i));
  }
  const samples: number[] = [];
  const rawSamples: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const end = performance.now() + caseBudgetMs;
  const one = async (i: number) => {
    try {
      const res = await request(i);
      samples.push(res.ms);
      if (res.status !== 200) {
        errors += 1;
        firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
      }
    } catch (error) {
      errors += 1;
      firstError ??= String(error);
    }
  };
  for (let i = 0; i < n && (i < 20 || performance.now() < end); i += 1) {
    if (i % 2 === 0) {
      await one(i);
      rawSamples.push(await raw.replay(queries(i)));
    } else {
      rawSamples.push(await raw.replay(queries(i)));
      await one(i);
    }
  }
  return { http: { samples, errors, firstError }, raw: summarize(rawSamples) };
}

function verdict(checks: readonly [boolean, string][]): string {
  const missed = checks.filter(([ok]) => !ok).map(([, what]) => what);
  return missed.length === 0 ? 'met' : `**missed** (${missed.join('; ')})`;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' (+ uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

async function databaseSize(target: BenchTarget, raw: RawDatabase): Promise<string> {
  if (target.dialect === 'sqlite') {
    const size = ['', '-wal'].reduce((sum, suffix) => sum + (fs.existsSync(target.sqliteFile + suffix) ? fs.statSync(target.sqliteFile + suffix).size : 0), 0);
    return `${(size / 1024 ** 3).toFixed(2)} GiB (file)`;
  }
  const rows = await raw.rows<{ bytes: number }>(`select sum(pg_total_relation_size(c.oid))::bigint as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`, [target.pgSchema]);
  return `${(Number(rows[0]?.bytes ?? 0) / 1024 ** 3).toFixed(2)} GiB (schema ${target.pgSchema}, tables + indexes)`;
}

/** Query strings are written readably here and percent-encoded on the way out (名, [contains]). */
const listPath = (query: string) => `/api/v1/customers?${new URLSearchParams(query).toString()}`;

async function benchDialect(dialect: DialectName): Promise<void> {
  const target = benchTarget(dialect, { dataDir: String(args['data-dir']), pgUrl: String(args['pg-url']), pgSchema: String(args['pg-schema']) });
  log(`\n## ${dialect}`);
  let meta: BenchMeta | null = readMeta(target);
  if (!args['skip-generate'] || !meta) {
    const contacts = args.contacts ? Number(args.contacts) : customersWanted * 2;
    const followUps = args['follow-ups'] ? Number(args['follow-ups']) : customersWanted * 5;
    log(`generating ${customersWanted} customers, ${contacts} contacts, ${followUps} follow-ups (${dialect})…`);
    const searchIndex = args['search-index'] === 'on' || (args['search-index'] === 'auto' && customersWanted <= 200_000);
    meta = await generate(target, { customers: customersWanted, contacts, followUps, seed: Number(args.seed), searchIndex, log });
  } else {
    log(`reusing ${meta.counts.customers} customers generated ${meta.generatedAt}`);
  }
  if (args['only-generate']) {
    return;
  }

  const server = await startServerProcess(target);
  const client = new HttpClient(server.url, concurrency * 2 + 8);
  const config = loadConfig({}, [], { dataDir: target.dataDir, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}), logLevel: 'silent', serveWeb: false });
  const raw = await RawDatabase.open(target, config);
  try {
    await runCases(target, meta, server, client, raw);
  } finally {
    client.close();
    await raw.close();
    await server.stop();
  }
}

async function runCases(target: BenchTarget, meta: BenchMeta, server: ServerProcess, client: HttpClient, raw: RawDatabase): Promise<void> {
  const dialect = target.dialect;
  const loadBefore = os.loadavg()[0] ?? 0;
  log(`server at ${server.url}; signing in…`);
  const admin = await client.signIn(meta.adminEmail, meta.password, 'admin');
  const managers: SignedIn[] = [];
  for (const m of meta.managers) {
    managers.push(await client.signIn(m.email, meta.password, m.email));
  }
  const openapi = await client.get('/api/v1/openapi.json');
  const paths = Object.keys((JSON.parse(openapi.body) as { paths?: Record<string, unknown> }).paths ?? {});
  const notes: string[] = [];

  // Data scope and sample ids per manager, through the app's own scope code.
  const managerAuth = await Promise.all(meta.managers.map((m) => authFor(raw, meta.workspaceId, m.id)));
  const adminAuth = await authFor(raw, meta.workspaceId, meta.adminId);
  const scopes: string[][] = [];
  const idsByManager: string[][] = [];
  for (const auth of managerAuth) {
    const ctx = await customerContext(raw.deps, auth);
    const owners = ctx.visibility.scope.kind === 'owners' ? [...ctx.visibility.scope.ownerIds] : [];
    scopes.push(owners);
    const placeholders = owners.map((_, i) => (dialect === 'postgres' ? `$${i + 2}` : '?')).join(', ');
    const ids = await raw.rows<{ id: string }>(
      `select id from customers where workspace_id = ${dialect === 'postgres' ? '$1' : '?'} and owner_id in (${placeholders}) and deleted_at is null order by random() limit 200`,
      [meta.workspaceId, ...owners],
    );
    idsByManager.push(ids.map((r) => r.id));
  }
  const adminIds = (await raw.rows<{ id: string }>(`select id from customers where deleted_at is null order by random() limit 300`)).map((r) => r.id);
  const scopeSizes = scopes.map((s) => s.length);
  log(`manager scopes: ${Math.min(...scopeSizes)}–${Math.max(...scopeSizes)} owners; ${idsByManager[0]?.length ?? 0} sample ids each`);

  const M = managers.length;
  const manager = (i: number) => managers[i % M] as SignedIn;
  const managerIdAt = (i: number) => {
    const ids = idsByManager[i % M] ?? [];
    return ids[Math.floor(i / M) % ids.length] ?? '';
  };
  const results: CaseResult[] = [];
  const plans: string[] = [];

  const runList = async (id: string, title: string, query: string, who: 'manager' | 'admin', target: string, checks: (http: Summary, rawS: Summary) => [boolean, string][]) => {
    if (!wanted(id)) {
      return;
    }
    log(`  ${id} ${title}…`);
    const captured =
      who === 'manager'
        ? await Promise.all(managerAuth.map((auth) => captureList(raw, auth, Object.fromEntries(new URLSearchParams(query)))))
        : [await captureList(raw, adminAuth, Object.fromEntries(new URLSearchParams(query)))];
    const first = captured[0];
    if (first) {
      const queries = [...first.list.map((q) => ['list', q] as const), ...first.count.map((q) => ['count', q] as const)];
      for (const [kind, q] of queries) {
        plans.push(`### ${id} ${title} — ${kind} query (${who === 'manager' ? meta.managers[0]?.email : 'admin'})\n\n\`\`\`sql\n${q.sql}\n\`\`\`\n\n\`\`\`\n${await raw.explain(q)}\n\`\`\``);
      }
    }
    const { http, raw: rawS } = await measurePair(
      raw,
      iterations,
      (i) => client.get(listPath(query), who === 'manager' ? manager(i) : admin),
      (i) => {
        const c = captured[i % captured.length];
        return c ? [...c.list, ...c.count] : [];
      },
    );
    const h = summarize(http.samples);
    results.push({ id, title, as: who === 'manager' ? `sales manager (${scopes[0]?.length ?? 0} owners)` : 'admin (all)', http: h, raw: rawS, errors: http.errors, target, verdict: target === '–' ? '–' : verdict([...checks(h, rawS), [http.errors === 0, `${http.errors} errors`]]) });
    if (http.firstError) {
      notes.push(`${id}: first error ${http.firstError}`);
    }
  };

  await runList('a', 'list: level=A, sort -updatedAt, 50 rows', 'level=A&sort=-updatedAt&limit=50', 'manager', 'p50 ≤ 15, p99 ≤ 50, ≤ 2× raw', (h, r) => [
    [h.p50 <= 15, `p50 ${ms(h.p50)} > 15`],
    [h.p99 <= 50, `p99 ${ms(h.p99)} > 50`],
    [h.p50 <= 2 * r.p50, `p50 ${(h.p50 / r.p50).toFixed(1)}× raw > 2×`],
  ]);
  await runList('a+', 'same, with count=true', 'level=A&sort=-updatedAt&limit=50&count=true', 'manager', '–', () => []);
  await runList('a-null', 'list: sorted by a nullable column (-lastFollowupAt), 50 rows', 'sort=-lastFollowupAt&limit=50', 'manager', '–', () => []);
  await runList('a-admin', 'list: level=A, sort -updatedAt, 50 rows', 'level=A&sort=-updatedAt&limit=50', 'admin', '–', () => []);
  await runList('b', 'list: cf.region=east (custom field), 50 rows', 'cf.region=east&limit=50', 'manager', 'p99 ≤ 80', (h) => [[h.p99 <= 80, `p99 ${ms(h.p99)} > 80`]]);
  await runList('b-admin', 'list: cf.region=east (custom field), 50 rows', 'cf.region=east&limit=50', 'admin', 'p99 ≤ 80', (h) => [[h.p99 <= 80, `p99 ${ms(h.p99)} > 80`]]);

  // (c) point lookups
  for (const who of wanted('c') ? (['manager', 'admin'] as const) : []) {
    log(`  c get one customer as ${who}…`);
    const idAt = (i: number) => (who === 'manager' ? managerIdAt(i) : (adminIds[i % adminIds.length] ?? ''));
    const capturedGets: CapturedQuery[][] = [];
    for (let i = 0; i < iterations + warmup; i += 1) {
      capturedGets.push(await captureGet(raw, who === 'manager' ? (managerAuth[i % M] ?? adminAuth) : adminAuth, idAt(i)));
    }
    const { http, raw: rawS } = await measurePair(
      raw,
      iterations,
      (i) => client.get(`/api/v1/customers/${idAt(i)}`, who === 'manager' ? manager(i) : admin),
      (i) => capturedGets[i % capturedGets.length] ?? [],
    );
    results.push({ id: who === 'manager' ? 'c' : 'c-admin', title: 'get one customer', as: who === 'manager' ? 'sales manager' : 'admin', http: summarize(http.samples), raw: rawS, errors: http.errors, target: '–', verdict: '–' });
    if (http.firstError) {
      notes.push(`c (${who}): first error ${http.firstError}`);
    }
  }

  // (f) search and (g) the 360° view, when those endpoints exist.
  const searchPath = paths.find((p) => p === '/api/v1/search');
  if (!wanted('f')) {
    // not asked for
  } else if (searchPath && meta.searchIndexed === false) {
    notes.push('f: GET /search exists, but the generator did not fill the search index for the bulk-loaded rows (--search-index on does; ~1k customers/s through the search module) — skipped rather than timing an empty index.');
  } else if (searchPath) {
    for (const q of ['张三', '科技', '1381234']) {
      log(`  f search q=${q}…`);
      const http = await measureHttp(Math.min(iterations, 200), (i) => client.get(`/api/v1/search?q=${encodeURIComponent(q)}`, manager(i)));
      results.push({ id: 'f', title: `search q=${q}`, as: 'sales manager', http: summarize(http.samples), raw: null, errors: http.errors, target: '–', verdict: http.errors === 0 ? '–' : `${http.errors} errors` });
      if (http.firstError) {
        notes.push(`f search: first error ${http.firstError}`);
      }
    }
  } else {
    notes.push('f: GET /search is not in the OpenAPI paths of this build — skipped.');
  }
  const overviewPath = paths.find((p) => /^\/api\/v1\/customers\/\{id\}\/overview$/.test(p));
  if (!wanted('g')) {
    // not asked for
  } else if (overviewPath) {
    log('  g 360° overview…');
    const http = await measureHttp(Math.min(iterations, 200), (i) => client.get(`/api/v1/customers/${managerIdAt(i)}/overview`, manager(i)));
    results.push({ id: 'g', title: '360° view (GET /customers/:id/overview)', as: 'sales manager', http: summarize(http.samples), raw: null, errors: http.errors, target: '–', verdict: http.errors === 0 ? '–' : `${http.errors} errors` });
    if (http.firstError) {
      notes.push(`g overview: first error ${http.firstError}`);
    }
  } else {
    notes.push('g: GET /customers/:id/overview is not in the OpenAPI paths of this build — skipped.');
  }

  // (d) 50 clients, list + get, for 30 s.
  if (wanted('d')) {
    log(`  d ${concurrency} concurrent clients for ${durationSeconds} s…`);
    const listQueries = ['level=A&sort=-updatedAt&limit=50', 'limit=50', 'cf.region=east&limit=50'];
    const byKind: Record<'list' | 'get', number[]> = { list: [], get: [] };
    let loadErrors = 0;
    const firstLoad: { error: string | null } = { error: null };
    const loadEnd = performance.now() + durationSeconds * 1000;
    const loadStart = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        let i = w;
        while (performance.now() < loadEnd) {
          const session = manager(w);
          const isList = (i & 1) === 0;
          let res: HttpResult;
          try {
            res = isList ? await client.get(listPath(listQueries[(i >> 1) % listQueries.length] ?? 'limit=50'), session) : await client.get(`/api/v1/customers/${managerIdAt(w + M * (i >> 1))}`, session);
          } catch (error) {
            loadErrors += 1;
            firstLoad.error ??= String(error);
            i += 1;
            continue;
          }
          byKind[isList ? 'list' : 'get'].push(res.ms);
          if (res.status !== 200) {
            loadErrors += 1;
            firstLoad.error ??= `${res.status} ${res.body.slice(0, 200)}`;
          }
          i += 1;
        }
      }),
    );
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const total = byKind.list.length + byKind.get.length;
    const throughput = total / loadSeconds;
    results.push({
      id: 'd',
      title: `${concurrency} clients × ${durationSeconds} s, list+get: ${total} requests, **${throughput.toFixed(0)} req/s**`,
      as: 'sales managers',
      http: summarize([...byKind.list, ...byKind.get]),
      raw: null,
      errors: loadErrors,
      target: '0 errors',
      verdict: loadErrors === 0 ? 'met' : `**missed** (${loadErrors} errors)`,
      note: `list p50/p99 ${ms(summarize(byKind.list).p50)}/${ms(summarize(byKind.list).p99)} ms, get p50/p99 ${ms(summarize(byKind.get).p50)}/${ms(summarize(byKind.get).p99)} ms`,
    });
    if (firstLoad.error) {
      notes.push(`d: first error ${firstLoad.error}`);
    }
  }

  // (e) point GETs while a long read runs.
  if (wanted('e')) {
    const probe = async (background: (stop: () => boolean) => Promise<string>, id: string, title: string) => {
      log(`  ${id} ${title}…`);
      let stopped = false;
      const bg = background(() => stopped);
      await sleep(200);
      const samples: number[] = [];
      let errors = 0;
      const end = performance.now() + probeSeconds * 1000;
      let i = 0;
      while (performance.now() < end) {
        const res = await client.get(`/api/v1/customers/${managerIdAt(i)}`, manager(i));
        samples.push(res.ms);
        if (res.status !== 200) {
          errors += 1;
        }
        i += 1;
        await sleep(5);
      }
      stopped = true;
      const note = await bg;
      const h = summarize(samples);
      results.push({ id, title, as: 'sales manager (probe) + admin (long read)', http: h, raw: null, errors, target: 'probe p99 < 50', verdict: verdict([[h.p99 < 50, `probe p99 ${ms(h.p99)} ≥ 50`], [errors === 0, `${errors} errors`]]), note });
    };

    const countQuery = 'count=true&limit=1&name[contains]=查无此名';
    const countCapture = await captureList(raw, adminAuth, Object.fromEntries(new URLSearchParams(countQuery)));
    for (const q of countCapture.count) {
      plans.push(`### e1 count over the whole table (admin)\n\n\`\`\`sql\n${q.sql}\n\`\`\`\n\n\`\`\`\n${await raw.explain(q)}\n\`\`\``);
    }
    const rawCount = await raw.replay(countCapture.count);
    await probe(
      async (stop) => {
        const durations: number[] = [];
        while (!stop()) {
          const res = await client.get(listPath(countQuery), admin);
          durations.push(res.ms);
        }
        return `long read: GET /customers?${countQuery} (full scan, count capped at 100k) took p50 ${ms(summarize(durations).p50)} ms over HTTP (raw SQL ${ms(rawCount)} ms), ${durations.length}× in a loop`;
      },
      'e1',
      'point GET while a count over the whole table loops',
    );
    await probe(
      async (stop) => {
        const started = performance.now();
        let rows = 0;
        let pages = 0;
        let cursor: string | null = null;
        while (!stop() && rows < 200_000) {
          const res = await client.get(listPath(`limit=200&sort=createdAt${cursor ? `&cursor=${cursor}` : ''}`), admin);
          const body = JSON.parse(res.body) as { data?: unknown[]; nextCursor?: string | null };
          rows += body.data?.length ?? 0;
          pages += 1;
          cursor = body.nextCursor ?? null;
          if (!cursor) {
            cursor = null;
          }
        }
        return `long read: keyset scan of ${rows} rows in ${pages} pages of 200 (admin, sort createdAt) in ${((performance.now() - started) / 1000).toFixed(1)} s${rows >= 200_000 ? '' : ' (stopped with the probe)'}`;
      },
      'e2',
      'point GET while a 200k-row keyset scan runs (pages of 200)',
    );
    // e3: the server's own long read — an export job (keyset pages on the long-read worker).
    await probe(
      async (stop) => {
        const started = performance.now();
        const created = await fetch(`${server.url}/api/v1/exports`, {
          method: 'POST',
          headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
          body: JSON.stringify({ entity: 'customer', format: 'csv', filter: { level: 'A' } }),
        });
        const id = ((await created.json()) as { id?: string }).id ?? '';
        let view: { status?: string; processed?: number } = {};
        let probeEnded = 0;
        // Past the probe, wait for the job (at most 5 minutes) so the server is not stopped mid-export.
        while (performance.now() - started < 300_000) {
          view = JSON.parse((await client.get(`/api/v1/exports/${id}`, admin)).body) as typeof view;
          if (stop() && probeEnded === 0) {
            probeEnded = view.processed ?? 0;
          }
          if (view.status === 'done' || view.status === 'failed') {
            break;
          }
          await sleep(500);
        }
        const seconds = (performance.now() - started) / 1000;
        fs.rmSync(path.join(target.dataDir, 'exports'), { recursive: true, force: true });
        return `long read: export job (CSV, level=A, admin) ${view.status ?? '?'}: ${view.processed ?? 0} rows in ${seconds.toFixed(1)} s (${Math.round((view.processed ?? 0) / seconds)} rows/s incl. queue), ${probeEnded || (view.processed ?? 0)} written while probed`;
      },
      'e3',
      'point GET while an export job runs (CSV, level=A)',
    );
  }

  notes.push(`machine load average (1 min) at start / end of the cases: ${loadBefore.toFixed(1)} / ${(os.loadavg()[0] ?? 0).toFixed(1)} on ${os.cpus().length} cores (other work on this machine shares them)`);
  await writeReport(target, meta, raw, results, notes, plans);
}

async function writeReport(target: BenchTarget, meta: BenchMeta, raw: RawDatabase, results: readonly CaseResult[], notes: readonly string[], plans: readonly string[]): Promise<void> {
  const dbVersion =
    target.dialect === 'sqlite'
      ? `SQLite ${(await raw.rows<{ v: string }>('select sqlite_version() as v'))[0]?.v ?? '?'}`
      : ((await raw.rows<{ v: string }>('select version() as v'))[0]?.v ?? '?').split(' on ')[0];
  const header = ['#', 'case', 'as', 'n', 'HTTP p50', 'HTTP p95', 'HTTP p99', 'raw p50', 'raw p95', 'raw p99', 'HTTP/raw (p50)', 'target', 'result'];
  const rows = results.map((r) => [
    r.id,
    r.title,
    r.as,
    String(r.http.n),
    ms(r.http.p50),
    ms(r.http.p95),
    ms(r.http.p99),
    r.raw ? ms(r.raw.p50) : '–',
    r.raw ? ms(r.raw.p95) : '–',
    r.raw ? ms(r.raw.p99) : '–',
    r.raw ? `${(r.http.p50 / r.raw.p50).toFixed(1)}×` : '–',
    r.target,
    r.verdict,
  ]);
  const date = new Date().toISOString();
  const lines = [
    `# Haoke CRM benchmark — ${target.dialect} — ${date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Data: ${meta.counts.customers.toLocaleString('en')} customers, ${meta.counts.contacts.toLocaleString('en')} contacts, ${meta.counts.followUps.toLocaleString('en')} follow-ups, ${meta.counts.collaborators.toLocaleString('en')} collaborators, ${meta.counts.users} users in ${meta.counts.departments} departments (generated ${meta.generatedAt})`,
    `- Generation: ${Object.entries(meta.timings)
      .map(([k, v]) => `${k} ${v} s`)
      .join('; ')}; bulk load ${meta.rowsPerSecond.toLocaleString('en')} rows/s`,
    `- Database: ${dbVersion}, ${await databaseSize(target, raw)}`,
    `- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}; server in its own process (startServer), client over keep-alive HTTP on 127.0.0.1`,
    `- Code: ${gitCommit()}; up to ${iterations} timed iterations per case (at least 20, at most ~${caseBudgetMs / 1000} s) after up to ${warmup} warm-up; times in ms`,
    '',
    markdownTable(header, rows),
    '',
    ...results.filter((r) => r.note).map((r) => `- ${r.id}: ${r.note}`),
    ...notes.map((n) => `- ${n}`),
    '',
    '"raw" = the SQL statement(s) the API runs for the request, captured from the app\'s own repo functions and replayed straight on the driver (better-sqlite3 / pg) in the runner process, alternating with the HTTP requests so both see the same cache state. Targets are judged on this run as measured, on a machine shared with other work (see the load average).',
    '',
    '## Query plans',
    '',
    ...plans,
    '',
  ];
  const text = lines.join('\n');
  log('');
  log(text);
  fs.mkdirSync(String(args['results-dir']), { recursive: true });
  const file = path.join(String(args['results-dir']), `${target.dialect}-${date.slice(0, 10)}${String(args['results-suffix'])}.md`);
  fs.writeFileSync(file, text);
  log(`written to ${path.relative(process.cwd(), file)}`);
}

for (const dialect of dialects) {
  await benchDialect(dialect);
}

// 自动回收: the recycling job over --customers customers (own data, one runner per dialect, then two at once on PostgreSQL).
if (args.recycle) {
  execFileSync(process.execPath, [path.join('bin', 'run-ts.mjs'), path.join('bench', 'recycle-bench.ts'), '--dialect', String(args.dialect), '--customers', String(args.customers)], { stdio: 'inherit' });
}

// 商机看板: GET /deals/board of a pipeline with 10,000 open deals (own data, per dialect).
if (args.kanban) {
  execFileSync(process.execPath, [path.join('bin', 'run-ts.mjs'), path.join('bench', 'kanban-bench.ts'), '--dialect', String(args.dialect)], { stdio: 'inherit' });
}
