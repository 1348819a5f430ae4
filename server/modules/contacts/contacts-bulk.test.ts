import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUserWithGrants, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

describe('contact recycle bin: list, bulk delete and bulk restore', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function customerWith(ws: TestWorkspace, name: string, contacts: string[], ownerId?: string): Promise<{ customerId: string; contactIds: string[] }> {
    const customerId = String((await ws.admin.post('/api/v1/customers', { name, ...(ownerId ? { ownerId } : {}) })).body.id);
    const contactIds: string[] = [];
    for (const contact of contacts) {
      contactIds.push(String((await ws.admin.post('/api/v1/contacts', { customerId, name: contact, phone: '13812341234' })).body.id));
    }
    return { customerId, contactIds };
  }

  const bin = async (ws: TestWorkspace) => (await ws.admin.get<{ data: Json[] }>('/api/v1/contacts?deleted=true&sort=name')).body.data.map((c) => c.name);
  const live = async (ws: TestWorkspace) => (await ws.admin.get<{ data: Json[] }>('/api/v1/contacts?sort=name')).body.data.map((c) => c.name);

  it('bulk-deletes into the bin, lists the bin with deletedAt, and bulk-restores (timeline + audit)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId, contactIds } = await customerWith(ws, 'Bin Co', ['Ann', 'Bob', 'Cat']);
    const [ann, bob, cat] = contactIds as [string, string, string];

    const deleted = await ws.admin.post<Json>('/api/v1/contacts/bulk', { action: 'delete', ids: [ann, bob] });
    expect(deleted.body).toEqual({ action: 'delete', matched: 2, changed: 2 });
    expect(await live(ws)).toEqual(['Cat']);
    const page = await ws.admin.get<{ data: Json[]; total: number }>('/api/v1/contacts?deleted=true&count=true');
    expect(page.body.total).toBe(2);
    expect(page.body.data.map((c) => c.name).sort()).toEqual(['Ann', 'Bob']);
    expect(typeof page.body.data[0]?.deletedAt).toBe('string');
    // The primary (the first contact) was deleted: the customer has none now.
    expect((await ws.admin.get<Json>(`/api/v1/customers/${customerId}`)).body.primaryContactId ?? null).toBeNull();

    const restored = await ws.admin.post<Json>('/api/v1/contacts/restore', { ids: [ann, bob] });
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual({ action: 'restore', matched: 2, changed: 2 });
    expect(await bin(ws)).toEqual([]);
    expect(await live(ws)).toEqual(['Ann', 'Bob', 'Cat']);
    const timeline = await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${customerId}/timeline?kind=restored`);
    expect(timeline.body.data.map((e) => e.recordId).sort()).toEqual([ann, bob].sort());
    const audit = await t.deps.db.selectFrom('auditLog').select('targetId').where('workspaceId', '=', ws.workspaceId).where('action', '=', 'contact.restored').execute();
    expect(audit.map((r) => r.targetId).sort()).toEqual([ann, bob].sort());

    // The bin's own sort (newest deletion first), paged by keyset.
    await ws.admin.post('/api/v1/contacts/bulk', { action: 'delete', ids: [ann, bob] });
    t.clock.advance(60_000);
    await ws.admin.delete(`/api/v1/contacts/${cat}`);
    const first = await ws.admin.get<{ data: Json[]; nextCursor: string }>('/api/v1/contacts?deleted=true&sort=-deletedAt&limit=1');
    expect(first.body.data.map((c) => c.name)).toEqual(['Cat']);
    const rest = await ws.admin.get<{ data: Json[]; nextCursor: string | null }>(`/api/v1/contacts?deleted=true&sort=-deletedAt&limit=5&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(rest.body.data.map((c) => c.name).sort()).toEqual(['Ann', 'Bob']);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('rejects a bad body with 400', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { contactIds } = await customerWith(ws, 'Valid Co', ['Val']);
    await ws.admin.delete(`/api/v1/contacts/${contactIds[0] ?? ''}`);
    expectProblem(await ws.admin.post('/api/v1/contacts/restore', { ids: [] }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/contacts/restore', { ids: ['x'] }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/contacts/restore', { ids: contactIds, extra: 1 }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/contacts/bulk', { action: 'purge', ids: contactIds }), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/contacts?deleted=maybe'), 400, 'validation_failed');
    expect(await bin(ws)).toEqual(['Val']);
  });

  it('is scoped and permission-checked, all or nothing, and never crosses workspaces', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const grants = [
      { entity: 'customer', action: 'view', scope: 'own' },
      { entity: 'contact', action: 'view', scope: 'own' },
      { entity: 'contact', action: 'delete', scope: 'own' },
    ];
    const rep = await createUserWithGrants(t.app, ws.admin, grants, [{ entity: 'contact', field: 'phone', access: 'read', masked: true }]);
    const viewer = await createUserWithGrants(t.app, ws.admin, grants.slice(0, 2));
    const wide = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'customer', action: 'view' },
      { entity: 'contact', action: 'view' },
      { entity: 'contact', action: 'delete', scope: 'own' },
    ]);
    const mine = (await customerWith(ws, 'Rep Co', ['Mine'], rep.id)).contactIds[0] ?? '';
    const theirs = (await customerWith(ws, 'Admin Co', ['Theirs'])).contactIds[0] ?? '';
    const wideOwn = (await customerWith(ws, 'Wide Co', ['Wide own'], wide.id)).contactIds[0] ?? '';
    await ws.admin.post('/api/v1/contacts/bulk', { action: 'delete', ids: [mine, theirs, wideOwn] });

    // No contact:delete: no bin, no restore.
    expectProblem(await viewer.session.get('/api/v1/contacts?deleted=true'), 403, 'forbidden');
    expectProblem(await viewer.session.post('/api/v1/contacts/restore', { ids: [mine] }), 403, 'forbidden');
    // The rep's bin holds only its own contacts, masked like everywhere else.
    const repBin = await rep.session.get<{ data: Json[] }>('/api/v1/contacts?deleted=true');
    expect(repBin.body.data).toMatchObject([{ id: mine, phone: '138****1234' }]);
    // Outside the scope: 404, and nothing restored.
    expectProblem(await rep.session.post('/api/v1/contacts/restore', { ids: [mine, theirs] }), 404, 'not_found');
    // Visible but not deletable by them: 403, nothing restored.
    expectProblem(await wide.session.post('/api/v1/contacts/restore', { ids: [wideOwn, theirs] }), 403, 'forbidden');
    // Another workspace's admin: 404.
    const other = await createWorkspaceWithAdmin(t);
    expectProblem(await other.admin.post('/api/v1/contacts/restore', { ids: [mine] }), 404, 'not_found');
    expectProblem(await other.admin.post('/api/v1/contacts/bulk', { action: 'delete', ids: [mine] }), 404, 'not_found');
    expect(await bin(ws)).toEqual(['Mine', 'Theirs', 'Wide own']);

    expect((await rep.session.post('/api/v1/contacts/restore', { ids: [mine] })).status).toBe(200);
    expect(await bin(ws)).toEqual(['Theirs', 'Wide own']);
    // A live contact is not in the bin (404); the same goes for bulk delete of a binned one.
    expectProblem(await ws.admin.post('/api/v1/contacts/restore', { ids: [mine, theirs] }), 404, 'not_found');
    expectProblem(await ws.admin.post('/api/v1/contacts/bulk', { action: 'delete', ids: [mine, theirs] }), 404, 'not_found');
    expect(await live(ws)).toEqual(['Mine']);
  });

  it('refuses to restore a contact whose customer is in the bin (422), restoring none', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const a = await customerWith(ws, 'Live Co', ['Live one']);
    const b = await customerWith(ws, 'Gone Co', ['Gone one']);
    await ws.admin.post('/api/v1/contacts/bulk', { action: 'delete', ids: [...a.contactIds, ...b.contactIds] });
    await t.deps.db.updateTable('contacts').set({ deletedAt: new Date(Date.now() - 86_400_000).toISOString() }).where('customerId', '=', b.customerId).execute();
    await ws.admin.delete(`/api/v1/customers/${b.customerId}`);
    expectProblem(await ws.admin.post('/api/v1/contacts/restore', { ids: [...a.contactIds, ...b.contactIds] }), 422, 'business_rule');
    expect(await bin(ws)).toEqual(['Gone one', 'Live one']);
  });
});
