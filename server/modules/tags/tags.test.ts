import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

describe('tags', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates, renames, counts usage and deletes a tag everywhere', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const vip = await ws.admin.post<Json>('/api/v1/tags', { name: 'VIP', color: 'gold' });
    expect(vip.status).toBe(201);
    expect((await ws.admin.post('/api/v1/tags', { name: 'VIP' })).body.code).toBe('name_taken');
    expect((await ws.admin.post('/api/v1/tags', { name: 'x', color: 'red; drop' })).status).toBe(400);

    const customer = await ws.admin.post<Json>('/api/v1/customers', { name: 'Tagged Co', tagIds: [vip.body.id] });
    expect(customer.body.tags).toEqual([{ id: vip.body.id, name: 'VIP', color: 'gold' }]);
    const list = await ws.admin.get<{ data: Json[] }>('/api/v1/tags');
    expect(list.body.data).toEqual([{ id: vip.body.id, name: 'VIP', color: 'gold', usage: 1, version: 1 }]);

    const renamed = await ws.admin.patch<Json>(`/api/v1/tags/${String(vip.body.id)}`, { name: '重点' }, { 'if-match': '"1"' });
    expect(renamed.body).toMatchObject({ name: '重点', usage: 1, version: 2 });
    // Someone still editing version 1 is refused instead of renaming it back.
    expectProblem(await ws.admin.patch(`/api/v1/tags/${String(vip.body.id)}`, { name: 'VIP', color: 'red' }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    expect((await ws.admin.get<{ data: Json[] }>('/api/v1/tags')).body.data).toEqual([{ id: vip.body.id, name: '重点', color: 'gold', usage: 1, version: 2 }]);
    const filtered = await ws.admin.get<{ data: Json[] }>(`/api/v1/customers?tag=${String(vip.body.id)}`);
    expect(filtered.body.data.map((c) => c.name)).toEqual(['Tagged Co']);

    expect((await ws.admin.delete(`/api/v1/tags/${String(vip.body.id)}`)).status).toBe(204);
    expect((await ws.admin.get<Json>(`/api/v1/customers/${String(customer.body.id)}`)).body.tags).toEqual([]);
    expect((await ws.admin.delete(`/api/v1/tags/${String(vip.body.id)}`)).status).toBe(404);
  });

  it('lets roles without tag rights read tags but not manage them; other workspaces see nothing', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const tag = await ws.admin.post<Json>('/api/v1/tags', { name: 'Hot' });
    const agent = await (await createUser(t.app, ws.admin, { roleIds: [ws.roles.service_agent ?? ''] })).client();
    expect((await agent.get<{ data: Json[] }>('/api/v1/tags')).body.data).toHaveLength(1);
    expect((await agent.post('/api/v1/tags', { name: 'Mine' })).status).toBe(403);
    expect((await other.admin.get<{ data: Json[] }>('/api/v1/tags')).body.data).toEqual([]);
    expect((await other.admin.patch(`/api/v1/tags/${String(tag.body.id)}`, { name: 'Stolen' })).status).toBe(404);
  });
});
