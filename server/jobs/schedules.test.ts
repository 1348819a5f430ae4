import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../testing/factories';
import { createTestApp, signIn, type TestApp, testPassword } from '../testing/test-app';
import { registerJobHandler } from './registry';
import { JobRunner, runJobsUntilIdle } from './runner';
import { countScheduledJobs, enqueueDueSchedules, latestOccurrence, registerSchedule } from './schedules';

/** workspace id → periods the test handler ran for. */
const runs = new Map<string, string[]>();

registerJobHandler<{ period: string; scheduledFor: string; tag: string }>({
  kind: 'test.daily',
  run: async ({ job }) => {
    expect(job.payload.tag).toBe('hello');
    const key = job.workspaceId ?? '-';
    runs.set(key, [...(runs.get(key) ?? []), job.payload.period]);
  },
});
registerSchedule({ kind: 'test.daily', every: 'daily', at: '02:00', perWorkspace: true, payload: { tag: 'hello' } });

let systemRuns = 0;
registerJobHandler({
  kind: 'test.every-minute',
  run: async () => {
    systemRuns += 1;
  },
});
registerSchedule({ kind: 'test.every-minute', every: 60_000, perWorkspace: false });

describe('schedules: latest occurrence', () => {
  it('follows the wall clock of the time zone, including the day before 02:00', () => {
    const daily = { every: 'daily' as const, hour: 2, minute: 0 };
    // 2030-01-10 01:30 in Shanghai (UTC+8) is before today's 02:00: yesterday's occurrence.
    expect(latestOccurrence(daily, 'Asia/Shanghai', new Date('2030-01-09T17:30:00Z'))).toEqual({ period: '2030-01-09', dueAt: new Date('2030-01-08T18:00:00Z') });
    expect(latestOccurrence(daily, 'Asia/Shanghai', new Date('2030-01-09T18:00:00Z'))).toEqual({ period: '2030-01-10', dueAt: new Date('2030-01-09T18:00:00Z') });
    expect(latestOccurrence(daily, 'UTC', new Date('2030-01-01T01:00:00Z')).period).toBe('2029-12-31');
    // Daylight saving: New York is UTC-5 in January and UTC-4 in July.
    expect(latestOccurrence(daily, 'America/New_York', new Date('2030-07-01T12:00:00Z')).dueAt).toEqual(new Date('2030-07-01T06:00:00Z'));
    const hourly = { every: 'hourly' as const, hour: 0, minute: 15 };
    expect(latestOccurrence(hourly, 'Asia/Kolkata', new Date('2030-01-01T00:50:00Z'))).toEqual({ period: '2030-01-01T06', dueAt: new Date('2030-01-01T00:45:00Z') });
    expect(latestOccurrence({ every: 60_000, hour: 0, minute: 0 }, 'UTC', new Date(125_000)).dueAt).toEqual(new Date(120_000));
  });
});

