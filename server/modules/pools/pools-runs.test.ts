import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, signIn, type TestApp, testPassword } from '../../testing/test-app';

const day = 86_400_000;

interface Run {
  id: string;
  status: string;
  trigger: string;
  requestedBy: { id: string; name: string | null } | null;
  recycled: number | null;
  byRule: Record<string, number>;
  finishedAt: string | null;
}

// "Run now" and the list of recycling runs on the pool settings page (GET/POST /pools/recycle-runs).
describe('recycling runs 自动回收记录: run now, one at a time, results per rule', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let rep: { id: string; email: string; c: Client };
  const customers: string[] = [];
  let poolId = '';

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.now = new Date('2031-05-01T04:00:00Z');
    ws = await createWorkspaceWithAdmin(t);
    const u = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    rep = { id: u.id, email: u.email, c: await u.client() };
    const pools = await ws.admin.get<{ data: { id: string; isDefault: boolean }[] }>('/api/v1/pools');
    poolId = pools.body.data.find((p) => p.isDefault)?.id ?? '';
    expect((await ws.admin.patch(`/api/v1/pools/${poolId}`, { recycleEnabled: true, rules: [{ level: null, noFollowupDays: 5 }] })).status).toBe(200);
    for (const name of ['Quiet One', 'Quiet Two', 'Quiet Three']) {
      const res = await rep.c.post<{ id: string }>('/api/v1/customers', { name });
      expect(res.status).toBe(201);
      customers.push(res.body.id);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('previews how many the job would take back with proposed settings, changing nothing', async () => {
    t.clock.advance(6 * day);
    ws.admin = await signIn(t.app, ws.adminEmail, testPassword);
    rep.c = await signIn(t.app, rep.email, testPassword);
    const preview = (body: object) => ws.admin.post<{ total: number; byRule: Record<string, number> }>(`/api/v1/pools/${poolId}/recycle-preview`, body);
    // The saved rules (no follow-up for 5 days): all three of the rep's customers.
    expect((await preview({})).body).toMatchObject({ total: 3, byRule: { no_followup: 3 } });
    // Rules not saved yet: 10 days is too early for them; a rule per level decides for that level.
    expect((await preview({ rules: [{ level: null, noFollowupDays: 10 }] })).body).toMatchObject({ total: 0, byRule: {} });
    expect((await preview({ rules: [{ level: null, noFollowupDays: 10 }, { level: 'A', notDealtDays: 2 }] })).body).toMatchObject({ total: 0 });
    expect((await ws.admin.patch(`/api/v1/customers/${customers[0] ?? ''}`, { level: 'A' })).status).toBe(200);
    expect((await preview({ rules: [{ level: null, noFollowupDays: 10 }, { level: 'A', notDealtDays: 2 }] })).body).toMatchObject({ total: 1, byRule: { not_dealt: 1 } });
    // Locked customers are exempt when the proposal says so.
    expect((await rep.c.post(`/api/v1/customers/${customers[1] ?? ''}/lock`)).status).toBe(200);
    expect((await preview({ exemptLocked: true })).body).toMatchObject({ total: 2, byRule: { no_followup: 2 } });
    expect((await preview({ exemptLocked: false })).body).toMatchObject({ total: 3 });
    expect((await rep.c.post(`/api/v1/customers/${customers[1] ?? ''}/unlock`)).status).toBe(200);
    expect((await preview({ rules: [] })).body).toMatchObject({ total: 0, byRule: {} });
    // Nothing changed; members who do not manage the pool, bad rules and unknown pools are refused.
    const owners = await t.deps.db.selectFrom('customers').select('ownerId').where('id', 'in', customers).execute();
    expect(owners.map((o) => o.ownerId)).toEqual([rep.id, rep.id, rep.id]);
    expectProblem(await rep.c.post(`/api/v1/pools/${poolId}/recycle-preview`, {}), 403, 'forbidden');
    expectProblem(await preview({ rules: [{ level: null, noFollowupDays: 10 }, { level: null, noDealDays: 3 }] }), 400, 'validation_failed');
    expectProblem(await preview({ rules: [{ level: null, noFollowupDays: 0 }] }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/pools/00000000-0000-7000-8000-000000000000/recycle-preview', {}), 404, 'not_found');
  });

  it('an admin runs the job now: queued, a second start is refused while it waits, then done with the count per rule', async () => {
    const started = await ws.admin.post<Run>('/api/v1/pools/recycle-runs');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', trigger: 'manual', requestedBy: { id: ws.adminId, name: 'Admin' }, recycled: null });
    expectProblem(await ws.admin.post('/api/v1/pools/recycle-runs'), 409, 'recycle_running');

    await runJobsUntilIdle(t.deps);
    const runs = await ws.admin.get<{ data: Run[] }>('/api/v1/pools/recycle-runs');
    expect(runs.status).toBe(200);
    expect(runs.body.data[0]).toMatchObject({ id: started.body.id, status: 'done', trigger: 'manual', recycled: 3, byRule: { no_followup: 3 } });
    expect(runs.body.data[0]?.finishedAt).not.toBeNull();
    const owners = await t.deps.db.selectFrom('customers').select('ownerId').where('id', 'in', customers).execute();
    expect(owners.map((o) => o.ownerId)).toEqual([null, null, null]);

    // Finished: another run may start, and finds nothing left to take back.
    const again = await ws.admin.post<Run>('/api/v1/pools/recycle-runs');
    expect(again.status).toBe(202);
    await runJobsUntilIdle(t.deps);
    const after = await ws.admin.get<{ data: Run[] }>('/api/v1/pools/recycle-runs?limit=1');
    expect(after.body.data).toHaveLength(1);
    expect(after.body.data[0]).toMatchObject({ id: again.body.id, status: 'done', recycled: 0, byRule: {} });
  });

  it('the nightly run is listed as the schedule’s, newest first', async () => {
    t.clock.advance(day);
    await runJobsUntilIdle(t.deps, { schedules: true });
    ws.admin = await signIn(t.app, ws.adminEmail, testPassword);
    const runs = await ws.admin.get<{ data: Run[] }>('/api/v1/pools/recycle-runs');
    expect(runs.body.data[0]).toMatchObject({ trigger: 'schedule', requestedBy: null, status: 'done' });
    expect(runs.body.data.filter((r) => r.trigger === 'manual')).toHaveLength(2);
  });

  it('is for pool admins only, validates the limit, and shows nothing of other workspaces', async () => {
    rep.c = await signIn(t.app, rep.email, testPassword);
    expectProblem(await rep.c.post('/api/v1/pools/recycle-runs'), 403, 'forbidden');
    expectProblem(await rep.c.get('/api/v1/pools/recycle-runs'), 403, 'forbidden');
    expectProblem(await ws.admin.get('/api/v1/pools/recycle-runs?limit=0'), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/pools/recycle-runs?since=yesterday'), 400, 'validation_failed');
    const other = await createWorkspaceWithAdmin(t, 'Other Co');
    const theirs = await other.admin.get<{ data: Run[] }>('/api/v1/pools/recycle-runs');
    expect(theirs.status).toBe(200);
    expect(theirs.body.data).toEqual([]);
  });
});
