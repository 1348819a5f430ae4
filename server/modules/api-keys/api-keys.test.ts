import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createRole, createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { anonymous, Client, createTestApp, type TestApp } from '../../testing/test-app';

interface ApiKey {
  id: string;
  name: string;
  roleId: string;
  roleName: string;
  prefix: string;
  createdAt: string;
  createdByName: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  secret?: string;
}

describe('api keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a key whose secret is shown once and never listed', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const res = await ws.admin.post<ApiKey>('/api/v1/api-keys', { name: 'ERP sync', roleId: ws.roles.sales });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/api-keys/${res.body.id}`);
    expect(res.body).toEqual({
      id: res.body.id,
      name: 'ERP sync',
      roleId: ws.roles.sales,
      roleName: 'Sales rep',
      prefix: res.body.secret?.slice(0, 11),
      createdAt: t.clock.now.toISOString(),
      createdByName: 'Admin',
      lastUsedAt: null,
      revokedAt: null,
      secret: expect.stringMatching(/^hk_[A-Za-z0-9_-]{40}$/) as unknown,
    });

    const list = await ws.admin.get<{ data: ApiKey[] }>('/api/v1/api-keys');
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
    const { secret: _secret, ...listed } = res.body;
    expect(list.body.data[0]).toEqual(listed);
    // Stored hashed only.
    const row = await t.deps.db.selectFrom('apiKeys').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(res.body.secret);
  });

  it("acts with its role's permissions through Bearer (403 outside them), records use, and stops when revoked", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const roleId = await createRole(ws.admin, [{ entity: 'user', action: 'view' }]);
    const created = await ws.admin.post<ApiKey>('/api/v1/api-keys', { name: 'Reader', roleId });
    const bearer = new Client(t.app, { bearer: created.body.secret ?? '' });

    t.clock.advance(60_000);
    const users = await bearer.get<{ data: { id: string }[] }>('/api/v1/users');
    expect(users.status).toBe(200);
    expect(users.body.data.map((u) => u.id)).toContain(ws.adminId);
    expectProblem(await bearer.post('/api/v1/departments', { name: 'Nope' }), 403, 'forbidden');
    expectProblem(await bearer.get('/api/v1/roles'), 403, 'forbidden');
    expectProblem(await bearer.get('/api/v1/api-keys'), 403, 'forbidden');

    const listed = (await ws.admin.get<{ data: ApiKey[] }>('/api/v1/api-keys')).body.data[0];
    expect(listed?.lastUsedAt).toBe(t.clock.now.toISOString());
    const used = await ws.admin.get<{ data: { actorApiKeyId: string; actorUserId: string | null; targetId: string; detail: Record<string, unknown> }[] }>(
      '/api/v1/audit-log?action=api_key.used',
    );
    // Written at most once per interval, not per request.
    expect(used.body.data).toEqual([
      expect.objectContaining({ actorApiKeyId: created.body.id, actorUserId: null, targetId: created.body.id, detail: { method: 'GET', path: '/api/v1/users' } }),
    ]);

    t.clock.advance(11 * 60_000);
    expect((await bearer.get('/api/v1/users')).status).toBe(200);
    expect((await ws.admin.get<{ data: unknown[] }>('/api/v1/audit-log?action=api_key.used')).body.data).toHaveLength(2);

    expect((await ws.admin.delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expectProblem(await bearer.get('/api/v1/users'), 401, 'invalid_api_key');
    const revoked = (await ws.admin.get<{ data: ApiKey[] }>('/api/v1/api-keys')).body.data[0];
    expect(revoked?.revokedAt).toBe(t.clock.now.toISOString());
    // Revoking twice is harmless.
    expect((await ws.admin.delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    const audit = await ws.admin.get<{ data: { action: string }[] }>(`/api/v1/audit-log?action=api_key.revoked`);
    expect(audit.body.data).toHaveLength(1);
  });

  it('writes done with a key are audited as the key, and scopes are relative to its creator', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const roleId = await createRole(ws.admin, [
      { entity: 'user', action: 'view', scope: 'own' },
      { entity: 'department', action: 'create' },
    ]);
    const key = await ws.admin.post<ApiKey>('/api/v1/api-keys', { name: 'Writer', roleId });
    const bearer = new Client(t.app, { bearer: key.body.secret ?? '' });
    await createUser(t.app, ws.admin, { name: 'Someone else' });
    expect((await bearer.get<{ data: { id: string }[] }>('/api/v1/users')).body.data.map((u) => u.id)).toEqual([ws.adminId]);
    const dept = await bearer.post<{ id: string }>('/api/v1/departments', { name: 'Made by key' });
    expect(dept.status).toBe(201);
    const audit = await ws.admin.get<{ data: { actorApiKeyId: string | null; actorUserId: string | null }[] }>('/api/v1/audit-log?action=department.created');
    expect(audit.body.data).toEqual([expect.objectContaining({ actorApiKeyId: key.body.id, actorUserId: null })]);
  });

  it('can read /auth/me but not change a profile or password through a key', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const key = await ws.admin.post<ApiKey>('/api/v1/api-keys', { name: 'Me', roleId: ws.roles.sales });
    const bearer = new Client(t.app, { bearer: key.body.secret ?? '' });
    const me = await bearer.get<{ via: string; csrfToken: string | null; permissions: { actions: Record<string, string> } }>('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ via: 'apiKey', csrfToken: null, permissions: { actions: { 'user:view': 'department', 'department:view': 'all' } } });
    expectProblem(await bearer.patch('/api/v1/auth/me', { name: 'Key' }), 403, 'forbidden');
    expectProblem(await bearer.post('/api/v1/auth/password', { currentPassword: 'x', newPassword: 'Whatever-password-1' }), 403, 'forbidden');
  });

  it('rejects malformed, unknown and foreign credentials with 401 invalid_api_key', async () => {
    const anon = anonymous(t.app);
    expectProblem(await anon.get('/api/v1/users', { authorization: 'Bearer hk_not-a-real-key-at-all' }), 401, 'invalid_api_key');
    expectProblem(await anon.get('/api/v1/users', { authorization: 'Bearer short' }), 401, 'invalid_api_key');
    expectProblem(await anon.get('/api/v1/users', { authorization: 'Basic dXNlcjpwYXNz' }), 401, 'invalid_api_key');
  });

  it('validates input with 400', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    for (const body of [{}, { name: 'X' }, { name: '', roleId: ws.roles.sales }, { name: 'X', roleId: 'nope' }, { name: 'X', roleId: other.roles.admin }, { name: 'X', roleId: ws.roles.sales, scopes: ['all'] }]) {
      expectProblem(await ws.admin.post('/api/v1/api-keys', body), 400, 'validation_failed');
    }
    expectProblem(await ws.admin.delete('/api/v1/api-keys/not-an-id'), 400, 'validation_failed');
    expect((await ws.admin.get<{ data: ApiKey[] }>('/api/v1/api-keys')).body.data).toEqual([]);
  });

  it('answers 403 without the action and 401 without credentials', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const key = await ws.admin.post<ApiKey>('/api/v1/api-keys', { name: 'K', roleId: ws.roles.sales });
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'apiKey', action: 'view' }]);
    const none = await createUserWithGrants(t.app, ws.admin, [{ entity: 'user', action: 'view' }]);
    expectProblem(await none.session.get('/api/v1/api-keys'), 403, 'forbidden');
    expect((await viewer.session.get('/api/v1/api-keys')).status).toBe(200);
    expectProblem(await viewer.session.post('/api/v1/api-keys', { name: 'Mine', roleId: ws.roles.sales }), 403, 'forbidden');
    expectProblem(await viewer.session.delete(`/api/v1/api-keys/${key.body.id}`), 403, 'forbidden');

    const anon = anonymous(t.app);
    expectProblem(await anon.get('/api/v1/api-keys'), 401, 'unauthenticated');
    expectProblem(await anon.post('/api/v1/api-keys', { name: 'X', roleId: ws.roles.sales }), 401, 'unauthenticated');
    expectProblem(await anon.delete(`/api/v1/api-keys/${key.body.id}`), 401, 'unauthenticated');
  });

  it("keeps workspaces apart: another workspace's admin gets 404, never lists them, and keys only reach their own workspace", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const key = await ws.admin.post<ApiKey>('/api/v1/api-keys', { name: 'Private key', roleId: ws.roles.admin });
    expectProblem(await other.admin.delete(`/api/v1/api-keys/${key.body.id}`), 404, 'not_found');
    expect((await other.admin.get<{ data: ApiKey[] }>('/api/v1/api-keys')).body.data).toEqual([]);
    const bearer = new Client(t.app, { bearer: key.body.secret ?? '' });
    expect((await bearer.get<{ data: { id: string }[] }>('/api/v1/users')).body.data.map((u) => u.id)).toEqual([ws.adminId]);
    expectProblem(await bearer.get(`/api/v1/users/${other.adminId}`), 404, 'not_found');
    expect((await ws.admin.get<{ data: ApiKey[] }>('/api/v1/api-keys')).body.data[0]?.revokedAt).toBeNull();
  });
});
