/**
 * Target achievement computed on read (server/modules/targets): one workspace with 50 sales reps
 * in 5 departments, N approved contracts and N approved payments spread over 3 years. Times the
 * home-page widget (GET /targets/summary), the year table (GET /targets/report, users and
 * departments) and one achievement call, through the app (session, scope, presentation).
 *
 *   TEST_DIALECT=sqlite|postgres [TEST_DATABASE_URL=…] node bin/run-ts.mjs bench/targets-bench.ts [--rows 200000] [--iterations 50]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { analyzeTables } from '../server/db/dialect';
import { newId } from '../server/db/ids';
import { createDepartment, createUser, createWorkspaceWithAdmin } from '../server/testing/factories';
import { createTestApp } from '../server/testing/test-app';
import { markdownTable, ms, summarize } from './stats';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, iterations: { type: 'string', default: '50' } }, strict: true });
const rows = Number(args.rows);
const iterations = Number(args.iterations);
const log = (line: string) => process.stdout.write(`${line}\n`);

const t = await createTestApp();
try {
  const ws = await createWorkspaceWithAdmin(t, 'Targets bench');
  const departments: string[] = [];
  for (let d = 0; d < 5; d += 1) {
    departments.push(await createDepartment(ws.admin, `Dept ${d}`));
  }
  const users: string[] = [];
  for (let u = 0; u < 50; u += 1) {
    users.push((await createUser(t.app, ws.admin, { name: `Rep ${u}`, roleIds: [ws.roles.sales ?? ''], departmentId: departments[u % 5] ?? null })).id);
  }
  const customerId = String((await ws.admin.post('/api/v1/customers', { name: 'Bench customer' })).body.id);
  const started = performance.now();
  const now = new Date().toISOString();
  const day = (i: number) => {
    const d = new Date(Date.UTC(2024, 0, 1) + (i % (3 * 365)) * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  const batch = 500;
  for (let i = 0; i < rows; i += batch) {
    const contracts = Array.from({ length: Math.min(batch, rows - i) }, (_v, j) => {
      const n = i + j;
      return {
        id: newId(),
        workspaceId: ws.workspaceId,
        number: `B-${n}`,
        name: `Contract ${n}`,
        customerId,
        dealId: null,
        signDate: day(n * 7),
        startDate: null,
        endDate: null,
        signerId: null,
        customerSignerId: null,
        totalCents: 100_000 + (n % 1000) * 100,
        status: n % 10 === 0 ? ('draft' as const) : ('approved' as const),
        remark: null,
        custom: null,
        ownerId: users[n % users.length] ?? null,
        approvalId: null,
        submittedAt: null,
        approvedAt: now,
        voidedAt: null,
        voidReason: null,
        createdBy: null,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      };
    });
    await t.deps.db.insertInto('contracts').values(contracts).execute();
    await t.deps.db
      .insertInto('payments')
      .values(
        contracts.map((c, j) => ({
          id: newId(),
          workspaceId: ws.workspaceId,
          contractId: c.id,
          customerId,
          planId: null,
          amountCents: 50_000,
          paidOn: day((i + j) * 11),
          method: 'bank_transfer',
          remark: null,
          ownerId: c.ownerId,
          status: 'approved' as const,
          approvalId: null,
          approvedAt: now,
          createdBy: null,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        })),
      )
      .execute();
  }
  await analyzeTables(t.deps.db, t.deps.dialect, ['contracts', 'payments']);
  log(`loaded ${rows} contracts + ${rows} payments in ${ms(performance.now() - started)} (${t.deps.dialect})`);
  await ws.admin.request('PUT', '/api/v1/targets', { year: 2025, kind: 'contract_amount', items: users.map((id) => ({ subjectType: 'user', subjectId: id, yearTotal: '1000000' })) });
  await ws.admin.patch(`/api/v1/users/${ws.adminId}`, { departmentId: departments[0] });

  if (t.deps.dialect === 'sqlite') {
    const owners = sql.join(users.slice(0, 10));
    const plan = await sql<{ detail: string }>`explain query plan select owner_id, substr(sign_date, 1, 7), sum(total_cents) from contracts
      where workspace_id = ${ws.workspaceId} and status = 'approved' and owner_id in (${owners}) and sign_date >= '2025-01-01' and sign_date <= '2025-12-31' and deleted_at is null
      group by owner_id, substr(sign_date, 1, 7)`.execute(t.deps.db);
    log(`plan: ${plan.rows.map((r) => r.detail).join(' | ')}`);
  }
  const cases: [string, string][] = [
    ['baseline: GET /auth/me (session, permissions)', '/api/v1/auth/me'],
    ['summary (widget, admin: me + dept, 2 kinds × month/year)', '/api/v1/targets/summary'],
    ['report users × months, one year', '/api/v1/targets/report?year=2025&kind=contract_amount&subjectType=user'],
    ['report departments × months, one year', '/api/v1/targets/report?year=2025&kind=payment_amount&subjectType=department'],
    ['achievement department, custom range', `/api/v1/targets/achievement?subject=department&subjectId=${departments[0] ?? ''}&period=custom&from=2024-03-15&to=2025-02-10`],
  ];
  const table: string[][] = [];
  for (const [label, url] of cases) {
    const samples: number[] = [];
    for (let i = 0; i < iterations; i += 1) {
      const s = performance.now();
      const res = await ws.admin.get(url);
      samples.push(performance.now() - s);
      if (res.status !== 200) {
        throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    const sum = summarize(samples);
    table.push([label, ms(sum.p50), ms(sum.p95), ms(sum.max)]);
  }
  log(markdownTable(['request', 'p50', 'p95', 'max'], table));
} finally {
  await t.close();
}
