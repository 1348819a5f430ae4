import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

describe('contact recycle bin: POST /contacts/:id/restore', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('brings a deleted contact back (not primary), on the timeline, and 404s what is not in the bin', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customerId = String((await ws.admin.post('/api/v1/customers', { name: '回收科技' })).body.id);
    const id = String((await ws.admin.post('/api/v1/contacts', { customerId, name: '赵六', phone: '13812341234' })).body.id);
    expectProblem(await ws.admin.post(`/api/v1/contacts/${id}/restore`), 404, 'not_found');

    expect((await ws.admin.delete(`/api/v1/contacts/${id}`)).status).toBe(204);
    expect((await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${customerId}/contacts`)).body.data).toEqual([]);

    const restored = await ws.admin.post(`/api/v1/contacts/${id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id, name: '赵六', phone: '13812341234', isPrimary: false, version: 2 });
    expect((await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${customerId}/contacts`)).body.data.map((c) => c.id)).toEqual([id]);
    expect((await ws.admin.get<{ data: Json[] }>(`/api/v1/contacts?q=赵六`)).body.data.map((c) => c.id)).toEqual([id]);
    const timeline = await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${customerId}/timeline?kind=restored`);
    expect(timeline.body.data).toMatchObject([{ kind: 'restored', entity: 'contact', recordId: id, data: { contactId: id, name: '赵六' } }]);
    // Once out of the bin, it is not in it any more.
    expectProblem(await ws.admin.post(`/api/v1/contacts/${id}/restore`), 404, 'not_found');
  });

  it('refuses while the customer is in the bin (the contact comes back with it)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customerId = String((await ws.admin.post('/api/v1/customers', { name: 'Binned Co' })).body.id);
    const id = String((await ws.admin.post('/api/v1/contacts', { customerId, name: 'Early' })).body.id);
    await ws.admin.delete(`/api/v1/contacts/${id}`);
    // Deleted a day before its customer (not in the same millisecond, which would bring it back with it).
    await t.deps.db.updateTable('contacts').set({ deletedAt: new Date(Date.now() - 86_400_000).toISOString() }).where('id', '=', id).execute();
    await ws.admin.delete(`/api/v1/customers/${customerId}`);
    expectProblem(await ws.admin.post(`/api/v1/contacts/${id}/restore`), 422, 'business_rule');
    expect((await ws.admin.post(`/api/v1/customers/${customerId}/restore`)).status).toBe(200);
    expect((await ws.admin.post(`/api/v1/contacts/${id}/restore`)).status).toBe(200);
  });

  it('is scoped (404 outside), needs contact:delete (403), masks the answer, and stays in its workspace', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const grants = [
      { entity: 'customer', action: 'view', scope: 'own' },
      { entity: 'contact', action: 'view', scope: 'own' },
      { entity: 'contact', action: 'delete', scope: 'own' },
    ];
    const rep = await createUserWithGrants(t.app, ws.admin, grants, [{ entity: 'contact', field: 'phone', access: 'read', masked: true }]);
    const viewer = await createUserWithGrants(t.app, ws.admin, grants.slice(0, 2));
    // Sees every contact but may delete (and so restore) only its own.
    const wideViewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }, { entity: 'contact', action: 'view' }, { entity: 'contact', action: 'delete', scope: 'own' }]);
    const mine = String((await ws.admin.post('/api/v1/customers', { name: 'Rep Co', ownerId: rep.id })).body.id);
    const others = String((await ws.admin.post('/api/v1/customers', { name: 'Admin Co' })).body.id);
    const myContact = String((await ws.admin.post('/api/v1/contacts', { customerId: mine, name: 'Mine', phone: '13812341234' })).body.id);
    const otherContact = String((await ws.admin.post('/api/v1/contacts', { customerId: others, name: 'Theirs' })).body.id);
    await ws.admin.delete(`/api/v1/contacts/${myContact}`);
    await ws.admin.delete(`/api/v1/contacts/${otherContact}`);

    expectProblem(await viewer.session.post(`/api/v1/contacts/${myContact}/restore`), 403, 'forbidden');
    expectProblem(await rep.session.post(`/api/v1/contacts/${otherContact}/restore`), 404, 'not_found');
    expectProblem(await wideViewer.session.post(`/api/v1/contacts/${otherContact}/restore`), 403, 'forbidden');
    const other = await createWorkspaceWithAdmin(t);
    expectProblem(await other.admin.post(`/api/v1/contacts/${myContact}/restore`), 404, 'not_found');

    const restored = await rep.session.post(`/api/v1/contacts/${myContact}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: myContact, phone: '138****1234' });
  });
});