describe('schedules', () => {
  let t: TestApp;
  let a: TestWorkspace;
  let b: TestWorkspace;
  beforeAll(async () => {
    t = await createTestApp();
    // 2030-01-10 10:00 Shanghai; both workspaces are created after today's 02:00.
    t.clock.now = new Date('2030-01-10T02:00:00Z');
    a = await createWorkspaceWithAdmin(t);
    b = await createWorkspaceWithAdmin(t);
    await t.deps.db.updateTable('workspaces').set({ timezone: 'UTC' }).where('id', '=', b.workspaceId).execute();
  });
  afterAll(async () => {
    await t.close();
  });

  it('queues each due occurrence once per workspace in its own time zone, and never for a day before the workspace existed', async () => {
    // Today's 02:00 (Shanghai and UTC) was before the workspaces existed: nothing per workspace yet.
    await enqueueDueSchedules(t.deps);
    expect(await countScheduledJobs(t.deps, 'test.daily')).toBe(0);
    // 02:00 Shanghai on the 11th = 18:00 UTC on the 10th: only workspace a is due.
    t.clock.now = new Date('2030-01-10T18:00:00Z');
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(runs.get(a.workspaceId)).toEqual(['2030-01-11']);
    expect(runs.get(b.workspaceId)).toBeUndefined();
    // Ticking again in the same period queues nothing more.
    expect(await enqueueDueSchedules(t.deps)).toBe(0);
    t.clock.advance(8 * 3_600_000);
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(runs.get(a.workspaceId)).toEqual(['2030-01-11']);
    expect(runs.get(b.workspaceId)).toEqual(['2030-01-11']);
    // Days the app was down are not replayed one by one: the latest occurrence stands for them.
    t.clock.advance(3 * 86_400_000);
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(runs.get(a.workspaceId)).toEqual(['2030-01-11', '2030-01-14']);
    expect(runs.get(b.workspaceId)).toEqual(['2030-01-11', '2030-01-14']);
  });

  it('queues and runs each occurrence exactly once with several instances ticking and running at once', async () => {
    t.clock.advance(86_400_000);
    const before = await countScheduledJobs(t.deps, 'test.daily');
    const minuteBefore = await countScheduledJobs(t.deps, 'test.every-minute');
    const allBefore = (await t.deps.db.selectFrom('jobScheduleRuns').select('uniqueKey').execute()).length;
    const queued = await Promise.all(Array.from({ length: 4 }, () => enqueueDueSchedules(t.deps)));
    // Every occurrence (two workspaces × the daily kinds, the system jobs) was queued by exactly one of the four.
    const allAfter = (await t.deps.db.selectFrom('jobScheduleRuns').select('uniqueKey').execute()).length;
    expect(queued.reduce((sum, n) => sum + n, 0)).toBe(allAfter - allBefore);
    expect(await t.deps.db.selectFrom('jobs').select('id').where('id', 'in', t.deps.db.selectFrom('jobScheduleRuns').select('jobId')).execute()).toHaveLength(allAfter);
    expect(await countScheduledJobs(t.deps, 'test.daily')).toBe(before + 2);
    expect(await countScheduledJobs(t.deps, 'test.every-minute')).toBe(minuteBefore + 1);
    const runners = [new JobRunner(t.deps, { scheduleTickMs: 1 }), new JobRunner(t.deps, { scheduleTickMs: 1 })];
    await Promise.all(
      runners.map(async (r) => {
        await r.tickSchedules();
        while (await r.runOnce()) {
          await r.tickSchedules();
        }
      }),
    );
    expect(runs.get(a.workspaceId)).toEqual(['2030-01-11', '2030-01-14', '2030-01-15']);
    expect(runs.get(b.workspaceId)).toEqual(['2030-01-11', '2030-01-14', '2030-01-15']);
    const jobs = await t.deps.db.selectFrom('jobs').select(['status']).where('kind', '=', 'test.daily').execute();
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    expect(jobs).toHaveLength(6);
  });

  it('runs a system schedule (no workspace) by period, and the runner loop ticks on its own', async () => {
    await runJobsUntilIdle(t.deps, { schedules: true });
    const start = systemRuns;
    t.clock.advance(60_000);
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(systemRuns).toBe(start + 1);
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(systemRuns).toBe(start + 1);
    t.clock.advance(60_000);
    const runner = new JobRunner(t.deps, { pollMs: 5, scheduleTickMs: 1 });
    runner.start();
    for (let i = 0; i < 200 && systemRuns === start + 1; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await runner.stop();
    expect(systemRuns).toBe(start + 2);
  });

  it('purges the recycle bin daily (customers.purge-expired)', async () => {
    // The clock moved days ahead: the first session has expired.
    const admin = await signIn(t.app, a.adminEmail, testPassword);
    const created = await admin.post<{ id: string }>('/api/v1/customers', { name: 'Old Bin Co' });
    expect(created.status).toBe(201);
    expect((await admin.delete(`/api/v1/customers/${created.body.id}`)).status).toBe(204);
    t.clock.advance(31 * 86_400_000);
    await runJobsUntilIdle(t.deps, { schedules: true });
    const row = await t.deps.db.selectFrom('customers').select('id').where('id', '=', created.body.id).executeTakeFirst();
    expect(row).toBeUndefined();
    expect(await countScheduledJobs(t.deps, 'customers.purge-expired')).toBeGreaterThan(0);
  });
});
