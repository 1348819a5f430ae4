import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../deps';
import { expectProblem } from '../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../testing/factories';
import { createTestApp, type Json, type TestApp, testDialect } from '../testing/test-app';
import { enqueueJob, findJob } from './jobs.repo';
import { PermanentJobError, registerJobHandler } from './registry';
import { JobRunner, runJobsUntilIdle } from './runner';

/** What the test handlers saw, by job id. */
const runs = new Map<string, number[]>();
const failuresWanted = new Map<string, number>();
const failedHooks: string[] = [];

registerJobHandler<{ failTimes?: number; permanent?: boolean }>({
  kind: 'test.flaky',
  maxAttempts: 3,
  run: async ({ job }) => {
    runs.set(job.id, [...(runs.get(job.id) ?? []), job.attempts]);
    if (job.payload.permanent) {
      throw new PermanentJobError('cannot ever work');
    }
    if (job.attempts <= (failuresWanted.get(job.id) ?? job.payload.failTimes ?? 0)) {
      throw new Error(`attempt ${job.attempts} failed`);
    }
  },
  onFailed: async (_deps, job, error) => {
    failedHooks.push(`${job.id}: ${error}`);
  },
});

registerJobHandler({
  kind: 'test.slow',
  run: async ({ job, signal }) => {
    runs.set(job.id, [...(runs.get(job.id) ?? []), job.attempts]);
    // Sleeps in small steps, stopping when asked (as import batches do).
    for (let i = 0; i < 20; i += 1) {
      signal.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  },
});

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid ?? 999_999;
}

