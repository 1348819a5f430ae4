import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids';
import { runJobsUntilIdle } from '../../jobs/runner';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { csvText, uploadImport } from './imports.fixtures';
import { idFloor, indexTuning } from './imports.indexing';

interface ImportView {
  id: string;
  status: string;
  processed: number;
  created: number;
  stage: string | null;
  indexed: number | null;
  toIndex: number | null;
}

interface Hits {
  customers: { id: string; name: string }[];
}

class Crash extends Error {}

/**
 * The indexing stage (imports.indexing.ts): new customers become searchable after the rows, in
 * bulk; a stage stopped half-way resumes after its last committed batch without redoing the rows.
 */
describe('import indexing stage', () => {
  let t: TestApp;
  // The stage runs on SQLite by default; these tests run it on PostgreSQL too (the code is the same).
  const deferOn = indexTuning.deferOn;
  beforeAll(async () => {
    t = await createTestApp();
    indexTuning.deferOn = ['sqlite', 'postgres'];
  });
  afterAll(async () => {
    indexTuning.deferOn = deferOn;
    await t.close();
  });

  const total = 300;

  async function startImport(ws: TestWorkspace, prefix: string): Promise<string> {
    const rows = [['客户名称', '电话']];
    for (let i = 0; i < total; i += 1) {
      rows.push([`${prefix}${String(i).padStart(4, '0')}号`, `136${String(i).padStart(8, '0')}`]);
    }
    const upload = await uploadImport<{ id: string; guesses: Record<string, string> }>(ws.admin, 'index.csv', Buffer.from(csvText(rows)));
    expect(upload.status).toBe(201);
    expect((await ws.admin.post(`/api/v1/imports/${upload.body.id}/start`, { mapping: upload.body.guesses, duplicateMode: 'skip' })).status).toBe(202);
    return upload.body.id;
  }

  /** Runs the job with the stage stopped (as by a crash) once `stopAt` records are indexed. */
  async function runStoppingAt(stopAt: number): Promise<void> {
    const saved = { ...indexTuning };
    indexTuning.batchSize = 100;
    indexTuning.afterBatch = (indexed) => {
      if (indexed >= stopAt) {
        throw new Crash('stopped in the indexing stage');
      }
    };
    try {
      await runJobsUntilIdle(t.deps);
    } finally {
      Object.assign(indexTuning, saved);
      indexTuning.afterBatch = saved.afterBatch;
    }
  }

  /** Makes the retry of a failed attempt due now (it waits 5 s otherwise). */
  async function retryNow(importId: string): Promise<void> {
    const row = await t.deps.db.selectFrom('imports').select('jobId').where('id', '=', importId).executeTakeFirstOrThrow();
    await t.deps.db
      .updateTable('jobs')
      .set({ runAt: new Date(t.deps.now().getTime() - 1000).toISOString() })
      .where('id', '=', row.jobId ?? '')
      .execute();
    await runJobsUntilIdle(t.deps);
  }

  const searchNames = async (ws: TestWorkspace, q: string) => (await ws.admin.get<Hits>(`/api/v1/search?q=${encodeURIComponent(q)}&limit=20`)).body.customers.map((c) => c.name);

  async function docCount(workspaceId: string): Promise<{ docs: number; distinct: number }> {
    const row = await t.deps.db
      .selectFrom('searchDocs')
      .select([sql<number>`count(*)`.as('docs'), sql<number>`count(distinct record_id)`.as('distinct')])
      .where('workspaceId', '=', workspaceId)
      .where('entity', '=', 'customer')
      .executeTakeFirstOrThrow();
    return { docs: Number(row.docs), distinct: Number(row.distinct) };
  }

  it('writes the rows first, then makes them searchable; a stopped stage resumes where it committed', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const id = await startImport(ws, '索引阶段客户');
    await runStoppingAt(100);

    // Every row is in the table; the stage committed its first batch (100 records, in id = file order) and stopped.
    const stopped = (await ws.admin.get<ImportView>(`/api/v1/imports/${id}`)).body;
    expect(stopped).toMatchObject({ status: 'running', processed: total, created: total, stage: 'indexing', indexed: 100, toIndex: total });
    expect((await ws.admin.get<{ total: number }>('/api/v1/customers?count=true&limit=1')).body.total).toBe(total);
    expect(await docCount(ws.workspaceId)).toEqual({ docs: 100, distinct: 100 });
    expect(await searchNames(ws, '索引阶段客户0042号')).toEqual(['索引阶段客户0042号']);
    expect(await searchNames(ws, '索引阶段客户0250号')).toEqual([]);

    await retryNow(id);
    const done = (await ws.admin.get<ImportView>(`/api/v1/imports/${id}`)).body;
    expect(done).toMatchObject({ status: 'done', processed: total, created: total, stage: null, indexed: null });
    // The resumed attempt did not redo the rows, and indexed each record exactly once.
    expect((await ws.admin.get<{ total: number }>('/api/v1/customers?count=true&limit=1')).body.total).toBe(total);
    expect(await docCount(ws.workspaceId)).toEqual({ docs: total, distinct: total });
    expect(await searchNames(ws, '索引阶段客户0250号')).toEqual(['索引阶段客户0250号']);
    // Short queries use the n-gram entries the stage wrote too.
    expect((await searchNames(ws, '索引')).length).toBeGreaterThan(0);
    const job = await t.deps.db.selectFrom('jobs').innerJoin('imports', 'imports.jobId', 'jobs.id').select(['jobs.status', 'jobs.attempts']).where('imports.id', '=', id).executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', attempts: 2 });
  });

  it('skips records someone edited or deleted before the stage reached them', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const id = await startImport(ws, '并发编辑客户');
    await runStoppingAt(100);

    const rows = await t.deps.db.selectFrom('customers').select(['id', 'name']).where('workspaceId', '=', ws.workspaceId).execute();
    const byName = new Map(rows.map((c) => [c.name, c.id]));
    const edited = byName.get('并发编辑客户0250号') ?? '';
    const deleted = byName.get('并发编辑客户0260号') ?? '';
    // The edit indexes the record in its own transaction (it had no entry yet); the delete leaves it without one.
    const patched = await ws.admin.patch(`/api/v1/customers/${edited}`, { name: '改过名的客户' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await ws.admin.delete(`/api/v1/customers/${deleted}`)).status).toBe(204);

    await retryNow(id);
    expect((await ws.admin.get<ImportView>(`/api/v1/imports/${id}`)).body.status).toBe('done');
    expect(await docCount(ws.workspaceId)).toEqual({ docs: total - 1, distinct: total - 1 });
    expect(await searchNames(ws, '改过名的客户')).toEqual(['改过名的客户']);
    expect(await searchNames(ws, '并发编辑客户0260号')).toEqual([]);
    expect(await searchNames(ws, '并发编辑客户0299号')).toEqual(['并发编辑客户0299号']);
  });

  it('starts the walk at the import start: ids of later records sort after the floor', () => {
    const floor = idFloor(Date.now());
    expect(floor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-0000-0000-000000000000$/);
    const id = newId();
    expect(id > floor).toBe(true);
    expect(id < idFloor(Date.now() + 60_000)).toBe(true);
  });
});
