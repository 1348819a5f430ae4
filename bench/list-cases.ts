import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config';
import type { DialectName } from '../server/db/dialect';
import { customerContext } from '../server/modules/customers/customers.context';
import { followUpCases } from './follow-up-cases';
import { generate } from './generate';
import { HttpClient, type HttpResult, type SignedIn } from './http-client';
import { writeReport } from './list-report';
import { type CaseResult, measureHttp, measurePair, type ServerProcess, startServerProcess, verdict } from './measure';
import { authFor, type CapturedQuery, captureGet, captureList, RawDatabase } from './raw';
import { log, options, sleep, wantedCase } from './run-options';
import { ms, type Summary, summarize } from './stats';
import { type BenchMeta, type BenchTarget, benchTarget, readMeta } from './target';

const { args } = options;

/**
 * The list suite: the customer list and point lookups over HTTP beside the same SQL run straight
 * on the driver (a … g), the follow-up records list (h), 50 clients on list + get (d), point GETs
 * during long reads and an export (e).
 */

/** Query strings are written readably here and percent-encoded on the way out (名, [contains]). */
const listPath = (query: string) => `/api/v1/customers?${new URLSearchParams(query).toString()}`;

/** The list suite on one dialect: generate (or reuse) the data, start the server, run the cases. */
export async function benchDialect(dialect: DialectName): Promise<CaseResult[]> {
  const target = benchTarget(dialect, { dataDir: String(args['data-dir']), pgUrl: String(args['pg-url']), pgSchema: String(args['pg-schema']) });
  log(`\n## ${dialect}`);
  let meta: BenchMeta | null = readMeta(target);
  if (!args['skip-generate'] || !meta) {
    const contacts = args.contacts ? Number(args.contacts) : options.customers * 2;
    const followUps = args['follow-ups'] ? Number(args['follow-ups']) : options.customers * 5;
    log(`generating ${options.customers} customers, ${contacts} contacts, ${followUps} follow-ups (${dialect})…`);
    const searchIndex = args['search-index'] !== 'off';
    meta = await generate(target, { customers: options.customers, contacts, followUps, seed: Number(args.seed), searchIndex, log });
  } else {
    log(`reusing ${meta.counts.customers} customers generated ${meta.generatedAt}`);
  }
  if (args['only-generate']) {
    return [];
  }

  const server = await startServerProcess(target);
  const client = new HttpClient(server.url, options.concurrency * 2 + 8);
  const config = loadConfig({}, [], { dataDir: target.dataDir, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}), logLevel: 'silent', serveWeb: false });
  const raw = await RawDatabase.open(target, config);
  try {
    return await runCases(target, meta, server, client, raw);
  } finally {
    client.close();
    await raw.close();
    await server.stop();
  }
}

