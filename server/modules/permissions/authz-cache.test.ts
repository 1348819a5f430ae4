import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDepartment, createRole, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type TestApp } from '../../testing/test-app';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { authzVersion } from './authz-cache';
import { findUserRoleIds } from './permissions.repo';
import { orgGraphOf, resolvePermissions } from './permissions.service';

/*
 * Permissions, org graph and custom field definitions are cached per workspace authorisation
 * version (authz-cache.ts). These tests prove the cache is used, and that every kind of change
 * (grants, field rules, user roles, manager/department, custom fields) is seen by the very next
 * request — with no wait for the TTL.
 */
describe('permission cache', () => {
  let t: TestApp;
  let ws: TestWorkspace;

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t, 'Cache Co');
  });
  afterAll(async () => {
    await t.close();
  });

  async function customerNames(client: Client, query = ''): Promise<string[]> {
    const res = await client.get<{ data: { name: string }[] }>(`/api/v1/customers?limit=200&sort=name${query}`);
    expect(res.status).toBe(200);
    return res.body.data.map((c) => c.name);
  }

  it('serves the same permissions while nothing changes, and new ones right after a change', async () => {
    const roleId = await createRole(ws.admin, [{ entity: 'customer', action: 'view', scope: 'own' }]);
    const v1 = await authzVersion(t.deps, ws.workspaceId);
    const a = await resolvePermissions(t.deps, ws.workspaceId, [roleId]);
    const b = await resolvePermissions(t.deps, ws.workspaceId, [roleId]);
    expect(b).toBe(a); // cached: one object, no recomputation
    expect(a.actions.get('customer:view')).toEqual(['own']);

    const res = await ws.admin.patch(`/api/v1/roles/${roleId}`, { permissions: [{ entity: 'customer', action: 'view', scope: 'all' }] });
    expect(res.status).toBe(200);
    expect(await authzVersion(t.deps, ws.workspaceId)).toBeGreaterThan(v1);
    const c = await resolvePermissions(t.deps, ws.workspaceId, [roleId]);
    expect(c).not.toBe(a);
    expect(c.actions.get('customer:view')).toEqual(['all']);
  });

  it('a grant change, a role change and a field rule change take effect on the next request', async () => {
    const roleId = await createRole(ws.admin, [{ entity: 'customer', action: 'view', scope: 'own' }], [], 'Viewer (cache test)');
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [roleId] });
    const session = await rep.client();
    for (const name of ['Alpha', 'Beta']) {
      expect((await ws.admin.post('/api/v1/customers', { name, phone: '13812345678' })).status).toBe(201);
    }
    // Warm the cache, then change the grant: own → all.
    expect(await customerNames(session)).toEqual([]);
    expect(await customerNames(session)).toEqual([]);
    expect((await ws.admin.patch(`/api/v1/roles/${roleId}`, { permissions: [{ entity: 'customer', action: 'view', scope: 'all' }] })).status).toBe(200);
    expect(await customerNames(session)).toEqual(['Alpha', 'Beta']);

    // A field rule (mask the phone) shows on the next read.
    const before = await session.get<{ data: { phone: string }[] }>('/api/v1/customers?limit=1&sort=name');
    expect(before.body.data[0]?.phone).toBe('13812345678');
    const masked = await ws.admin.patch(`/api/v1/roles/${roleId}`, { fieldRules: [{ entity: 'customer', field: 'phone', access: 'read', masked: true }] });
    expect(masked.status).toBe(200);
    const after = await session.get<{ data: { phone: string }[] }>('/api/v1/customers?limit=1&sort=name');
    expect(after.body.data[0]?.phone).toBe('138****5678');

    // Taking the role away: the next request is refused.
    expect((await ws.admin.patch(`/api/v1/users/${rep.id}`, { roleIds: [] })).status).toBe(200);
    expect((await session.get('/api/v1/customers')).status).toBe(403);
  });

  it('a new subordinate (manager or department change) is in scope on the next request', async () => {
    const roleId = await createRole(ws.admin, [{ entity: 'customer', action: 'view', scope: 'subordinates' }], [], 'Managers (cache test)');
    const boss = await createUser(t.app, ws.admin, { name: 'Boss', roleIds: [roleId] });
    const worker = await createUser(t.app, ws.admin, { name: 'Worker', roleIds: [roleId] });
    const created = await ws.admin.post<{ id: string }>('/api/v1/customers', { name: 'Worker Co', ownerId: worker.id });
    expect(created.status).toBe(201);
    const bossSession = await boss.client();
    expect(await customerNames(bossSession)).toEqual([]);
    expect(await customerNames(bossSession)).toEqual([]);

    expect((await ws.admin.patch(`/api/v1/users/${worker.id}`, { managerId: boss.id })).status).toBe(200);
    expect(await customerNames(bossSession)).toEqual(['Worker Co']);
    expect((await ws.admin.patch(`/api/v1/users/${worker.id}`, { managerId: null })).status).toBe(200);
    expect(await customerNames(bossSession)).toEqual([]);

    // Leading a department the worker is in makes them a subordinate too.
    const department = await createDepartment(ws.admin, 'Cache East');
    expect((await ws.admin.patch(`/api/v1/users/${worker.id}`, { departmentId: department })).status).toBe(200);
    expect(await customerNames(bossSession)).toEqual([]);
    expect((await ws.admin.patch(`/api/v1/departments/${department}`, { leaderId: boss.id })).status).toBe(200);
    expect(await customerNames(bossSession)).toEqual(['Worker Co']);

    const principal = { workspaceId: ws.workspaceId, userId: boss.id, permissions: await resolvePermissions(t.deps, ws.workspaceId, await findUserRoleIds(t.deps.db, ws.workspaceId, boss.id)) };
    expect(await orgGraphOf(t.deps, principal)).toBe(await orgGraphOf(t.deps, principal));
  });

  it('a new custom field can be filtered on by the next request', async () => {
    const first = await customFieldDefinitions(t.deps, ws.workspaceId, 'customer');
    expect(await customFieldDefinitions(t.deps, ws.workspaceId, 'customer')).toBe(first);
    expect((await ws.admin.get('/api/v1/customers?cf.tier=gold')).status).toBe(400);
    const field = await ws.admin.post('/api/v1/custom-fields/customer', { key: 'tier', label: 'Tier', type: 'text' });
    expect(field.status).toBe(201);
    expect((await ws.admin.post('/api/v1/customers', { name: 'Gold Co', custom: { tier: 'gold' } })).status).toBe(201);
    const res = await ws.admin.get<{ data: { name: string }[] }>('/api/v1/customers?cf.tier=gold');
    expect(res.status).toBe(200);
    expect(res.body.data.map((c) => c.name)).toEqual(['Gold Co']);
    expect(await customFieldDefinitions(t.deps, ws.workspaceId, 'customer')).not.toBe(first);
  });
});
