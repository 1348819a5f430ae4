import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids';
import { createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, signIn, type TestApp, testPassword } from '../../testing/test-app';
import { countExpiring, expiringCap } from './pools.warnings';

const day = 86_400_000;

interface TodoItem {
  key: string;
  count: number;
  countExact: boolean;
}

describe('to-do counter "customers about to be recycled" = the list it opens, capped', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let rep: { id: string; email: string; c: Client };
  let other: { id: string; c: Client };
  let defaultPool: string;
  let eastPool: string;
  const ids: Record<string, string> = {};

  const ago = (days: number) => new Date(t.clock.now.getTime() - days * day).toISOString();
  async function counter(client: Client): Promise<TodoItem | undefined> {
    const res = await client.get<{ data: TodoItem[] }>('/api/v1/todo');
    expect(res.status).toBe(200);
    return res.body.data.find((i) => i.key === 'customersAboutToBeRecycled');
  }
  async function expiring(client: Client) {
    const res = await client.get<{ data: { id: string; poolId: string; rule: string; recycleAt: string }[] }>('/api/v1/pools/expiring');
    expect(res.status).toBe(200);
    return res.body.data;
  }
  /** Customers of `ownerId` straight in the table (a big book quickly), last active `idleDays` ago. */
  async function insertCustomers(ownerId: string, count: number, idleDays: (i: number) => number): Promise<string[]> {
    const now = t.clock.now.toISOString();
    const rows = Array.from({ length: count }, (_, i) => ({
      id: newId(),
      workspaceId: ws.workspaceId,
      name: `Bulk ${i}`,
      nameKey: `bulk ${i}`,
      kind: 'company',
      lifecycleStage: 'prospect',
      dealStatus: 'none',
      ownerId,
      locked: 0,
      lastFollowupAt: ago(idleDays(i)),
      ownerSince: ago(60),
      custom: '{}',
      createdBy: ownerId,
      createdAt: ago(60),
      updatedAt: now,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await t.deps.db.insertInto('customers').values(rows.slice(i, i + 200)).execute();
    }
    return rows.map((r) => r.id);
  }

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.now = new Date('2031-05-01T04:00:00Z');
    ws = await createWorkspaceWithAdmin(t);
    const u = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    rep = { id: u.id, email: u.email, c: await u.client() };
    const o = await createUser(t.app, ws.admin, { name: 'Other rep', roleIds: [ws.roles.sales ?? ''] });
    other = { id: o.id, c: await o.client() };
    const pools = await ws.admin.get<{ data: { id: string; isDefault: boolean }[] }>('/api/v1/pools');
    defaultPool = pools.body.data.find((p) => p.isDefault)?.id ?? '';
    expect((await ws.admin.patch(`/api/v1/pools/${defaultPool}`, { recycleEnabled: true, warnDays: 3, exemptDealt: true, exemptLocked: true, rules: [{ level: null, noFollowupDays: 10 }] })).status).toBe(200);
    const east = await ws.admin.post<{ id: string }>('/api/v1/pools', { name: 'East', allUsers: true, recycleEnabled: true, warnDays: 2, rules: [{ level: 'A', noDealDays: 5 }] });
    expect(east.status, JSON.stringify(east.body)).toBe(201);
    eastPool = east.body.id;

    for (const key of ['dueDefault', 'dueNoPool', 'recent', 'locked', 'dealt', 'deleted', 'eastDue', 'eastOtherLevel', 'eastRecentDeal']) {
      const res = await rep.c.post<{ id: string }>('/api/v1/customers', { name: key, ...(key.startsWith('east') ? { level: key === 'eastOtherLevel' ? 'B' : 'A' } : {}) });
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    }
    const theirs = await other.c.post<{ id: string }>('/api/v1/customers', { name: 'theirs' });
    ids.theirs = theirs.body.id;
    const set = (key: string, values: Record<string, unknown>) => t.deps.db.updateTable('customers').set(values).where('id', '=', ids[key] ?? '').execute();
    // Default pool, 10 days without follow-up, 3 days' warning: idle 8 days → due in 2 days.
    for (const key of ['dueDefault', 'dueNoPool', 'locked', 'dealt', 'deleted', 'theirs']) {
      await set(key, { ownerSince: ago(30), lastFollowupAt: ago(8), poolId: key === 'dueNoPool' ? null : defaultPool });
    }
    await set('recent', { ownerSince: ago(30), lastFollowupAt: ago(2), poolId: defaultPool });
    await set('locked', { locked: 1 });
    await set('dealt', { dealStatus: 'dealt' });
    await set('deleted', { deletedAt: ago(1) });
    // East: level A, 5 days without a deal, 2 days' warning → held 4 days and no deal is due.
    for (const key of ['eastDue', 'eastOtherLevel', 'eastRecentDeal']) {
      await set(key, { ownerSince: ago(4), lastFollowupAt: ago(1), poolId: eastPool });
    }
    expect((await rep.c.post('/api/v1/deals', { name: 'Fresh', customerId: ids.eastRecentDeal })).status).toBe(201);
    rep.c = await signIn(t.app, rep.email, testPassword);
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts exactly the customers the list shows, over every warning pool, scoped to the owner', async () => {
    const list = await expiring(rep.c);
    expect(list.map((r) => r.id).sort()).toEqual([ids.dueDefault, ids.dueNoPool, ids.eastDue].sort());
    expect(list.find((r) => r.id === ids.eastDue)).toMatchObject({ poolId: eastPool, rule: 'no_deal' });
    expect(list.find((r) => r.id === ids.dueNoPool)).toMatchObject({ poolId: defaultPool, rule: 'no_followup', recycleAt: new Date(t.clock.now.getTime() + 2 * day).toISOString() });
    expect(await counter(rep.c)).toMatchObject({ count: 3, countExact: true });
    // The other rep's book is theirs: one due customer.
    expect(await counter(other.c)).toMatchObject({ count: 1, countExact: true });
    expect((await expiring(other.c)).map((r) => r.id)).toEqual([ids.theirs]);
    // A follow-up takes a customer off both at once.
    await t.deps.db.updateTable('customers').set({ lastFollowupAt: t.clock.now.toISOString() }).where('id', '=', ids.dueDefault ?? '').execute();
    expect(await counter(rep.c)).toMatchObject({ count: 2, countExact: true });
    expect(await expiring(rep.c)).toHaveLength(2);
    // Recycling off for a pool: its customers are not about to be recycled.
    expect((await ws.admin.patch(`/api/v1/pools/${eastPool}`, { recycleEnabled: false })).status).toBe(200);
    expect(await counter(rep.c)).toMatchObject({ count: 1, countExact: true });
    expect((await expiring(rep.c)).map((r) => r.id)).toEqual([ids.dueNoPool]);
    expect((await ws.admin.patch(`/api/v1/pools/${eastPool}`, { recycleEnabled: true })).status).toBe(200);
  });

  it('stops at the cap: "1,000+" above it, exact up to it, always the length of the list', async () => {
    expect(expiringCap).toBe(1000);
    const due = await countExpiring(t.deps, ws.workspaceId, rep.id);
    expect(due).toEqual({ total: 2, exact: true });
    // A big book: 1,000 more due customers (the oldest first in the list), 500 that are not.
    const bulk = await insertCustomers(rep.id, expiringCap, (i) => 8 + (i % 2));
    await insertCustomers(rep.id, 500, () => 1);
    expect(await counter(rep.c)).toEqual(expect.objectContaining({ count: expiringCap, countExact: false }));
    const capped = await expiring(rep.c);
    expect(capped).toHaveLength(expiringCap);
    // The list takes the longest-inactive first: every one of the 9-days-idle customers is in it.
    const oldest = bulk.filter((_, i) => i % 2 === 1);
    expect(capped.map((r) => r.id)).toEqual(expect.arrayContaining(oldest));
    expect([...capped].sort((a, b) => a.recycleAt.localeCompare(b.recycleAt) || a.id.localeCompare(b.id))).toEqual(capped);

    // Exactly at the cap: exact again, and the list holds all of them.
    await t.deps.db.updateTable('customers').set({ lastFollowupAt: t.clock.now.toISOString() }).where('id', 'in', bulk.slice(0, 2)).execute();
    expect(await counter(rep.c)).toEqual(expect.objectContaining({ count: expiringCap, countExact: true }));
    expect(await expiring(rep.c)).toHaveLength(expiringCap);
    await t.deps.db.updateTable('customers').set({ lastFollowupAt: t.clock.now.toISOString() }).where('id', 'in', bulk.slice(2, 3)).execute();
    expect(await counter(rep.c)).toEqual(expect.objectContaining({ count: expiringCap - 1, countExact: true }));
    expect(await expiring(rep.c)).toHaveLength(expiringCap - 1);
    // Other counters are exact counts and say so.
    const todo = await rep.c.get<{ data: TodoItem[] }>('/api/v1/todo');
    expect(todo.body.data.filter((i) => i.key !== 'customersAboutToBeRecycled').every((i) => i.countExact)).toBe(true);
  });
});
