import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createDepartment, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type Json, signIn, type TestApp, testPassword } from '../../testing/test-app';

interface PoolJson {
  id: string;
  isDefault: boolean;
  isMember: boolean;
  isAdmin: boolean;
  customerCount: number;
  claimedToday: number;
  version: number;
}

describe('public pool 公海: claim, assign, release, limits', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let defaultPool: PoolJson;
  let repA: { id: string; email: string; c: Client };
  let repB: { id: string; email: string; c: Client };
  let manager: { id: string; c: Client };

  /** After the clock jumps days ahead every session has expired: sign everyone in again. */
  async function advanceDays(days: number): Promise<void> {
    t.clock.advance(days * 86_400_000 + 1000);
    const email = async (id: string) => (await t.deps.db.selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
    repA.c = await signIn(t.app, repA.email, testPassword);
    repB.c = await signIn(t.app, repB.email, testPassword);
    manager.c = await signIn(t.app, await email(manager.id), testPassword);
    ws.admin = await signIn(t.app, ws.adminEmail, testPassword);
  }

  async function poolCustomer(name: string, extra: Json = {}): Promise<string> {
    const res = await ws.admin.post<{ id: string }>('/api/v1/customers', { name, ownerId: null, ...extra });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t);
    const m = await createUser(t.app, ws.admin, { name: 'Manager', roleIds: [ws.roles.sales_manager ?? ''] });
    const a = await createUser(t.app, ws.admin, { name: 'Rep A', roleIds: [ws.roles.sales ?? ''], managerId: m.id });
    const b = await createUser(t.app, ws.admin, { name: 'Rep B', roleIds: [ws.roles.sales ?? ''], managerId: m.id });
    repA = { id: a.id, email: a.email, c: await a.client() };
    repB = { id: b.id, email: b.email, c: await b.client() };
    manager = { id: m.id, c: await m.client() };
    const pools = await repA.c.get<{ data: PoolJson[] }>('/api/v1/pools');
    expect(pools.status).toBe(200);
    defaultPool = pools.body.data.find((p) => p.isDefault) as PoolJson;
    expect(defaultPool).toMatchObject({ isMember: true, isAdmin: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists customers without owner in the default pool and lets a member claim one; history and timeline record it', async () => {
    const id = await poolCustomer('Pool Claim Co', { level: 'A' });
    const list = await repA.c.get<{ data: Json[] }>(`/api/v1/pools/${defaultPool.id}/customers?q=claim`);
    expect(list.body.data.map((r) => r.id)).toContain(id);
    expect((await repA.c.get(`/api/v1/customers/${id}`)).status).toBe(404);
    expect((await repA.c.post(`/api/v1/pools/${defaultPool.id}/customers/${id}/claim`)).status).toBe(204);
    const customer = await repA.c.get<Json>(`/api/v1/customers/${id}`);
    expect(customer.body).toMatchObject({ ownerId: repA.id });
    const history = await repA.c.get<{ data: Json[] }>(`/api/v1/customers/${id}/ownership-history`);
    expect(history.body.data[0]).toMatchObject({ action: 'claim', toUserId: repA.id, actorUserId: repA.id, poolId: defaultPool.id });
    const timeline = await repA.c.get<{ data: { kind: string; data: Json }[] }>(`/api/v1/customers/${id}/timeline`);
    expect(timeline.body.data.find((e) => e.kind === 'owner_change')?.data).toMatchObject({ via: 'claim', to: repA.id });
    // Gone from the pool; claiming again answers 409.
    expectProblem(await repB.c.post(`/api/v1/pools/${defaultPool.id}/customers/${id}/claim`), 409, 'customer_not_in_pool');
  });

  it('lets exactly one of two concurrent claimers win', async () => {
    const id = await poolCustomer('Race Co');
    const [x, y] = await Promise.all([repA.c.post(`/api/v1/pools/${defaultPool.id}/customers/${id}/claim`), repB.c.post(`/api/v1/pools/${defaultPool.id}/customers/${id}/claim`)]);
    expect([x.status, y.status].sort()).toEqual([204, 409]);
    const history = await t.deps.db.selectFrom('ownershipChanges').select('toUserId').where('customerId', '=', id).execute();
    expect(history).toHaveLength(1);
  });

  it('releases with a reason (owner or manager only), then holds the previous owner to the cool-down', async () => {
    await ws.admin.patch(`/api/v1/pools/${defaultPool.id}`, { cooldownDays: 7 });
    const id = await poolCustomer('Cooldown Co');
    expect((await repA.c.post(`/api/v1/pools/${defaultPool.id}/customers/${id}/claim`)).status).toBe(204);
    expectProblem(await repA.c.post('/api/v1/pools/release', { customerIds: [id] }), 400, 'validation_failed');
    // Rep B neither owns it nor manages Rep A.
    expect((await repB.c.post<Json>('/api/v1/pools/release', { customerIds: [id], reason: 'not mine' })).body).toMatchObject({ done: [], failed: [{ id, code: 'not_found' }] });
    const released = await repA.c.post<Json>('/api/v1/pools/release', { customerIds: [id], reason: 'No budget this year' });
    expect(released.body).toMatchObject({ done: [id], failed: [] });
    const history = await t.deps.db.selectFrom('ownershipChanges').select(['action', 'reason', 'fromUserId']).where('customerId', '=', id).orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();
    expect(history[0]).toMatchObject({ action: 'release', reason: 'No budget this year', fromUserId: repA.id });
    expectProblem(await repA.c.post(`/api/v1/pools/${defaultPool.id}/customers/${id}/claim`), 422, 'claim_cooldown');
    // Someone else may claim at once; after 7 days the previous owner may too.
    await advanceDays(7);
    expect((await repA.c.post(`/api/v1/pools/${defaultPool.id}/customers/${id}/claim`)).status).toBe(204);
    // The manager releases a subordinate's customer.
    expect((await manager.c.post<Json>('/api/v1/pools/release', { customerIds: [id], reason: 'Reassigning' })).body).toMatchObject({ done: [id] });
    await ws.admin.patch(`/api/v1/pools/${defaultPool.id}`, { cooldownDays: 0 });
  });

  it('counts a daily claim quota per user and pool, reset the next day', async () => {
    await ws.admin.patch(`/api/v1/pools/${defaultPool.id}`, { claimDailyLimit: 2 });
    const ids = await Promise.all(['Q1', 'Q2', 'Q3'].map((n) => poolCustomer(`Quota ${n}`)));
    const claimedBefore = (await repB.c.get<PoolJson>(`/api/v1/pools/${defaultPool.id}`)).body.claimedToday;
    const result = await repB.c.post<{ done: string[]; failed: { code: string }[] }>(`/api/v1/pools/${defaultPool.id}/claim`, { customerIds: ids });
    expect(result.body.done).toHaveLength(Math.max(0, 2 - claimedBefore));
    expect(result.body.failed.every((f) => f.code === 'claim_quota_exceeded')).toBe(true);
    expect((await repB.c.get<PoolJson>(`/api/v1/pools/${defaultPool.id}`)).body.claimedToday).toBe(2);
    await advanceDays(1);
    const next = await repB.c.post<{ done: string[] }>(`/api/v1/pools/${defaultPool.id}/claim`, { customerIds: ids });
    expect(next.body.done.length).toBeGreaterThan(0);
    await ws.admin.patch(`/api/v1/pools/${defaultPool.id}`, { claimDailyLimit: null });
  });

  it('lets pool admins and managers assign, not plain members', async () => {
    const id = await poolCustomer('Assign Co');
    expectProblem(await repA.c.post(`/api/v1/pools/${defaultPool.id}/assign`, { customerIds: [id], ownerId: repB.id }), 403, 'forbidden');
    const res = await manager.c.post<Json>(`/api/v1/pools/${defaultPool.id}/assign`, { customerIds: [id], ownerId: repB.id, reason: 'Territory' });
    expect(res.body).toMatchObject({ done: [id] });
    const row = await t.deps.db.selectFrom('customers').select('ownerId').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.ownerId).toBe(repB.id);
    // A pool admin (without customer:assign) may assign too.
    await ws.admin.patch(`/api/v1/pools/${defaultPool.id}`, { admins: [repA.id] });
    const second = await poolCustomer('Assign Two Co');
    expect((await repA.c.post<Json>(`/api/v1/pools/${defaultPool.id}/assign`, { customerIds: [second], ownerId: repB.id })).body).toMatchObject({ done: [second] });
    await ws.admin.patch(`/api/v1/pools/${defaultPool.id}`, { admins: [] });
  });

  it('enforces ownership limits per user and department (with and without dealt) and lock limits', async () => {
    const dept = await createDepartment(ws.admin, 'Limited dept');
    const u = await createUser(t.app, ws.admin, { name: 'Limited', roleIds: [ws.roles.sales ?? ''], departmentId: dept });
    const c = await u.client();
    expect((await ws.admin.request('PUT', '/api/v1/ownership-limits', { subjectType: 'department', subjectId: dept, maxOwned: 2, excludeDealt: false, maxLocked: 1 })).status).toBe(200);
    expect((await c.get<Json>('/api/v1/pools/my-usage')).body).toMatchObject({ owned: 0, maxOwned: 2, maxLocked: 1 });
    const first = await c.post<{ id: string }>('/api/v1/customers', { name: 'Limit 1' });
    expect(first.status).toBe(201);
    expect((await c.post('/api/v1/customers', { name: 'Limit 2' })).status).toBe(201);
    expectProblem(await c.post('/api/v1/customers', { name: 'Limit 3' }), 422, 'ownership_limit_reached');
    const poolOne = await poolCustomer('Limit pool');
    expectProblem(await c.post(`/api/v1/pools/${defaultPool.id}/customers/${poolOne}/claim`), 422, 'ownership_limit_reached');
    expect((await ws.admin.post<Json>(`/api/v1/pools/${defaultPool.id}/assign`, { customerIds: [poolOne], ownerId: u.id })).body).toMatchObject({ failed: [{ code: 'ownership_limit_reached' }] });
    const other = await ws.admin.post<{ id: string }>('/api/v1/customers', { name: 'Transfer me' });
    expectProblem(await ws.admin.post(`/api/v1/customers/${other.body.id}/transfer`, { ownerId: u.id }), 422, 'ownership_limit_reached');
    // Dealt customers do not count when the limit says so.
    await t.deps.db.updateTable('customers').set({ dealStatus: 'dealt' }).where('id', '=', first.body.id).execute();
    await ws.admin.request('PUT', '/api/v1/ownership-limits', { subjectType: 'department', subjectId: dept, maxOwned: 2, excludeDealt: true, maxLocked: 1 });
    expect((await c.post(`/api/v1/pools/${defaultPool.id}/customers/${poolOne}/claim`)).status).toBe(204);
    // A user's own limit wins over the department's.
    await ws.admin.request('PUT', '/api/v1/ownership-limits', { subjectType: 'user', subjectId: u.id, maxOwned: 10, excludeDealt: false, maxLocked: 1 });
    expect((await c.post('/api/v1/customers', { name: 'Limit 4' })).status).toBe(201);
    // Lock limit.
    expect((await c.post(`/api/v1/customers/${first.body.id}/lock`)).status).toBe(200);
    expectProblem(await c.post(`/api/v1/customers/${poolOne}/lock`), 422, 'lock_limit_reached');
    const limits = await ws.admin.get<{ data: { id: string }[] }>('/api/v1/ownership-limits');
    for (const l of limits.body.data) {
      expect((await ws.admin.delete(`/api/v1/ownership-limits/${l.id}`)).status).toBe(204);
    }
  });

  it('refuses settings based on a version someone else changed meanwhile, by If-Match or by the body version (412)', async () => {
    const created = await ws.admin.post<PoolJson & { claimDailyLimit: number | null }>('/api/v1/pools', { name: 'Versioned pool', allUsers: true, claimDailyLimit: 5 });
    expect(created.body.version).toBe(1);
    const url = `/api/v1/pools/${created.body.id}`;
    expect((await ws.admin.patch<PoolJson>(url, { claimDailyLimit: 6 }, { 'if-match': '"1"' })).body).toMatchObject({ claimDailyLimit: 6, version: 2 });
    expectProblem(await ws.admin.patch(url, { claimDailyLimit: 1 }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    expectProblem(await ws.admin.patch(url, { claimDailyLimit: 1, version: 1 }), 412, 'version_mismatch');
    // Both given, they must both be current.
    expectProblem(await ws.admin.patch(url, { claimDailyLimit: 1, version: 2 }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    expect((await ws.admin.get<PoolJson>(url)).body).toMatchObject({ claimDailyLimit: 6, version: 2 });
    expect((await ws.admin.patch<PoolJson>(url, { claimDailyLimit: 7, version: 2 }, { 'if-match': '"2"' })).body).toMatchObject({ claimDailyLimit: 7, version: 3 });
    expect((await ws.admin.delete(url)).status).toBe(204);
  });

  it('keeps pools to their members: non-members get 404, settings need pool:edit, other workspaces see nothing', async () => {
    const dept = await createDepartment(ws.admin, 'East');
    const sub = await createDepartment(ws.admin, 'East-Sub', dept);
    const east = await createUser(t.app, ws.admin, { name: 'East rep', roleIds: [ws.roles.sales ?? ''], departmentId: sub });
    const eastClient = await east.client();
    const created = await ws.admin.post<PoolJson>('/api/v1/pools', { name: 'East pool', members: [{ type: 'department', id: dept }], claimDailyLimit: 5 });
    expect(created.status).toBe(201);
    const id = await poolCustomer('East customer');
    expect((await ws.admin.post<Json>('/api/v1/pools/release', { customerIds: [id], reason: 'x' })).body).toMatchObject({ failed: [{ id }] });
    await t.deps.db.updateTable('customers').set({ poolId: created.body.id }).where('id', '=', id).execute();
    // A member through a parent department sees it and claims; Rep A (not a member) gets 404.
    expect((await eastClient.get<{ data: PoolJson[] }>('/api/v1/pools')).body.data.map((p) => p.id)).toContain(created.body.id);
    expect((await repA.c.get<{ data: PoolJson[] }>('/api/v1/pools')).body.data.map((p) => p.id)).not.toContain(created.body.id);
    expectProblem(await repA.c.get(`/api/v1/pools/${created.body.id}/customers`), 404, 'not_found');
    expectProblem(await repA.c.post(`/api/v1/pools/${created.body.id}/customers/${id}/claim`), 404, 'not_found');
    expectProblem(await eastClient.patch(`/api/v1/pools/${created.body.id}`, { claimDailyLimit: 100 }), 403, 'forbidden');
    expectProblem(await eastClient.post('/api/v1/pools', { name: 'Mine' }), 403, 'forbidden');
    expect((await eastClient.post(`/api/v1/pools/${created.body.id}/customers/${id}/claim`)).status).toBe(204);
    // Another workspace: 404 for the pool and its customers.
    const other = await createWorkspaceWithAdmin(t);
    expectProblem(await other.admin.get(`/api/v1/pools/${created.body.id}`), 404, 'not_found');
    expectProblem(await other.admin.post(`/api/v1/pools/${defaultPool.id}/customers/${id}/claim`), 404, 'not_found');
    expectProblem(await other.admin.get(`/api/v1/customers/${id}/ownership-history`), 404, 'not_found');
    // Deleting a pool moves its customers to the default pool; the default pool stays.
    expectProblem(await ws.admin.delete(`/api/v1/pools/${defaultPool.id}`), 422, 'business_rule');
    expect((await ws.admin.delete(`/api/v1/pools/${created.body.id}`)).status).toBe(204);
  });
});
