import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUserWithGrants, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

describe('customer recycle bin: POST /customers/restore (bulk)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function binned(ws: TestWorkspace, name: string, ownerId?: string): Promise<string> {
    const id = String((await ws.admin.post('/api/v1/customers', { name, contact: { name: `${name} contact` }, ...(ownerId ? { ownerId } : {}) })).body.id);
    expect((await ws.admin.delete(`/api/v1/customers/${id}`)).status).toBe(204);
    return id;
  }

  const binIds = async (ws: TestWorkspace) => (await ws.admin.get<{ data: Json[] }>('/api/v1/customers?deleted=true')).body.data.map((c) => c.id).sort();

  it('restores every selected customer with its contacts, on the timeline and in the audit log', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const a = await binned(ws, 'Bulk A');
    const b = await binned(ws, 'Bulk B');
    const left = await binned(ws, 'Left in bin');

    const res = await ws.admin.post<Json>('/api/v1/customers/restore', { ids: [a, b, a] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ action: 'restore', matched: 2, changed: 2 });
    expect(await binIds(ws)).toEqual([left]);
    for (const id of [a, b]) {
      expect((await ws.admin.get(`/api/v1/customers/${id}`)).status).toBe(200);
      // The contact deleted together with the customer came back with it.
      expect((await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${id}/contacts`)).body.data).toHaveLength(1);
      const timeline = await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${id}/timeline?kind=restored`);
      expect(timeline.body.data).toMatchObject([{ kind: 'restored', entity: 'customer', recordId: id }]);
    }
    const audit = await t.deps.db.selectFrom('auditLog').select('targetId').where('workspaceId', '=', ws.workspaceId).where('action', '=', 'customer.restored').execute();
    expect(audit.map((r) => r.targetId).sort()).toEqual([a, b].sort());
  });

  it('brings back only the contacts deleted with their customer; one deleted before stays in the bin', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const ids: { customer: string; earlier: string }[] = [];
    for (const name of ['Two contacts A', 'Two contacts B']) {
      const customer = String((await ws.admin.post('/api/v1/customers', { name, contact: { name: `${name} kept` } })).body.id);
      const earlier = await ws.admin.post<Json>('/api/v1/contacts', { customerId: customer, name: `${name} gone` });
      expect(earlier.status).toBe(201);
      expect((await ws.admin.delete(`/api/v1/contacts/${String(earlier.body.id)}`)).status).toBe(204);
      ids.push({ customer, earlier: String(earlier.body.id) });
    }
    // The customers go to the bin later than those contacts.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    for (const { customer } of ids) {
      expect((await ws.admin.delete(`/api/v1/customers/${customer}`)).status).toBe(204);
    }
    expect((await ws.admin.post('/api/v1/customers/restore', { ids: ids.map((i) => i.customer) })).status).toBe(200);
    for (const { customer, earlier } of ids) {
      const live = (await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${customer}/contacts`)).body.data;
      expect(live.map((c) => String(c.name))).toEqual([expect.stringContaining('kept')]);
      const row = await t.deps.db.selectFrom('contacts').select('deletedAt').where('id', '=', earlier).executeTakeFirstOrThrow();
      expect(row.deletedAt).not.toBeNull();
    }
  });

  it('rejects a bad body with 400', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const a = await binned(ws, 'Valid');
    expectProblem(await ws.admin.post('/api/v1/customers/restore', { ids: [] }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/customers/restore', { ids: ['not-an-id'] }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/customers/restore', {}), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/customers/restore', { ids: [a], force: true }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/customers/restore', { ids: Array.from({ length: 501 }, () => a) }), 400, 'validation_failed');
    expect(await binIds(ws)).toEqual([a]);
  });

  it('is all or nothing: one live customer, one outside the scope or one the caller may not delete restores none', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'customer', action: 'view', scope: 'own' },
      { entity: 'customer', action: 'delete', scope: 'own' },
    ]);
    // Sees every customer, may delete (and so restore) only its own.
    const wide = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'customer', action: 'view' },
      { entity: 'customer', action: 'delete', scope: 'own' },
    ]);
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }]);
    const mine = await binned(ws, 'Rep owned', rep.id);
    const wideOwn = await binned(ws, 'Wide owned', wide.id);
    const others = await binned(ws, 'Admin owned');
    const live = String((await ws.admin.post('/api/v1/customers', { name: 'Still live' })).body.id);

    // Without customer:delete at all: the route refuses.
    expectProblem(await viewer.session.post('/api/v1/customers/restore', { ids: [mine] }), 403, 'forbidden');
    // Outside the rep's scope: as if it did not exist.
    expectProblem(await rep.session.post('/api/v1/customers/restore', { ids: [mine, others] }), 404, 'not_found');
    // A live customer is not in the bin.
    expectProblem(await ws.admin.post('/api/v1/customers/restore', { ids: [mine, live] }), 404, 'not_found');
    // Visible, but not theirs to delete.
    expectProblem(await wide.session.post('/api/v1/customers/restore', { ids: [wideOwn, others] }), 403, 'forbidden');
    expect(await binIds(ws)).toEqual([mine, wideOwn, others].sort());

    expect((await rep.session.post('/api/v1/customers/restore', { ids: [mine] })).status).toBe(200);
    expect((await wide.session.post('/api/v1/customers/restore', { ids: [wideOwn] })).status).toBe(200);
    expect(await binIds(ws)).toEqual([others]);
  });

  it('never reaches another workspace (404), and refuses a merged customer (422)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const theirs = await binned(other, 'Theirs');
    const mine = await binned(ws, 'Mine');
    expectProblem(await ws.admin.post('/api/v1/customers/restore', { ids: [mine, theirs] }), 404, 'not_found');
    expect(await binIds(other)).toEqual([theirs]);
    expect(await binIds(ws)).toEqual([mine]);

    const target = String((await ws.admin.post('/api/v1/customers', { name: 'Merge target' })).body.id);
    await t.deps.db.updateTable('customers').set({ mergedInto: target }).where('id', '=', mine).execute();
    expectProblem(await ws.admin.post('/api/v1/customers/restore', { ids: [mine] }), 422, 'business_rule');
    expect(await binIds(ws)).toEqual([mine]);
    // The bin says where it went, so the UI can link there instead of offering a restore.
    const bin = await ws.admin.get<{ data: Json[] }>('/api/v1/customers?deleted=true');
    expect(bin.body.data.map((c) => [c.id, c.mergedInto])).toEqual([[mine, target]]);
    expect((await ws.admin.get(`/api/v1/customers/${target}`)).body.mergedInto).toBeNull();
  });
});