describe('job queue', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const enqueue = (kind: string, payload: Json = {}) => enqueueJob(t.deps.db, { workspaceId: ws.workspaceId, kind, payload, maxAttempts: kind === 'test.flaky' ? 3 : 5 }, nowIso(t.deps));

  it('retries a failing job with exponential backoff, then succeeds', async () => {
    const id = await enqueue('test.flaky', { failTimes: 2 });
    expect(await runJobsUntilIdle(t.deps)).toBe(1);
    let job = await findJob(t.deps.db, id);
    expect(job).toMatchObject({ status: 'queued', attempts: 1, error: 'attempt 1 failed', lockedBy: null });
    expect(Date.parse(job?.runAt ?? '') - t.clock.now.getTime()).toBe(5000);
    // Not due yet: nothing runs.
    expect(await runJobsUntilIdle(t.deps)).toBe(0);
    t.clock.advance(5000);
    expect(await runJobsUntilIdle(t.deps)).toBe(1);
    job = await findJob(t.deps.db, id);
    expect(job).toMatchObject({ status: 'queued', attempts: 2, error: 'attempt 2 failed' });
    expect(Date.parse(job?.runAt ?? '') - t.clock.now.getTime()).toBe(10_000);
    t.clock.advance(10_000);
    expect(await runJobsUntilIdle(t.deps)).toBe(1);
    job = await findJob(t.deps.db, id);
    expect(job).toMatchObject({ status: 'done', attempts: 3, lockedBy: null, lockedUntil: null });
    expect(job?.finishedAt).not.toBeNull();
    expect(runs.get(id)).toEqual([1, 2, 3]);
  });

  it('fails for good after max attempts, or at once on a permanent error, and calls onFailed once', async () => {
    const id = await enqueue('test.flaky', { failTimes: 10 });
    for (let i = 0; i < 3; i += 1) {
      await runJobsUntilIdle(t.deps);
      t.clock.advance(3_600_000);
    }
    expect(await findJob(t.deps.db, id)).toMatchObject({ status: 'failed', attempts: 3, error: 'attempt 3 failed' });
    const permanent = await enqueue('test.flaky', { permanent: true });
    await runJobsUntilIdle(t.deps);
    expect(await findJob(t.deps.db, permanent)).toMatchObject({ status: 'failed', attempts: 1, error: 'cannot ever work' });
    expect(failedHooks).toEqual([`${id}: attempt 3 failed`, `${permanent}: cannot ever work`]);
    expect(await runJobsUntilIdle(t.deps)).toBe(0);
  });

  it('reclaims a job whose lease expired (its runner was killed), counting the attempt', async () => {
    const id = await enqueue('test.slow');
    const until = new Date(t.clock.now.getTime() + 60_000).toISOString();
    await t.deps.db.updateTable('jobs').set({ status: 'running', lockedBy: 'elsewhere:1234:dead', lockedUntil: until, attempts: 1 }).where('id', '=', id).execute();
    expect(await runJobsUntilIdle(t.deps)).toBe(0);
    t.clock.advance(60_001);
    expect(await runJobsUntilIdle(t.deps)).toBe(1);
    expect(await findJob(t.deps.db, id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(runs.get(id)).toEqual([2]);
  });

  it('reclaims at once the jobs of a runner on this host whose process is gone', async () => {
    const id = await enqueue('test.slow');
    const until = new Date(t.clock.now.getTime() + 60_000).toISOString();
    await t.deps.db.updateTable('jobs').set({ status: 'running', lockedBy: `${os.hostname()}:${deadPid()}:gone`, lockedUntil: until, attempts: 1 }).where('id', '=', id).execute();
    // A live runner's lease (this process) is left alone.
    const live = await enqueue('test.slow');
    await t.deps.db.updateTable('jobs').set({ status: 'running', lockedBy: `${os.hostname()}:${process.pid}:other`, lockedUntil: until, attempts: 1 }).where('id', '=', live).execute();
    expect(await runJobsUntilIdle(t.deps)).toBe(1);
    expect(await findJob(t.deps.db, id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await findJob(t.deps.db, live)).toMatchObject({ status: 'running', attempts: 1 });
    await t.deps.db.updateTable('jobs').set({ status: 'done' }).where('id', '=', live).execute();
  });

  it('hands a running job back without counting the attempt when the runner stops', async () => {
    const id = await enqueue('test.slow');
    const runner = new JobRunner(t.deps, { pollMs: 10 });
    runner.start();
    while (!runs.has(id)) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await runner.stop();
    expect(await findJob(t.deps.db, id)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
    expect(await runJobsUntilIdle(t.deps)).toBe(1);
    expect(await findJob(t.deps.db, id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('runs each job once with two runners at the same time (FOR UPDATE SKIP LOCKED on PostgreSQL)', async () => {
    const ids = await Promise.all(Array.from({ length: 24 }, () => enqueue('test.slow')));
    const runners = [new JobRunner(t.deps), new JobRunner(t.deps)];
    const drain = async (runner: JobRunner) => {
      let count = 0;
      while (await runner.runOnce()) {
        count += 1;
      }
      return count;
    };
    const [first = 0, second = 0] = await Promise.all(runners.map((r) => drain(r)));
    for (const id of ids) {
      const job = await findJob(t.deps.db, id);
      expect(job).toMatchObject({ status: 'done', attempts: 1 });
      expect(runs.get(id)).toEqual([1]);
    }
    expect(first + second).toBe(24);
    if (testDialect() === 'postgres') {
      // Both runners claimed work concurrently on their own connections.
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(0);
    }
  });

  it('lists jobs with attempts and errors for admins only (GET /jobs)', async () => {
    const failing = await enqueue('test.flaky', { failTimes: 1 });
    await runJobsUntilIdle(t.deps);
    const queued = await ws.admin.get<{ data: Json[]; nextCursor: string | null }>('/api/v1/jobs?status=queued&limit=5');
    expect(queued.status).toBe(200);
    expect(queued.body.data.find((j) => j.id === failing)).toMatchObject({ kind: 'test.flaky', attempts: 1, maxAttempts: 3, error: 'attempt 1 failed' });
    const page1 = await ws.admin.get<{ data: Json[]; nextCursor: string | null }>('/api/v1/jobs?limit=3');
    expect(page1.body.data).toHaveLength(3);
    const page2 = await ws.admin.get<{ data: Json[]; nextCursor: string | null }>(`/api/v1/jobs?limit=3&cursor=${page1.body.nextCursor ?? ''}`);
    expect(page2.body.data.map((j) => j.id)).not.toContain(page1.body.data[0]?.id);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales_manager ?? ''] });
    expectProblem(await (await rep.client()).get('/api/v1/jobs'), 403, 'forbidden');
    const other = await createWorkspaceWithAdmin(t);
    expect((await other.admin.get<{ data: Json[] }>('/api/v1/jobs')).body.data).toEqual([]);
  });
});
