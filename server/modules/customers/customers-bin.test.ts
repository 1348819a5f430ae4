import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { purgeExpiredCustomers } from './customers.purge';

describe('customer recycle bin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ sessionIdleMinutes: 100_000, sessionAbsoluteHours: 10_000 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('purges on request, and automatically after the workspace retention', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const settings = await ws.admin.patch<Json>('/api/v1/workspace', { settings: { recycleBinDays: 7 } });
    expect(settings.body.settings).toEqual({ recycleBinDays: 7 });
    expect((await ws.admin.patch('/api/v1/workspace', { settings: { recycleBinDays: 0 } })).status).toBe(400);

    const ids: string[] = [];
    for (const name of ['Old one', 'Older one', 'Kept']) {
      const c = await ws.admin.post<Json>('/api/v1/customers', { name, contact: { name: `${name} contact` } });
      ids.push(String(c.body.id));
    }
    const [a, b, kept] = ids as [string, string, string];
    // Purge needs the record in the bin first.
    expect((await ws.admin.delete(`/api/v1/customers/${a}/purge`)).status).toBe(404);
    await ws.admin.delete(`/api/v1/customers/${a}`);
    expect((await ws.admin.delete(`/api/v1/customers/${a}/purge`)).status).toBe(204);
    expect(await t.deps.db.selectFrom('contacts').select('id').where('customerId', '=', a).execute()).toEqual([]);
    expect(await t.deps.db.selectFrom('timelineEvents').select('id').where('customerId', '=', a).execute()).toEqual([]);

    await ws.admin.delete(`/api/v1/customers/${b}`);
    t.clock.advance(6 * 86_400_000);
    await purgeExpiredCustomers(t.deps);
    expect((await ws.admin.get<{ data: Json[] }>('/api/v1/customers?deleted=true')).body.data.map((c) => c.id)).toEqual([b]);
    t.clock.advance(2 * 86_400_000);
    expect(await purgeExpiredCustomers(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await ws.admin.get<{ data: Json[] }>('/api/v1/customers?deleted=true')).body.data).toEqual([]);
    expect((await ws.admin.get(`/api/v1/customers/${kept}`)).status).toBe(200);
  });

  it('only users who may delete see the bin; a rep cannot purge or change settings', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const agent = await (await createUser(t.app, ws.admin, { roleIds: [ws.roles.service_agent ?? ''] })).client();
    expect((await agent.get('/api/v1/customers?deleted=true')).status).toBe(403);
    expect((await agent.patch('/api/v1/workspace', { name: 'Mine now' })).status).toBe(403);
    expect((await agent.get<Json>('/api/v1/workspace')).body.settings).toEqual({ recycleBinDays: 30 });
  });
});
