/**
 * Kanban latency (server/modules/deals): a workspace with 10,000 open deals in one pipeline and
 * 100,000 other deals (closed ones in the same pipeline, open ones in a second pipeline), on
 * 20,000 customers and 50 owners. Times GET /api/v1/deals/board over real HTTP (the real server in
 * a child process, sessions, data scope, presentation) as an admin (scope all) and as a sales rep
 * (own deals), plus "more of a column" (GET /deals?stageId=…&cursor=…), and beside them the same
 * SQL run straight on the driver. Target: the board opens in < 300 ms.
 *
 *   node bin/run-ts.mjs bench/kanban-bench.ts [--dialect sqlite|postgres|both] [--iterations 200]
 *     [--open 10000] [--other 100000] [--fresh] [--data-dir /tmp/haoke-kanban-bench]
 *     [--pg-url postgres://postgres@127.0.0.1:5432/test]
 *
 * Data is kept (SQLite file under --data-dir, PostgreSQL schema kanban_bench) and reused unless
 * --fresh is given. Results go to stdout and bench/results/kanban-<dialect>-<date>.md.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { recreatePgSchema } from './pg-schema';
import { loadConfig } from '../server/config';
import { analyzeTables, type DialectName } from '../server/db/dialect';
import { newId } from '../server/db/ids';
import type { DealStatus } from '../server/db/types-deals';
import { dealBase } from '../server/modules/deals/deals.repo';
import { ensureDefaultPipeline } from '../server/modules/pipelines/pipelines.seed';
import { createWorkspace } from '../server/modules/setup/setup.service';
import { prepare } from '../server/start';
import { HttpClient, type SignedIn } from './http-client';
import { markdownTable, ms, type Summary, summarize } from './stats';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'both' },
    iterations: { type: 'string', default: '200' },
    open: { type: 'string', default: '10000' },
    other: { type: 'string', default: '100000' },
    fresh: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: '/tmp/haoke-kanban-bench' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'results-dir': { type: 'string', default: path.join(process.cwd(), 'bench', 'results') },
  },
  strict: true,
});

const iterations = Number(args.iterations);
const openWanted = Number(args.open);
const otherWanted = Number(args.other);
const password = 'Bench-password-123';
const schema = 'kanban_bench';
const perColumn = 20;
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Meta {
  workspaceId: string;
  adminEmail: string;
  repEmail: string;
  repId: string;
  pipelineId: string;
  stageIds: string[];
  open: number;
  other: number;
}

let seed = 20240601;
function rand(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function targetOf(dialect: DialectName) {
  const dataDir = path.join(args['data-dir'], dialect);
  fs.mkdirSync(dataDir, { recursive: true });
  const url = new URL(args['pg-url']);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { dataDir, databaseUrl: dialect === 'postgres' ? url.toString() : undefined, metaPath: path.join(dataDir, 'kanban-meta.json') };
}

async function generate(dialect: DialectName): Promise<Meta> {
  const target = targetOf(dialect);
  if (args.fresh) {
    fs.rmSync(target.metaPath, { force: true });
    if (dialect === 'sqlite') {
      for (const f of ['haoke.db', 'haoke.db-wal', 'haoke.db-shm']) {
        fs.rmSync(path.join(target.dataDir, f), { force: true });
      }
    }
  }
  if (fs.existsSync(target.metaPath)) {
    const meta = JSON.parse(fs.readFileSync(target.metaPath, 'utf8')) as Meta;
    if (meta.open === openWanted && meta.other === otherWanted) {
      log(`${dialect}: reusing the data (${meta.open} open + ${meta.other} other deals)`);
      return meta;
    }
  }
  if (dialect === 'postgres') {
    await recreatePgSchema(args['pg-url'], schema);
  } else {
    fs.rmSync(path.join(target.dataDir, 'haoke.db'), { force: true });
  }
  const config = loadConfig({}, [], { dataDir: target.dataDir, logLevel: 'silent', serveWeb: false, argon2MemoryKib: 1024, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}) });
  const { app, handle, deps } = await prepare(config, dialect === 'postgres' ? { pgSchema: schema } : {});
  await app.ready();
  const db = deps.db;
  const started = performance.now();
  const adminEmail = `kanban-admin-${Date.now()}@example.com`;
  const { workspaceId, userId: adminId } = await createWorkspace(deps, { workspaceName: 'Kanban bench', name: 'Admin', email: adminEmail, password, locale: 'zh-CN' }, { allowMore: true });
  const salesRole = await db.selectFrom('roles').select('id').where('workspaceId', '=', workspaceId).where('key', '=', 'sales').executeTakeFirstOrThrow();
  const now = new Date();
  const iso = now.toISOString();
  const hash = (await db.selectFrom('users').select('passwordHash').where('id', '=', adminId).executeTakeFirstOrThrow()).passwordHash;
  const owners: string[] = [];
  const repEmail = `kanban-rep-${Date.now()}@example.com`;
  for (let i = 0; i < 50; i += 1) {
    const id = newId();
    owners.push(id);
    await db
      .insertInto('users')
      .values({ id, workspaceId, email: i === 0 ? repEmail : `owner${i}-${Date.now()}@example.com`, name: `销售${i}`, phone: null, passwordHash: hash, departmentId: null, managerId: null, status: 'active', locale: null, lockedUntil: null, lastLoginAt: null, passwordChangedAt: iso, createdAt: iso, updatedAt: iso })
      .execute();
  }
  await db.insertInto('userRoles').values({ workspaceId, userId: owners[0] ?? '', roleId: salesRole.id }).execute();
  const pipelineId = await ensureDefaultPipeline(db, workspaceId, iso);
  const stageIds = (await db.selectFrom('pipelineStages').select('id').where('pipelineId', '=', pipelineId).orderBy('sort').execute()).map((s) => s.id);
  const otherPipeline = newId();
  await db.insertInto('pipelines').values({ id: otherPipeline, workspaceId, name: '项目型', isDefault: 0, active: 1, sort: 1, seedKey: null, createdAt: iso, updatedAt: iso, deletedAt: null }).execute();
  const otherStages = [0, 1, 2].map(() => newId());
  await db
    .insertInto('pipelineStages')
    .values(otherStages.map((id, i) => ({ id, workspaceId, pipelineId: otherPipeline, name: `阶段${i + 1}`, winProbability: 20 * (i + 1), sort: i, createdAt: iso, updatedAt: iso, deletedAt: null })))
    .execute();
  const customers: string[] = [];
  const batch = 500;
  const customerCount = 20_000;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < customerCount; i += batch) {
      const rows = [];
      for (let j = i; j < Math.min(customerCount, i + batch); j += 1) {
        const id = newId();
        customers.push(id);
        const name = `客户${j}`;
        rows.push({ id, workspaceId, name, nameKey: name, kind: 'company', phone: null, phoneKey: null, email: null, emailKey: null, website: null, level: null, source: null, industry: null, lifecycleStage: 'intent', dealStatus: 'none', ownerId: owners[j % owners.length] ?? null, locked: 0, province: null, city: null, district: null, address: null, primaryContactId: null, remark: null, lastFollowupAt: null, lastFollowupContent: null, nextFollowupAt: null, ownerSince: iso, custom: '{}', createdBy: null, createdAt: iso, updatedAt: iso, deletedAt: null, deletedBy: null });
      }
      await trx.insertInto('customers').values(rows).execute();
    }
  });
  const total = openWanted + otherWanted;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < total; i += batch) {
      const rows = [];
      for (let j = i; j < Math.min(total, i + batch); j += 1) {
        const customerIndex = Math.floor(rand() * customers.length);
        const created = new Date(now.getTime() - Math.floor(rand() * 365 * 86_400_000)).toISOString();
        // The first `open` deals are the board; the rest: half closed in the same pipeline, half open in the other.
        const isBoard = j < openWanted;
        const closedHere = !isBoard && j % 2 === 0;
        const status: DealStatus = isBoard || !closedHere ? 'open' : ((['won', 'lost', 'invalid'] as const)[j % 3] ?? 'won');
        const stageId = isBoard || closedHere ? (stageIds[Math.floor(rand() * stageIds.length)] ?? '') : (otherStages[j % 3] ?? '');
        rows.push({
          id: newId(),
          workspaceId,
          customerId: customers[customerIndex] ?? '',
          contactId: null,
          leadId: null,
          name: `商机 ${j}`,
          pipelineId: isBoard || closedHere ? pipelineId : otherPipeline,
          stageId,
          amountCents: Math.floor(rand() * 100_000_000),
          expectedCloseDate: null,
          status,
          lostReason: status === 'lost' ? '价格' : null,
          ownerId: owners[customerIndex % owners.length] ?? null,
          source: null,
          remark: null,
          stageEnteredAt: created,
          lastFollowupAt: null,
          nextFollowupAt: null,
          custom: '{}',
          closedAt: status === 'open' ? null : created,
          createdBy: null,
          createdAt: created,
          updatedAt: created,
          deletedAt: null,
          deletedBy: null,
        });
      }
      await trx.insertInto('deals').values(rows).execute();
      if ((i / batch) % 20 === 0) {
        process.stdout.write(`\r${dialect}: deals ${i + rows.length}/${total}`);
      }
    }
  });
  await analyzeTables(db, handle.dialect, ['deals', 'customers', 'pipeline_stages', 'users']);
  if (handle.dialect === 'postgres') {
    // What autovacuum gives a live table: the visibility map, so counts are index-only scans.
    for (const table of ['deals', 'customers']) {
      await sql`vacuum analyze ${sql.table(table)}`.execute(db);
    }
  }
  log(`\r${dialect}: generated ${total} deals on ${customerCount} customers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await app.close();
  await handle.close();
  const meta: Meta = { workspaceId, adminEmail, repEmail, repId: owners[0] ?? '', pipelineId, stageIds, open: openWanted, other: otherWanted };
  fs.writeFileSync(target.metaPath, JSON.stringify(meta));
  return meta;
}

async function startServer(target: ReturnType<typeof targetOf>) {
  const child = fork(path.join(process.cwd(), 'bin', 'run-ts.mjs'), [path.join('bench', 'server.ts')], {
    env: { ...process.env, BENCH_SERVER: JSON.stringify({ dataDir: target.dataDir, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}) }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
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
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    },
  };
}

async function time(n: number, run: () => Promise<void>): Promise<Summary> {
  for (let i = 0; i < Math.max(5, n / 10); i += 1) {
    await run();
  }
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

async function measure(dialect: DialectName, meta: Meta): Promise<string[][]> {
  const target = targetOf(dialect);
  const server = await startServer(target);
  const client = new HttpClient(server.url);
  const rows: string[][] = [];
  try {
    const admin = await client.signIn(meta.adminEmail, password, 'admin');
    const rep = await client.signIn(meta.repEmail, password, 'rep');
    const firstBoard = await client.get(`/api/v1/deals/board?pipelineId=${meta.pipelineId}&perColumn=${perColumn}`, admin);
    const board = JSON.parse(firstBoard.body) as { columns: { stageId: string; count: number; nextCursor: string | null }[] };
    const counted = board.columns.reduce((n, c) => n + c.count, 0);
    log(`${dialect}: board answers ${firstBoard.status}, ${counted} open deals in ${board.columns.length} columns`);
    const cursor = board.columns[0]?.nextCursor ?? '';
    const httpCase = async (label: string, who: SignedIn, url: string) => {
      const summary = await time(iterations, async () => {
        const res = await client.get(url, who);
        if (res.status !== 200) {
          throw new Error(`${url}: ${res.status} ${res.body.slice(0, 200)}`);
        }
      });
      return { label, summary };
    };
    const http = [
      await httpCase('GET /deals/board (admin, all 10k)', admin, `/api/v1/deals/board?pipelineId=${meta.pipelineId}&perColumn=${perColumn}`),
      await httpCase('GET /deals/board (sales rep, own)', rep, `/api/v1/deals/board?pipelineId=${meta.pipelineId}&perColumn=${perColumn}`),
      await httpCase('GET /deals?stageId&cursor (column page 2)', admin, `/api/v1/deals?stageId=${meta.stageIds[0] ?? ''}&status=open&limit=${perColumn}&cursor=${cursor}`),
    ];

    // The same SQL straight on the driver (own connection, no HTTP, auth or presentation).
    const config = loadConfig({}, [], { dataDir: target.dataDir, logLevel: 'silent', serveWeb: false, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}) });
    const { app, handle, deps } = await prepare(config, dialect === 'postgres' ? { pgSchema: schema } : {});
    const db = deps.db;
    const scopeAll = sql`1 = 1`;
    const scopeRep = sql`d.owner_id = ${meta.repId}`;
    // The board's two statements, as the service runs them: counts + sums, and every column's
    // first page in one UNION ALL.
    const rawBoard = async (scope: typeof scopeAll) => {
      const column = (stageId: string) =>
        db
          .selectFrom(
            dealBase(db)
              .where('d.stageId', '=', stageId)
              .where(sql<boolean>`d.workspace_id = ${meta.workspaceId} and d.status = 'open' and d.deleted_at is null and ${scope}`)
              .orderBy('d.createdAt', 'desc')
              .orderBy('d.id', 'desc')
              .limit(perColumn + 1)
              .as('c'),
          )
          .selectAll();
      const [first, ...rest] = meta.stageIds.map(column);
      await Promise.all([
        sql`select d.stage_id, count(*) as n, sum(d.amount_cents) as amount from deals d
          where d.pipeline_id = ${meta.pipelineId} and d.workspace_id = ${meta.workspaceId} and d.status = 'open' and d.deleted_at is null and ${scope}
          group by d.stage_id`.execute(db),
        first ? rest.reduce((union, q) => union.unionAll(q), first).execute() : Promise.resolve([]),
      ]);
    };
    const raw = [await time(iterations, () => rawBoard(scopeAll)), await time(iterations, () => rawBoard(scopeRep))];
    const totals = await time(iterations, async () => {
      await sql`select d.stage_id, count(*) as n, sum(d.amount_cents) as amount from deals d
        where d.pipeline_id = ${meta.pipelineId} and d.workspace_id = ${meta.workspaceId} and d.status = 'open' and d.deleted_at is null group by d.stage_id`.execute(db);
    });
    await app.close();
    await handle.close();
    const verdict = (s: Summary) => (s.p99 < 300 ? 'met' : 'MISSED');
    http.forEach((h, i) => {
      const r = i < 2 ? raw[i] : undefined;
      rows.push([dialect, h.label, String(h.summary.n), ms(h.summary.p50), ms(h.summary.p99), r ? ms(r.p50) : '–', r ? ms(r.p99) : '–', i < 2 ? `< 300 ms: ${verdict(h.summary)}` : '']);
    });
    rows.push([dialect, 'raw: column counts + sums only (GROUP BY)', String(totals.n), '–', '–', ms(totals.p50), ms(totals.p99), '']);
  } finally {
    client.close();
    await server.stop();
  }
  return rows;
}

async function main() {
  const dialects: DialectName[] = args.dialect === 'both' ? ['sqlite', 'postgres'] : [args.dialect as DialectName];
  const all: string[][] = [];
  const loadBefore = os.loadavg()[0] ?? 0;
  for (const dialect of dialects) {
    const meta = await generate(dialect);
    all.push(...(await measure(dialect, meta)));
  }
  const table = markdownTable(['db', 'case', 'n', 'HTTP p50 ms', 'HTTP p99 ms', 'raw SQL p50 ms', 'raw SQL p99 ms', 'target'], all);
  const text = `# Kanban benchmark ${new Date().toISOString()}\n\n${openWanted} open deals in one pipeline (5 stages, ${perColumn} per column) + ${otherWanted} other deals, 20,000 customers, 50 owners.\n\n${table}\n\nMachine load average (1 min) at start / end: ${loadBefore.toFixed(1)} / ${(os.loadavg()[0] ?? 0).toFixed(1)} on ${os.cpus().length} cores (shared with other work).\n`;
  log(`\n${text}`);
  fs.mkdirSync(args['results-dir'], { recursive: true });
  fs.writeFileSync(path.join(args['results-dir'], `kanban-${args.dialect}-${new Date().toISOString().slice(0, 10)}.md`), text);
}

await main();
