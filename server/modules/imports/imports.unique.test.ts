import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { csvText, uploadImport } from './imports.fixtures';

interface ImportView {
  id: string;
  status: string;
  created: number;
  failed: number;
}

/** Uploads a CSV and starts it with the guessed mapping; the job is left queued. */
async function queueImport(ws: TestWorkspace, name: string, rows: string[][]): Promise<string> {
  const uploaded = await uploadImport<{ id: string; guesses: Record<string, string> }>(ws.admin, name, Buffer.from(csvText(rows)));
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const started = await ws.admin.post<ImportView>(`/api/v1/imports/${uploaded.body.id}/start`, { mapping: uploaded.body.guesses, duplicateMode: 'create' });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return uploaded.body.id;
}

async function jobOf(t: TestApp, importId: string): Promise<{ attempts: number; status: string; error: string | null }> {
  const row = await t.deps.db.selectFrom('imports').innerJoin('jobs', 'jobs.id', 'imports.jobId').select(['jobs.attempts', 'jobs.status', 'jobs.error']).where('imports.id', '=', importId).executeTakeFirstOrThrow();
  return row;
}

async function countWith(ws: TestWorkspace, filter: string): Promise<number> {
  const res = await ws.admin.get<{ total: number }>(`/api/v1/customers?limit=1&count=true&${filter}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.total;
}

const uniqueKeys = ['code', 'tax', 'card', 'erp'] as const;

describe('imports of unique custom values', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function workspaceWithUniqueFields(): Promise<TestWorkspace> {
    const ws = await createWorkspaceWithAdmin(t);
    for (const key of uniqueKeys) {
      const res = await ws.admin.post<Json>('/api/v1/custom-fields/customer', { key, label: `编号${key}`, type: 'text', unique: true });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    return ws;
  }

  it('imports batches full of unique values (four unique fields, 5 000 rows)', async () => {
    const ws = await workspaceWithUniqueFields();
    const rows = [['客户名称', ...uniqueKeys.map((k) => `编号${k}`)]];
    for (let i = 0; i < 5000; i += 1) {
      rows.push([`唯一值客户${i}`, ...uniqueKeys.map((k) => `${k}-${i}`)]);
    }
    const id = await queueImport(ws, 'unique.csv', rows);
    await runJobsUntilIdle(t.deps);
    const done = await ws.admin.get<ImportView>(`/api/v1/imports/${id}`);
    expect(done.body).toMatchObject({ status: 'done', created: 5000, failed: 0 });
    expect(await jobOf(t, id)).toMatchObject({ attempts: 1, status: 'done' });
  });

  it('two imports of the same unique values at once: each value is stored once, neither import is retried', async () => {
    const ws = await workspaceWithUniqueFields();
    const header = ['客户名称', '编号code', '编号tax'];
    const values = Array.from({ length: 3000 }, (_, i) => i);
    // The same values in opposite orders: writers that lock as they go would wait on each other.
    const forward = [header, ...values.map((i) => [`正序客户${i}`, `code-${i}`, `tax-${i}`])];
    const backward = [header, ...[...values].reverse().map((i) => [`倒序客户${i}`, `code-${i}`, `tax-${i}`])];
    const a = await queueImport(ws, 'forward.csv', forward);
    const b = await queueImport(ws, 'backward.csv', backward);
    await Promise.all([runJobsUntilIdle(t.deps), runJobsUntilIdle(t.deps)]);
    const [doneA, doneB] = await Promise.all([ws.admin.get<ImportView>(`/api/v1/imports/${a}`), ws.admin.get<ImportView>(`/api/v1/imports/${b}`)]);
    expect([doneA.body.status, doneB.body.status]).toEqual(['done', 'done']);
    expect(doneA.body.created + doneB.body.created).toBe(3000);
    expect(doneA.body.failed + doneB.body.failed).toBe(3000);
    expect([(await jobOf(t, a)).attempts, (await jobOf(t, b)).attempts]).toEqual([1, 1]);
    for (const i of [0, 1499, 2999]) {
      expect(await countWith(ws, `cf.code=code-${i}`)).toBe(1);
      expect(await countWith(ws, `cf.tax=tax-${i}`)).toBe(1);
    }
  });

  it('number values: the record a row updates may keep its own; another record\'s value or an earlier row\'s fails the row', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    expect((await ws.admin.post('/api/v1/custom-fields/customer', { key: 'seq', label: '序号', type: 'number', unique: true })).status).toBe(201);
    expect((await ws.admin.post('/api/v1/customers', { name: '甲公司', custom: { seq: 7 } })).status).toBe(201);
    expect((await ws.admin.post('/api/v1/customers', { name: '戊公司', custom: { seq: 9 } })).status).toBe(201);
    const uploaded = await uploadImport<{ id: string; guesses: Record<string, string> }>(
      ws.admin,
      'seq.csv',
      Buffer.from(csvText([['客户名称', '序号'], ['甲公司', '7'], ['乙公司', '7'], ['丙公司', '8'], ['丁公司', '8'], ['己公司', '9']])),
    );
    expect(uploaded.body.guesses).toMatchObject({ '1': 'cf.seq' });
    const started = await ws.admin.post(`/api/v1/imports/${uploaded.body.id}/start`, { mapping: uploaded.body.guesses, duplicateMode: 'update' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await runJobsUntilIdle(t.deps);
    const done = await ws.admin.get<ImportView & { updated: number }>(`/api/v1/imports/${uploaded.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', created: 1, updated: 1, failed: 3 });
    expect(await countWith(ws, 'cf.seq=7')).toBe(1);
    expect(await countWith(ws, 'cf.seq=8')).toBe(1);
    const errors = (await ws.admin.get(`/api/v1/imports/${uploaded.body.id}/errors`)).raw.body;
    expect(errors).toMatch(/\n3,[^\n]*same value as row 2[^\n]*,乙公司,7/);
    expect(errors).toMatch(/\n5,[^\n]*same value as row 4[^\n]*,丁公司,8/);
    expect(errors).toMatch(/\n6,[^\n]*already used by another customer[^\n]*,己公司,9/);
  });
});
