import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import { runJobsUntilIdle } from '../../jobs/runner';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { csvText, uploadImport } from './imports.fixtures';
import { laneStart } from './imports.index-lane';
import { idFloor, indexTuning } from './imports.indexing';
import { importTuning } from './imports.job';

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
  // On PostgreSQL the stage's walk runs beside the rows by default (the lane, tested below); these
  // tests run the stage after the rows on both databases.
  const alongsideOn = indexTuning.alongsideOn;
  beforeAll(async () => {
    t = await createTestApp();
    indexTuning.alongsideOn = [];
  });
  afterAll(async () => {
    indexTuning.alongsideOn = alongsideOn;
    await t.close();
  });

  const total = 300;

  async function startImport(ws: TestWorkspace, prefix: string, lines = total, withContacts = false): Promise<string> {
    const rows = [['客户名称', '电话', ...(withContacts ? ['联系人', '联系人手机'] : [])]];
    for (let i = 0; i < lines; i += 1) {
      const contact = withContacts ? [`${prefix}联系人${String(i).padStart(4, '0')}`, `137${String(i).padStart(8, '0')}`] : [];
      rows.push([`${prefix}${String(i).padStart(4, '0')}号`, `136${String(i).padStart(8, '0')}`, ...contact]);
    }
    const upload = await uploadImport<{ id: string; guesses: Record<string, string> }>(ws.admin, 'index.csv', Buffer.from(csvText(rows)));
    expect(upload.status).toBe(201);
    expect((await ws.admin.post(`/api/v1/imports/${upload.body.id}/start`, { mapping: upload.body.guesses, duplicateMode: 'skip' })).status).toBe(202);
    return upload.body.id;
  }

  /** Runs the job with the stage stopped (as by a crash) once `stopAt` records are indexed. */
  async function runStoppingAt(stopAt: number, window = 100): Promise<void> {
    const saved = { ...indexTuning };
    indexTuning.batchSize = window;
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

  async function docCount(workspaceId: string, entity = 'customer'): Promise<{ docs: number; distinct: number }> {
    const row = await t.deps.db
      .selectFrom('searchDocs')
      .select([sql<number>`count(*)`.as('docs'), sql<number>`count(distinct record_id)`.as('distinct')])
      .where('workspaceId', '=', workspaceId)
      .where('entity', '=', entity)
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

  it('indexes the contacts a customer file gave its customers with them; a stage stopped among them resumes without missing or repeating one', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const id = await startImport(ws, '带联系人客户', total, true);
    // The rows batch wrote customers, then their contacts (later ids): windows of 100 index the
    // customers, then the contacts past the last one. Stop after the first window of contacts.
    const saved = { ...indexTuning };
    let windows = 0;
    indexTuning.batchSize = 100;
    indexTuning.afterBatch = () => {
      windows += 1;
      if (windows === total / 100 + 1) {
        throw new Crash('stopped among the contacts');
      }
    };
    try {
      await runJobsUntilIdle(t.deps);
    } finally {
      Object.assign(indexTuning, saved);
      indexTuning.afterBatch = saved.afterBatch;
    }
    expect((await ws.admin.get<ImportView>(`/api/v1/imports/${id}`)).body).toMatchObject({ status: 'running', created: total, stage: 'indexing' });
    expect(await docCount(ws.workspaceId)).toEqual({ docs: total, distinct: total });
    expect(await docCount(ws.workspaceId, 'contact')).toEqual({ docs: 100, distinct: 100 });
    // None was written by the rows batch: the stage is what indexes them.
    await retryNow(id);
    expect((await ws.admin.get<ImportView>(`/api/v1/imports/${id}`)).body).toMatchObject({ status: 'done', created: total });
    expect(await docCount(ws.workspaceId)).toEqual({ docs: total, distinct: total });
    expect(await docCount(ws.workspaceId, 'contact')).toEqual({ docs: total, distinct: total });
    const hits = await ws.admin.get<{ contacts: { name: string }[] }>(`/api/v1/search?q=${encodeURIComponent('带联系人客户联系人0299')}`);
    expect(hits.body.contacts.map((c) => c.name)).toEqual(['带联系人客户联系人0299']);
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

  it('beside the rows (the lane): entries are written while rows still arrive; a stopped lane resumes without duplicates', async () => {
    const rowBatch = importTuning.batchSize;
    indexTuning.alongsideOn = ['sqlite', 'postgres'];
    importTuning.batchSize = 50;
    try {
      const ws = await createWorkspaceWithAdmin(t);
      const lines = 1000;
      const id = await startImport(ws, '旁路索引客户', lines, true);
      // The lane stops (as by a crash) after 100 records; the rows stage sees that at its next batch.
      await runStoppingAt(100, 60);

      const stopped = (await ws.admin.get<ImportView>(`/api/v1/imports/${id}`)).body;
      expect(stopped.status).toBe('running');
      // The lane had indexed 100 records before the rows were all in: it ran beside them.
      expect(stopped.processed).toBeLessThan(lines);
      const partial = await docCount(ws.workspaceId);
      expect(partial.docs).toBe(partial.distinct);
      expect(partial.docs).toBeGreaterThanOrEqual(100);
      expect(partial.docs).toBeLessThanOrEqual(stopped.created);
      expect(await searchNames(ws, '旁路索引客户0001号')).toEqual(['旁路索引客户0001号']);
      // The position is committed with the windows: the job's progress holds it.
      const job = await t.deps.db.selectFrom('jobs').innerJoin('imports', 'imports.jobId', 'jobs.id').select('jobs.progress').where('imports.id', '=', id).executeTakeFirstOrThrow();
      const lane = (parseJson(job.progress) as { lane?: { after?: unknown; indexed?: unknown } } | null)?.lane;
      expect(typeof lane?.after).toBe('string');
      expect(lane?.indexed).toBeGreaterThanOrEqual(0);

      await retryNow(id);
      const done = (await ws.admin.get<ImportView>(`/api/v1/imports/${id}`)).body;
      expect(done).toMatchObject({ status: 'done', processed: lines, created: lines, stage: null });
      expect(await docCount(ws.workspaceId)).toEqual({ docs: lines, distinct: lines });
      // The customers' contacts were walked with them.
      expect(await docCount(ws.workspaceId, 'contact')).toEqual({ docs: lines, distinct: lines });
      expect(await searchNames(ws, '旁路索引客户0999号')).toEqual(['旁路索引客户0999号']);
      expect((await searchNames(ws, '旁路')).length).toBeGreaterThan(0);
    } finally {
      importTuning.batchSize = rowBatch;
      indexTuning.alongsideOn = [];
    }
  });

  it('starts a resumed lane no later than the floor of its own ids (another host may have a slower clock)', () => {
    const now = Date.now();
    const from = idFloor(now - 3_600_000);
    // Saved far ahead (a host whose clock ran fast): the walk goes back to this attempt's floor.
    const ahead = { after: idFloor(now + 3_600_000), indexed: 500 };
    expect(laneStart(ahead, from, now)).toEqual({ after: idFloor(now - indexTuning.clockSkewMs), indexed: 500 });
    // Saved behind the floor: it goes on from there.
    const behind = { after: idFloor(now - 2_000_000), indexed: 7 };
    expect(laneStart(behind, from, now)).toEqual(behind);
    expect(laneStart(undefined, from, now)).toEqual({ after: from, indexed: 0 });
  });

  it('starts the walk at the import start: ids of later records sort after the floor', () => {
    const floor = idFloor(Date.now());
    expect(floor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-0000-0000-000000000000$/);
    const id = newId();
    expect(id > floor).toBe(true);
    expect(id < idFloor(Date.now() + 60_000)).toBe(true);
  });
});
