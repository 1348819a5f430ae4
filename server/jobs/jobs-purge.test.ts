import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../deps';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../testing/factories';
import { createTestApp, type TestApp } from '../testing/test-app';
import { purgeFinishedSystemJobs } from './jobs.purge';
import { enqueueJob } from './jobs.repo';

const day = 86_400_000;

describe('job queue housekeeping', () => {
  let t: TestApp;
  let ws: TestWorkspace;

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t, 'Purge Jobs Co');
  });
  afterAll(async () => {
    await t.close();
  });

  it('deletes finished system jobs and schedule keys older than a week, and keeps everything else', async () => {
    const at = nowIso(t.deps);
    const make = async (workspaceId: string | null, status: 'done' | 'failed' | 'queued') => {
      const id = await enqueueJob(t.deps.db, { workspaceId, kind: 'test.housekeeping', payload: {} }, nowIso(t.deps));
      await t.deps.db.updateTable('jobs').set({ status }).where('id', '=', id).execute();
      return id;
    };
    const oldDone = await make(null, 'done');
    const oldFailed = await make(null, 'failed');
    const oldQueued = await make(null, 'queued');
    const oldWorkspaceJob = await make(ws.workspaceId, 'done');
    await t.deps.db.insertInto('jobScheduleRuns').values({ uniqueKey: `test.housekeeping|-|${at}`, workspaceId: null, kind: 'test.housekeeping', period: at, jobId: oldDone, createdAt: at }).execute();

    t.clock.advance(8 * day);
    const recentDone = await make(null, 'done');
    const purged = await purgeFinishedSystemJobs(t.deps);
    expect(purged.jobs).toBeGreaterThanOrEqual(2);
    expect(purged.scheduleRuns).toBeGreaterThanOrEqual(1);

    const left = new Set((await t.deps.db.selectFrom('jobs').select('id').where('id', 'in', [oldDone, oldFailed, oldQueued, oldWorkspaceJob, recentDone]).execute()).map((r) => r.id));
    expect(left).toEqual(new Set([oldQueued, oldWorkspaceJob, recentDone]));
    const keys = await t.deps.db.selectFrom('jobScheduleRuns').select('uniqueKey').where('kind', '=', 'test.housekeeping').execute();
    expect(keys).toHaveLength(0);
  });
});
