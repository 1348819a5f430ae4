import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface View extends Json {
  id: string;
  name: string;
  shared: boolean;
  ownerId: string;
  ownerName: string | null;
  definition: { filters: Record<string, string | string[]>; sort: string | null; columns: string[] };
  access: { edit: boolean; delete: boolean };
}

const definition = { filters: { level: ['A', 'B'], 'createdAt[gte]': '2026-01-01', 'cf.region': 'east' }, sort: '-createdAt', columns: ['name', 'level', 'cf.region'] };

describe('saved views', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('saves, lists (mine + shared), renames and deletes views', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view', scope: 'own' }], [], { name: 'Rep' });

    const created = await ws.admin.post<View>('/api/v1/saved-views', { entity: 'customer', name: 'A-level east', shared: false, definition });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'A-level east', shared: false, ownerId: ws.adminId, ownerName: 'Admin', definition, access: { edit: true, delete: true } });
    const shared = await ws.admin.post<View>('/api/v1/saved-views', { entity: 'customer', name: 'Team view', shared: true, definition: { filters: {}, columns: [] } });
    expect(shared.status).toBe(201);
    expect(shared.body.definition).toEqual({ filters: {}, sort: null, columns: [] });

    const mine = await rep.session.post<View>('/api/v1/saved-views', { entity: 'customer', name: 'My list', definition: { filters: { q: '张' }, columns: ['name'] } });
    expect(mine.status).toBe(201);

    // The rep sees their own view first, then the shared one; never the admin's private one.
    const repList = await rep.session.get<{ data: View[] }>('/api/v1/saved-views?entity=customer');
    expect(repList.status).toBe(200);
    expect(repList.body.data.map((v) => v.name)).toEqual(['My list', 'Team view']);
    expect(repList.body.data[1]?.access).toEqual({ edit: false, delete: false });

    const adminList = await ws.admin.get<{ data: View[] }>('/api/v1/saved-views?entity=customer');
    expect(adminList.body.data.map((v) => v.name)).toEqual(['A-level east', 'Team view']);
    expect((await ws.admin.get<{ data: View[] }>('/api/v1/saved-views?entity=contact')).body.data).toEqual([]);

    expect(created.body.version).toBe(1);
    const renamed = await ws.admin.patch<View>(`/api/v1/saved-views/${created.body.id}`, { name: 'Renamed', definition: { filters: { level: 'C' }, sort: 'name', columns: ['name'] } }, { 'if-match': '"1"' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', definition: { filters: { level: 'C' }, sort: 'name', columns: ['name'] }, version: 2 });
    // Another tab that loaded version 1 would put the old filters back: refused (412), the view stays as saved.
    const stale = await ws.admin.patch(`/api/v1/saved-views/${created.body.id}`, { definition }, { 'if-match': '"1"' });
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 412, code: 'version_mismatch' });
    const listed = (await ws.admin.get<{ data: View[] }>('/api/v1/saved-views?entity=customer')).body.data.find((v) => v.id === created.body.id);
    expect(listed).toMatchObject({ name: 'Renamed', definition: { filters: { level: 'C' } }, version: 2 });

    const duplicate = await ws.admin.post('/api/v1/saved-views', { entity: 'customer', name: 'Renamed', definition: { filters: {}, columns: [] } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'name_taken' });
    // Names are unique per owner only.
    expect((await rep.session.post('/api/v1/saved-views', { entity: 'customer', name: 'Renamed', definition: { filters: {}, columns: [] } })).status).toBe(201);

    expect((await ws.admin.delete(`/api/v1/saved-views/${created.body.id}`)).status).toBe(204);
    expect((await ws.admin.delete(`/api/v1/saved-views/${created.body.id}`)).status).toBe(404);
  });

  it('lets only the owner change a view; private views of others are invisible (404)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const grants = [
      { entity: 'customer', action: 'view', scope: 'own' },
      { entity: 'customer', action: 'edit', scope: 'own' },
    ];
    const alice = await createUserWithGrants(t.app, ws.admin, grants, [], { name: 'Alice' });
    const bob = await createUserWithGrants(t.app, ws.admin, grants, [], { name: 'Bob' });

    const privateView = await alice.session.post<View>('/api/v1/saved-views', { entity: 'customer', name: 'Private', definition });
    const sharedView = await alice.session.post<View>('/api/v1/saved-views', { entity: 'customer', name: 'Shared', shared: true, definition });
    expect([privateView.status, sharedView.status]).toEqual([201, 201]);

    expect((await bob.session.patch(`/api/v1/saved-views/${privateView.body.id}`, { name: 'Mine now' })).status).toBe(404);
    expect((await bob.session.delete(`/api/v1/saved-views/${privateView.body.id}`)).status).toBe(404);
    expect((await bob.session.patch(`/api/v1/saved-views/${sharedView.body.id}`, { name: 'Mine now' })).status).toBe(403);
    // Bob may edit only his own records: he cannot clean up others' shared views…
    expect((await bob.session.delete(`/api/v1/saved-views/${sharedView.body.id}`)).status).toBe(403);
    // …an administrator (customer:edit at scope all) can, and cannot see the private one either.
    expect((await ws.admin.patch(`/api/v1/saved-views/${sharedView.body.id}`, { name: 'Hijacked' })).status).toBe(403);
    expect((await ws.admin.delete(`/api/v1/saved-views/${privateView.body.id}`)).status).toBe(404);
    const adminSees = await ws.admin.get<{ data: View[] }>('/api/v1/saved-views?entity=customer');
    expect(adminSees.body.data.map((v) => [v.name, v.access.delete])).toEqual([['Shared', true]]);
    expect((await ws.admin.delete(`/api/v1/saved-views/${sharedView.body.id}`)).status).toBe(204);

    const view = await alice.session.get<{ data: View[] }>('/api/v1/saved-views?entity=customer');
    expect(view.body.data.map((v) => v.name)).toEqual(['Private']);
  });

  it('needs <entity>:view to use views and <entity>:edit to share them', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view', scope: 'all' }]);
    const nobody = await createUserWithGrants(t.app, ws.admin, [{ entity: 'user', action: 'view', scope: 'all' }]);

    expect((await nobody.session.get('/api/v1/saved-views?entity=customer')).status).toBe(403);
    expect((await nobody.session.post('/api/v1/saved-views', { entity: 'customer', name: 'X', definition: { filters: {}, columns: [] } })).status).toBe(403);

    const sharedAttempt = await viewer.session.post('/api/v1/saved-views', { entity: 'customer', name: 'Everyone', shared: true, definition: { filters: {}, columns: [] } });
    expect(sharedAttempt.status).toBe(403);
    const own = await viewer.session.post<View>('/api/v1/saved-views', { entity: 'customer', name: 'Mine', definition: { filters: {}, columns: [] } });
    expect(own.status).toBe(201);
    expect((await viewer.session.patch(`/api/v1/saved-views/${own.body.id}`, { shared: true })).status).toBe(403);
    expect((await viewer.session.patch(`/api/v1/saved-views/${own.body.id}`, { shared: false, name: 'Still mine' })).status).toBe(200);
    // A contact view needs contact:view.
    expect((await viewer.session.post('/api/v1/saved-views', { entity: 'contact', name: 'C', definition: { filters: {}, columns: [] } })).status).toBe(403);

    // Sharing and unsharing are audited.
    const shared = await ws.admin.post<View>('/api/v1/saved-views', { entity: 'customer', name: 'Team', shared: true, definition: { filters: {}, columns: [] } });
    await ws.admin.patch(`/api/v1/saved-views/${shared.body.id}`, { shared: false });
    const audit = await t.deps.db.selectFrom('auditLog').select('action').where('workspaceId', '=', ws.workspaceId).where('targetId', '=', shared.body.id).orderBy('createdAt').execute();
    expect(audit.map((a) => a.action)).toEqual(['saved_view.shared', 'saved_view.unshared']);
  });

  it('saves lead list views: lead:view to use them, lead:edit to share, kept apart from customer views', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const leadDefinition = { filters: { 'status[in]': ['new', 'contacted'], source: 'website', q: '展会' }, sort: '-createdAt', columns: ['name', 'company', 'status'] };
    const shared = await ws.admin.post<View>('/api/v1/saved-views', { entity: 'lead', name: '展会线索', shared: true, definition: leadDefinition });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({ entity: 'lead', name: '展会线索', shared: true, definition: leadDefinition });

    const rep = await createUserWithGrants(t.app, ws.admin, [{ entity: 'lead', action: 'view', scope: 'own' }], [], { name: 'Lead rep' });
    const own = await rep.session.post<View>('/api/v1/saved-views', { entity: 'lead', name: 'Mine', definition: { filters: { ownerId: rep.id }, columns: [] } });
    expect(own.status).toBe(201);
    expect((await rep.session.post('/api/v1/saved-views', { entity: 'lead', name: 'Everyone', shared: true, definition: { filters: {}, columns: [] } })).status).toBe(403);
    const repLeadViews = await rep.session.get<{ data: View[] }>('/api/v1/saved-views?entity=lead');
    expect(repLeadViews.body.data.map((v) => v.name)).toEqual(['Mine', '展会线索']);
    // The rep may not see customers: no customer views, and lead views do not leak into them.
    expect((await rep.session.get('/api/v1/saved-views?entity=customer')).status).toBe(403);
    expect((await ws.admin.get<{ data: View[] }>('/api/v1/saved-views?entity=customer')).body.data).toEqual([]);

    const customersOnly = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view', scope: 'all' }]);
    expect((await customersOnly.session.get('/api/v1/saved-views?entity=lead')).status).toBe(403);
    expect((await customersOnly.session.patch(`/api/v1/saved-views/${shared.body.id}`, { name: 'X' })).status).toBe(404);
  });

  it('validates the definition', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const bad = [
      { entity: 'deal', name: 'X', definition: { filters: {}, columns: [] } },
      { entity: 'customer', name: '', definition: { filters: {}, columns: [] } },
      { entity: 'customer', name: 'X', definition: { filters: { 'level; drop': 'A' }, columns: [] } },
      { entity: 'customer', name: 'X', definition: { filters: { level: { nested: 1 } }, columns: [] } },
      { entity: 'customer', name: 'X', definition: { filters: {}, sort: 'name desc', columns: [] } },
      { entity: 'customer', name: 'X', definition: { filters: {}, columns: ['a b'] } },
      { entity: 'customer', name: 'X', definition: { filters: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, 'x'])), columns: [] } },
      { entity: 'customer', name: 'X', definition: { filters: {}, columns: [], extra: 1 } },
    ];
    for (const body of bad) {
      const res = await ws.admin.post('/api/v1/saved-views', body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(400);
    }
    expect((await ws.admin.get('/api/v1/saved-views')).status).toBe(400);
    expect((await ws.admin.patch('/api/v1/saved-views/00000000-0000-7000-8000-000000000000', { name: 'X' })).status).toBe(404);
  });
});
