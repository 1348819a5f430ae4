import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idPattern } from '../../db/ids';
import { runJobsUntilIdle } from '../../jobs/runner';
import { createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type Json, signIn, type TestApp, testPassword } from '../../testing/test-app';
import { recycleWorkspace } from './pools.recycle';
import { idSplits } from './pools.sql';

const day = 86_400_000;

describe('automatic recycling 自动回收 with warnings', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let rep: { id: string; email: string; c: Client };
  let poolId: string;
  const ids: Record<string, string> = {};

  async function relogin(): Promise<void> {
    rep.c = await signIn(t.app, rep.email, testPassword);
    ws.admin = await signIn(t.app, ws.adminEmail, testPassword);
  }
  const ownerOf = async (id: string) => (await t.deps.db.selectFrom('customers').select(['ownerId', 'poolId', 'previousOwnerId']).where('id', '=', id).executeTakeFirstOrThrow());

  beforeAll(async () => {
    t = await createTestApp();
    // Midday in Shanghai, so the 02:00 daily occurrence is clearly in the past each day.
    t.clock.now = new Date('2031-03-01T04:00:00Z');
    ws = await createWorkspaceWithAdmin(t);
    const u = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    rep = { id: u.id, email: u.email, c: await u.client() };
    const pools = await ws.admin.get<{ data: { id: string; isDefault: boolean; version: number }[] }>('/api/v1/pools');
    poolId = pools.body.data.find((p) => p.isDefault)?.id ?? '';
    const patched = await ws.admin.patch(`/api/v1/pools/${poolId}`, {
      recycleEnabled: true,
      warnDays: 2,
      exemptDealt: true,
      exemptLocked: true,
      rules: [
        { level: null, noFollowupDays: 10 },
        { level: 'A', noFollowupDays: 20, notDealtDays: 30 },
        { level: 'B', noDealDays: 5 },
      ],
    });
    expect(patched.status).toBe(200);
    for (const [key, body] of Object.entries({
      silent: { name: 'Silent Co' },
      followed: { name: 'Followed Co' },
      levelA: { name: 'Level A Co', level: 'A' },
      levelB: { name: 'Level B Co', level: 'B' },
      levelBDeal: { name: 'Level B with deal', level: 'B' },
      locked: { name: 'Locked Co' },
      dealt: { name: 'Dealt Co' },
    } as Record<string, Json>)) {
      const res = await rep.c.post<{ id: string }>('/api/v1/customers', body);
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    }
    expect((await rep.c.post(`/api/v1/customers/${ids.locked}/lock`)).status).toBe(200);
    await t.deps.db.updateTable('customers').set({ dealStatus: 'dealt' }).where('id', '=', ids.dealt ?? '').execute();
  });
  afterAll(async () => {
    await t.close();
  });

  it('applies no-deal per level: a customer with a recent deal stays, one without goes after N days', async () => {
    t.clock.advance(3 * day);
    await relogin();
    const deal = await rep.c.post('/api/v1/deals', { name: 'Fresh deal', customerId: ids.levelBDeal });
    expect(deal.status).toBe(201);
    t.clock.advance(3 * day);
    await relogin();
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect((await ownerOf(ids.levelB ?? '')).ownerId).toBeNull();
    expect((await ownerOf(ids.levelBDeal ?? '')).ownerId).toBe(rep.id);
    const history = await t.deps.db.selectFrom('ownershipChanges').select(['action', 'rule', 'fromUserId']).where('customerId', '=', ids.levelB ?? '').execute();
    expect(history).toEqual([{ action: 'recycle', rule: 'no_deal', fromUserId: rep.id }]);
  });

  it('warns the owner M days before (list with date and rule, to-do count)', async () => {
    // Day 6 now; follow up "Followed Co" so its clock restarts.
    await t.deps.db.updateTable('customers').set({ lastFollowupAt: t.clock.now.toISOString() }).where('id', '=', ids.followed ?? '').execute();
    t.clock.advance(2 * day + 1000);
    await relogin();
    const list = await rep.c.get<{ data: { id: string; rule: string; recycleAt: string; days: number }[] }>('/api/v1/pools/expiring');
    expect(list.status).toBe(200);
    const silent = list.body.data.find((r) => r.id === ids.silent);
    expect(silent).toMatchObject({ rule: 'no_followup', days: 10, recycleAt: '2031-03-11T04:00:00.000Z' });
    expect(list.body.data.map((r) => r.id)).not.toContain(ids.followed);
    expect(list.body.data.map((r) => r.id)).not.toContain(ids.levelA);
    expect(list.body.data.map((r) => r.id)).not.toContain(ids.locked);
    expect(list.body.data.map((r) => r.id)).not.toContain(ids.dealt);
    const todo = await rep.c.get<{ data: { key: string; count: number }[] }>('/api/v1/todo');
    expect(todo.body.data.find((i) => i.key === 'customersAboutToBeRecycled')?.count).toBe(list.body.data.length);
  });

  it('recycles on no follow-up, exempts locked and dealt, and records history + timeline', async () => {
    t.clock.advance(2 * day);
    await relogin();
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(await ownerOf(ids.silent ?? '')).toEqual({ ownerId: null, poolId, previousOwnerId: rep.id });
    expect((await ownerOf(ids.followed ?? '')).ownerId).toBe(rep.id);
    expect((await ownerOf(ids.levelA ?? '')).ownerId).toBe(rep.id);
    expect((await ownerOf(ids.locked ?? '')).ownerId).toBe(rep.id);
    expect((await ownerOf(ids.dealt ?? '')).ownerId).toBe(rep.id);
    const timeline = await ws.admin.get<{ data: { id: string; kind: string; data: Json }[] }>(`/api/v1/customers/${ids.silent}/timeline`);
    const entry = timeline.body.data.find((e) => e.kind === 'owner_change');
    expect(entry?.data).toMatchObject({ via: 'recycle', rule: 'no_followup', from: rep.id, fromName: 'Rep', to: null, poolId });
    // History and timeline rows are written by INSERT … SELECT with database-made UUIDv7 ids.
    expect(entry?.id).toMatch(idPattern);
    const history = await ws.admin.get<{ data: { id: string; action: string; rule: string; fromUserId: string }[] }>(`/api/v1/customers/${ids.silent}/ownership-history`);
    expect(history.body.data[0]).toMatchObject({ action: 'recycle', rule: 'no_followup', fromUserId: rep.id });
    expect(history.body.data[0]?.id).toMatch(idPattern);
    const pool = await rep.c.get<{ data: { id: string }[] }>(`/api/v1/pools/${poolId}/customers`);
    expect(pool.body.data.map((r) => r.id)).toEqual(expect.arrayContaining([ids.silent, ids.levelB]));
    // The followed-up one goes 10 days after its follow-up; level A by "not dealt in 30 days" is not due yet.
    t.clock.advance(6 * day);
    await relogin();
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect((await ownerOf(ids.followed ?? '')).ownerId).toBeNull();
    expect((await ownerOf(ids.levelA ?? '')).ownerId).toBe(rep.id);
    // Exemptions can be switched off: locked customers then go too.
    await ws.admin.patch(`/api/v1/pools/${poolId}`, { exemptLocked: false });
    t.clock.advance(day);
    await relogin();
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect((await ownerOf(ids.locked ?? '')).ownerId).toBeNull();
    expect((await ownerOf(ids.dealt ?? '')).ownerId).toBe(rep.id);
  });

  it('recycles each customer once with two runners at the same time, each sweeping two id ranges (PostgreSQL)', async () => {
    const made: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const res = await rep.c.post<{ id: string }>('/api/v1/customers', { name: `Twin ${i}` });
      made.push(res.body.id);
    }
    // A contact and its search entry follow their customer into the pool, in the same batch.
    const contact = await rep.c.post<{ id: string }>('/api/v1/contacts', { customerId: made[3], name: 'Twin contact' });
    expect(contact.status).toBe(201);
    const other = await rep.c.post<{ id: string }>('/api/v1/contacts', { customerId: made[5], name: 'Pair other' });
    expect(other.status).toBe(201);
    // One more, in the recycle bin: it must not come back to the rep when the customer gets a new owner.
    const binned = await rep.c.post<{ id: string }>('/api/v1/contacts', { customerId: made[3], name: 'Twin binned' });
    expect((await rep.c.delete(`/api/v1/contacts/${binned.body.id}`)).status).toBe(204);
    t.clock.advance(11 * day);
    const historyCount = async () => Number((await t.deps.db.selectFrom('ownershipChanges').select((eb) => eb.fn.countAll().as('n')).where('workspaceId', '=', ws.workspaceId).where('action', '=', 'recycle').executeTakeFirstOrThrow()).n);
    const before = await historyCount();
    // PostgreSQL cuts the owned customers at their median id (SQLite: one range, no query).
    const owned = (await t.deps.db.selectFrom('customers').select('id').where('workspaceId', '=', ws.workspaceId).where('ownerId', 'is not', null).orderBy('id').execute()).map((r) => r.id);
    const bounds = await idSplits(t.deps.db, t.deps.dialect, ws.workspaceId, undefined, 2);
    if (t.deps.dialect === 'postgres') {
      expect(bounds).toHaveLength(1);
      const below = owned.filter((id) => id < (bounds[0] ?? '')).length;
      expect(below).toBeGreaterThan(owned.length / 4);
      expect(below).toBeLessThan((owned.length * 3) / 4);
    } else {
      expect(bounds).toEqual([]);
    }
    const options = { batchSize: 7, parallelism: 2 };
    const [a, b] = await Promise.all([recycleWorkspace(t.deps, ws.workspaceId, options), recycleWorkspace(t.deps, ws.workspaceId, options)]);
    const rows = await t.deps.db.selectFrom('ownershipChanges').select(['customerId', 'fromUserId']).where('workspaceId', '=', ws.workspaceId).where('action', '=', 'recycle').where('customerId', 'in', made).execute();
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r.customerId)).size).toBe(30);
    expect(rows.every((r) => r.fromUserId === rep.id)).toBe(true);
    // Exactly one timeline entry per customer too (history and timeline are written from the same locked rows).
    const timeline = await t.deps.db.selectFrom('timelineEvents').select(['customerId']).where('workspaceId', '=', ws.workspaceId).where('kind', '=', 'owner_change').where('customerId', 'in', made).execute();
    expect(timeline).toHaveLength(30);
    expect(new Set(timeline.map((r) => r.customerId)).size).toBe(30);
    const moved = await t.deps.db.selectFrom('customers').select(['ownerId', 'previousOwnerId']).where('id', 'in', made).execute();
    expect(moved.every((c) => c.ownerId === null && c.previousOwnerId === rep.id)).toBe(true);
    // The sweep leaves contacts as they were (owner_id still the rep's), yet they count as unowned.
    const storedOwner = async (id: string) => (await t.deps.db.selectFrom('contacts').select('ownerId').where('id', '=', id).executeTakeFirstOrThrow()).ownerId;
    expect(await storedOwner(contact.body.id)).toBe(rep.id);
    await relogin();
    expect((await rep.c.get(`/api/v1/contacts/${contact.body.id}`)).status).toBe(404);
    const repList = await rep.c.get<{ data: { id: string }[]; total: number }>(`/api/v1/contacts?customerId=${made[3]}&count=true`);
    expect(repList.body).toMatchObject({ data: [], total: 0 });
    expect((await ws.admin.get<{ ownerId: string | null }>(`/api/v1/contacts/${contact.body.id}`)).body.ownerId).toBeNull();
    const byOwner = async (query: string) => (await ws.admin.get<{ data: { id: string }[]; total: number }>(`/api/v1/contacts?customerId=${made[3]}&count=true&${query}`)).body;
    expect(await byOwner(`ownerId=${rep.id}`)).toMatchObject({ data: [], total: 0 });
    expect(await byOwner('ownerId[empty]=true')).toMatchObject({ data: [{ id: contact.body.id }], total: 1 });
    expect(await byOwner(`ownerId[ne]=${rep.id}`)).toMatchObject({ data: [{ id: contact.body.id }], total: 1 });
    // The search entries keep the old owner (the sweep leaves them), yet the rep no longer finds
    // the customer or its contact; the admin still does.
    const docs = await t.deps.db.selectFrom('searchDocs').select('ownerId').where('workspaceId', '=', ws.workspaceId).where('customerId', '=', made[3] ?? '').execute();
    expect(docs).toHaveLength(2);
    expect(docs.every((d) => d.ownerId === rep.id)).toBe(true);
    const found = async (c: Client) => {
      const res = await c.get<{ customers: { id: string }[]; contacts: { id: string }[] }>('/api/v1/search?q=Twin');
      expect(res.status).toBe(200);
      return { customers: res.body.customers.map((h) => h.id), contacts: res.body.contacts.map((h) => h.id) };
    };
    await relogin();
    expect(await found(rep.c)).toEqual({ customers: [], contacts: [] });
    const seen = await found(ws.admin);
    expect(seen.contacts).toContain(contact.body.id);
    expect(seen.customers.length).toBeGreaterThan(0);
    // Given a new owner, the customer's entries are rewritten: the new owner finds both, the old one neither.
    const u2 = await createUser(t.app, ws.admin, { name: 'Second rep', roleIds: [ws.roles.sales ?? ''] });
    const rep2 = await u2.client();
    expect((await ws.admin.post(`/api/v1/pools/${poolId}/assign`, { customerIds: [made[3]], ownerId: u2.id })).status).toBe(200);
    expect(await found(rep2)).toEqual({ customers: [made[3]], contacts: [contact.body.id] });
    expect(await found(rep.c)).toEqual({ customers: [], contacts: [] });
    // The contacts went with it, the one in the recycle bin too.
    expect((await rep2.get<{ ownerId: string | null }>(`/api/v1/contacts/${contact.body.id}`)).body.ownerId).toBe(u2.id);
    expect((await rep.c.get(`/api/v1/contacts/${contact.body.id}`)).status).toBe(404);
    expect(await storedOwner(binned.body.id)).toBe(u2.id);
    expect(await byOwner(`ownerId=${u2.id}`)).toMatchObject({ data: [{ id: contact.body.id }], total: 1 });
    // Out of the pool by a transfer "without contacts", the contacts follow all the same.
    expect((await ws.admin.post(`/api/v1/customers/${made[5]}/transfer`, { ownerId: u2.id, withContacts: false })).status).toBe(200);
    expect(await storedOwner(other.body.id)).toBe(u2.id);
    expect((await rep.c.get(`/api/v1/contacts/${other.body.id}`)).status).toBe(404);
    // Each runner reports only what it recycled itself: together, exactly the history rows written.
    expect(a.recycled + b.recycled).toBe((await historyCount()) - before);
    expect(a.recycled + b.recycled).toBeGreaterThanOrEqual(30);
    const again = await recycleWorkspace(t.deps, ws.workspaceId);
    expect(again.recycled).toBe(0);
  });
});