async function runCases(target: BenchTarget, meta: BenchMeta, server: ServerProcess, client: HttpClient, raw: RawDatabase): Promise<CaseResult[]> {
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
    if (!wantedCase(id)) {
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
      options.iterations,
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
  // By name: the normalised name's key index (migration 0021), for a rep's scope and for everything.
  await runList('a-name', 'list: sort name, 50 rows', 'sort=name&limit=50', 'manager', '–', () => []);
  await runList('a-name-admin', 'list: level=A, sort -name, 50 rows', 'level=A&sort=-name&limit=50', 'admin', '–', () => []);
  const sampleName = (await raw.rows<{ name: string }>(`select name from customers where id = ${dialect === 'postgres' ? '$1' : '?'}`, [adminIds[0] ?? ''])).at(0)?.name ?? '';
  await runList('a-name-eq', 'list: name=<an existing name>', `name=${encodeURIComponent(sampleName)}&limit=50`, 'admin', '–', () => []);
  await runList('b', 'list: cf.region=east (custom field), 50 rows', 'cf.region=east&limit=50', 'manager', 'p99 ≤ 80', (h) => [[h.p99 <= 80, `p99 ${ms(h.p99)} > 80`]]);
  await runList('b-admin', 'list: cf.region=east (custom field), 50 rows', 'cf.region=east&limit=50', 'admin', 'p99 ≤ 80', (h) => [[h.p99 <= 80, `p99 ${ms(h.p99)} > 80`]]);

  // (c) point lookups
  for (const who of wantedCase('c') ? (['manager', 'admin'] as const) : []) {
    log(`  c get one customer as ${who}…`);
    const idAt = (i: number) => (who === 'manager' ? managerIdAt(i) : (adminIds[i % adminIds.length] ?? ''));
    const capturedGets: CapturedQuery[][] = [];
    for (let i = 0; i < options.iterations + options.warmup; i += 1) {
      capturedGets.push(await captureGet(raw, who === 'manager' ? (managerAuth[i % M] ?? adminAuth) : adminAuth, idAt(i)));
    }
    const { http, raw: rawS } = await measurePair(
      raw,
      options.iterations,
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
  if (!wantedCase('f')) {
    // not asked for
  } else if (searchPath && meta.searchIndexed === false) {
    notes.push('f: GET /search exists, but the generator did not fill the search index for the bulk-loaded rows (it was run with --search-index off) — skipped rather than timing an empty index.');
  } else if (searchPath) {
    for (const q of ['张三', '科技', '1381234']) {
      log(`  f search q=${q}…`);
      const http = await measureHttp(Math.min(options.iterations, 200), (i) => client.get(`/api/v1/search?q=${encodeURIComponent(q)}`, manager(i)));
      results.push({ id: 'f', title: `search q=${q}`, as: 'sales manager', http: summarize(http.samples), raw: null, errors: http.errors, target: '–', verdict: http.errors === 0 ? '–' : `${http.errors} errors` });
      if (http.firstError) {
        notes.push(`f search: first error ${http.firstError}`);
      }
    }
  } else {
    notes.push('f: GET /search is not in the OpenAPI paths of this build — skipped.');
  }
  const overviewPath = paths.find((p) => /^\/api\/v1\/customers\/\{id\}\/overview$/.test(p));
  if (!wantedCase('g')) {
    // not asked for
  } else if (overviewPath) {
    log('  g 360° overview…');
    const http = await measureHttp(Math.min(options.iterations, 200), (i) => client.get(`/api/v1/customers/${managerIdAt(i)}/overview`, manager(i)));
    results.push({ id: 'g', title: '360° view (GET /customers/:id/overview)', as: 'sales manager', http: summarize(http.samples), raw: null, errors: http.errors, target: '–', verdict: http.errors === 0 ? '–' : `${http.errors} errors` });
    if (http.firstError) {
      notes.push(`g overview: first error ${http.firstError}`);
    }
  } else {
    notes.push('g: GET /customers/:id/overview is not in the OpenAPI paths of this build — skipped.');
  }

  // (h) the follow-up records list 跟进记录.
  results.push(...(await followUpCases({ raw, client, managers, managerAuth, scopes, nowMs: Date.parse(meta.generatedAt) })));

  // (d) 50 clients, list + get, for 30 s.
  if (wantedCase('d')) {
    log(`  d ${options.concurrency} concurrent clients for ${options.durationSeconds} s…`);
    const listQueries = ['level=A&sort=-updatedAt&limit=50', 'limit=50', 'cf.region=east&limit=50'];
    const byKind: Record<'list' | 'get', number[]> = { list: [], get: [] };
    let loadErrors = 0;
    const firstLoad: { error: string | null } = { error: null };
    const loadEnd = performance.now() + options.durationSeconds * 1000;
    const loadStart = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async (_, w) => {
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
      title: `${options.concurrency} clients × ${options.durationSeconds} s, list+get: ${total} requests, **${throughput.toFixed(0)} req/s**`,
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
  if (wantedCase('e')) {
    const probe = async (background: (stop: () => boolean) => Promise<string>, id: string, title: string) => {
      log(`  ${id} ${title}…`);
      let stopped = false;
      const bg = background(() => stopped);
      await sleep(200);
      const samples: number[] = [];
      let errors = 0;
      const end = performance.now() + options.probeSeconds * 1000;
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
  return results;
}
