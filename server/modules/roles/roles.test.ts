import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createRole, createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { anonymous, createTestApp, type TestApp } from '../../testing/test-app';

interface Role {
  id: string;
  key: string | null;
  name: string;
  description: string | null;
  isSystem: boolean;
  userCount: number;
  permissions: { entity: string; action: string; scope: string }[];
  fieldRules: { entity: string; field: string; access: string; masked: boolean }[];
  version: number;
}

describe('roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the seeded roles with user counts and returns one with its matrix', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const list = await ws.admin.get<{ data: Omit<Role, 'permissions' | 'fieldRules' | 'version'>[] }>('/api/v1/roles');
    expect(list.status).toBe(200);
    expect(list.body.data.map((r) => r.key)).toEqual(['admin', 'sales_manager', 'sales', 'service_agent', 'marketer']);
    expect(Object.keys(list.body.data[0] ?? {}).sort()).toEqual(['description', 'id', 'isSystem', 'key', 'name', 'userCount']);
    expect(list.body.data.find((r) => r.key === 'sales')).toMatchObject({ name: 'Sales rep', isSystem: false, userCount: 1 });

    const sales = await ws.admin.get<Role>(`/api/v1/roles/${ws.roles.sales}`);
    expect(sales.body.permissions).toEqual(
      expect.arrayContaining([
        { entity: 'department', action: 'view', scope: 'all' },
        { entity: 'user', action: 'view', scope: 'department' },
        { entity: 'customer', action: 'view', scope: 'own' },
      ]),
    );
    // A sales rep sees their own records only: no wider grant on any scoped entity.
    expect(sales.body.permissions.filter((p) => p.entity === 'customer').every((p) => p.scope === 'own')).toBe(true);
    const admin = await ws.admin.get<Role>(`/api/v1/roles/${ws.roles.admin}`);
    expect(admin.body).toMatchObject({ key: 'admin', isSystem: true, userCount: 1, fieldRules: [], version: 1 });
    expect(admin.body.permissions).toContainEqual({ entity: 'auditLog', action: 'view', scope: 'all' });
    expect(admin.body.permissions.every((p) => p.scope === 'all')).toBe(true);
  });

  it('creates a role with a permission matrix and field rules, normalising unscoped entities to all', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const res = await ws.admin.post<Role>('/api/v1/roles', {
      name: 'Team lead',
      description: 'Leads a team',
      permissions: [
        { entity: 'user', action: 'view', scope: 'subordinates' },
        { entity: 'user', action: 'edit', scope: 'own' },
        { entity: 'department', action: 'view', scope: 'own' },
        { entity: 'user', action: 'view', scope: 'subordinates' },
      ],
      fieldRules: [
        { entity: 'user', field: 'phone', access: 'read', masked: true },
        { entity: 'user', field: 'email', access: 'hidden' },
        { entity: 'user', field: 'manager', access: 'edit' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/roles/${res.body.id}`);
    expect(res.body).toEqual({
      id: res.body.id,
      key: null,
      name: 'Team lead',
      description: 'Leads a team',
      isSystem: false,
      userCount: 0,
      version: 1,
      permissions: [
        { entity: 'department', action: 'view', scope: 'all' },
        { entity: 'user', action: 'edit', scope: 'own' },
        { entity: 'user', action: 'view', scope: 'subordinates' },
      ],
      fieldRules: [
        { entity: 'user', field: 'email', access: 'hidden', masked: false },
        { entity: 'user', field: 'phone', access: 'read', masked: true },
      ],
    });
    expect((await ws.admin.get<Role>(`/api/v1/roles/${res.body.id}`)).body).toEqual(res.body);
  });

  it('rejects unknown entities, actions and fields with 400', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const bad = [
      { name: 'R', permissions: [{ entity: 'spaceship', action: 'view', scope: 'all' }] },
      { name: 'R', permissions: [{ entity: 'user', action: 'fly', scope: 'all' }] },
      { name: 'R', permissions: [{ entity: 'auditLog', action: 'delete', scope: 'all' }] },
      { name: 'R', permissions: [{ entity: 'user', action: 'view', scope: 'galaxy' }] },
      { name: 'R', fieldRules: [{ entity: 'user', field: 'salary', access: 'hidden' }] },
      { name: 'R', fieldRules: [{ entity: 'user', field: 'name', access: 'read', masked: true }] },
      { name: 'R', fieldRules: [{ entity: 'user', field: 'phone', access: 'invisible' }] },
      { name: '' },
      { permissions: [] },
      { name: 'R', isSystem: true },
    ];
    for (const body of bad) {
      expectProblem(await ws.admin.post('/api/v1/roles', body), 400, 'validation_failed');
    }
    const paths = await ws.admin.post<{ errors: { path: string }[] }>('/api/v1/roles', bad[0]);
    expect(paths.body.errors).toEqual([{ path: 'permissions.0.entity', message: 'unknown entity' }]);
    const roleId = await createRole(ws.admin, []);
    expectProblem(await ws.admin.patch(`/api/v1/roles/${roleId}`, { permissions: [{ entity: 'user', action: 'import', scope: 'all' }] }), 400, 'validation_failed');
    expectProblem(await ws.admin.patch(`/api/v1/roles/${roleId}`, {}), 400, 'validation_failed');
    expect((await ws.admin.get<{ data: Role[] }>('/api/v1/roles')).body.data.filter((r) => r.name === 'R')).toEqual([]);
  });

  it('updates a role: permissions take effect on the next request; If-Match guards versions', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const member = await createUserWithGrants(t.app, ws.admin, [{ entity: 'department', action: 'view' }]);
    expectProblem(await member.session.get('/api/v1/users'), 403, 'forbidden');
    const res = await ws.admin.patch<Role>(
      `/api/v1/roles/${member.roleId}`,
      { name: 'Renamed role', permissions: [{ entity: 'user', action: 'view', scope: 'own' }] },
      { 'if-match': '1' },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed role', version: 2, permissions: [{ entity: 'user', action: 'view', scope: 'own' }] });
    expect((await member.session.get<{ data: { id: string }[] }>('/api/v1/users')).body.data.map((u) => u.id)).toEqual([member.id]);
    expectProblem(await member.session.get('/api/v1/departments'), 403, 'forbidden');
    expectProblem(await ws.admin.patch(`/api/v1/roles/${member.roleId}`, { name: 'Stale' }, { 'if-match': '1' }), 412, 'version_mismatch');

    const audit = await ws.admin.get<{ data: { detail: { from: { permissions: unknown[] }; to: { permissions: unknown[] } } }[] }>(
      '/api/v1/audit-log?action=role.updated',
    );
    expect(audit.body.data[0]?.detail.from.permissions).toEqual([{ entity: 'department', action: 'view', scope: 'all' }]);
    expect(audit.body.data[0]?.detail.to.permissions).toEqual([{ entity: 'user', action: 'view', scope: 'own' }]);
  });

  it('protects the admin role (422 role_protected) but allows renaming it', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const adminRole = `/api/v1/roles/${ws.roles.admin}`;
    expectProblem(await ws.admin.patch(adminRole, { permissions: [{ entity: 'user', action: 'view', scope: 'all' }] }), 422, 'role_protected');
    expectProblem(await ws.admin.patch(adminRole, { fieldRules: [{ entity: 'user', field: 'phone', access: 'hidden' }] }), 422, 'role_protected');
    expectProblem(await ws.admin.delete(adminRole), 422, 'role_protected');
    const renamed = await ws.admin.patch<Role>(adminRole, { name: 'Boss', description: 'Runs the place' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ key: 'admin', name: 'Boss', isSystem: true });
    expect((await ws.admin.get<Role>(adminRole)).body.permissions).toContainEqual({ entity: 'role', action: 'edit', scope: 'all' });
  });

  it('deletes unused roles; 409 role_in_use while a user or API key holds one', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const roleId = await createRole(ws.admin, [{ entity: 'user', action: 'view' }]);
    const user = await createUser(t.app, ws.admin, { roleIds: [roleId] });
    expectProblem(await ws.admin.delete(`/api/v1/roles/${roleId}`), 409, 'role_in_use');
    await ws.admin.patch(`/api/v1/users/${user.id}`, { roleIds: [] });
    const key = await ws.admin.post<{ id: string }>('/api/v1/api-keys', { name: 'Holder', roleId });
    expectProblem(await ws.admin.delete(`/api/v1/roles/${roleId}`), 409, 'role_in_use');
    await ws.admin.delete(`/api/v1/api-keys/${key.body.id}`);
    // A revoked key still references the role (it stays listed).
    expectProblem(await ws.admin.delete(`/api/v1/roles/${roleId}`), 409, 'role_in_use');

    const unused = await createRole(ws.admin, [{ entity: 'user', action: 'view' }], [{ entity: 'user', field: 'phone', access: 'hidden' }]);
    expect((await ws.admin.delete(`/api/v1/roles/${unused}`)).status).toBe(204);
    expectProblem(await ws.admin.get(`/api/v1/roles/${unused}`), 404, 'not_found');
    expectProblem(await ws.admin.delete(`/api/v1/roles/${unused}`), 404, 'not_found');
    const audit = await ws.admin.get<{ data: { targetId: string }[] }>('/api/v1/audit-log?action=role.deleted');
    expect(audit.body.data.map((e) => e.targetId)).toEqual([unused]);
  });

  it('answers 409 name_taken for a duplicate name, on create and on rename', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await createRole(ws.admin, [], [], 'Analyst');
    const other = await createRole(ws.admin, [], [], 'Auditor');
    expectProblem(await ws.admin.post('/api/v1/roles', { name: 'Analyst' }), 409, 'name_taken');
    expectProblem(await ws.admin.post('/api/v1/roles', { name: 'Sales rep' }), 409, 'name_taken');
    expectProblem(await ws.admin.patch(`/api/v1/roles/${other}`, { name: 'Analyst' }), 409, 'name_taken');
    // Names are per workspace.
    const elsewhere = await createWorkspaceWithAdmin(t);
    expect((await elsewhere.admin.post('/api/v1/roles', { name: 'Analyst' })).status).toBe(201);
  });

  it('answers 403 without the action and 401 without credentials', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const roleId = await createRole(ws.admin, []);
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'role', action: 'view' }]);
    const none = await createUserWithGrants(t.app, ws.admin, [{ entity: 'user', action: 'view' }]);
    expectProblem(await none.session.get('/api/v1/roles'), 403, 'forbidden');
    expectProblem(await none.session.get(`/api/v1/roles/${roleId}`), 403, 'forbidden');
    expect((await viewer.session.get(`/api/v1/roles/${roleId}`)).status).toBe(200);
    expectProblem(await viewer.session.post('/api/v1/roles', { name: 'Mine' }), 403, 'forbidden');
    expectProblem(await viewer.session.patch(`/api/v1/roles/${viewer.roleId}`, { permissions: [{ entity: 'role', action: 'edit', scope: 'all' }] }), 403, 'forbidden');
    expectProblem(await viewer.session.delete(`/api/v1/roles/${roleId}`), 403, 'forbidden');

    const anon = anonymous(t.app);
    expectProblem(await anon.get('/api/v1/roles'), 401, 'unauthenticated');
    expectProblem(await anon.get(`/api/v1/roles/${roleId}`), 401, 'unauthenticated');
    expectProblem(await anon.post('/api/v1/roles', { name: 'X' }), 401, 'unauthenticated');
    expectProblem(await anon.patch(`/api/v1/roles/${roleId}`, { name: 'X' }), 401, 'unauthenticated');
    expectProblem(await anon.delete(`/api/v1/roles/${roleId}`), 401, 'unauthenticated');
  });

  it("keeps workspaces apart: another workspace's admin gets 404 and never lists them", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const roleId = await createRole(ws.admin, [{ entity: 'user', action: 'view' }], [], 'Private role');
    for (const id of [roleId, ws.roles.admin ?? '']) {
      expectProblem(await other.admin.get(`/api/v1/roles/${id}`), 404, 'not_found');
      expectProblem(await other.admin.patch(`/api/v1/roles/${id}`, { name: 'Hijacked' }), 404, 'not_found');
      expectProblem(await other.admin.delete(`/api/v1/roles/${id}`), 404, 'not_found');
    }
    const theirs = await other.admin.get<{ data: Role[] }>('/api/v1/roles');
    expect(theirs.body.data.map((r) => r.id)).not.toContain(roleId);
    expect(theirs.body.data.map((r) => r.id).sort()).toEqual(Object.values(other.roles).sort());
    expect((await ws.admin.get<Role>(`/api/v1/roles/${roleId}`)).body).toMatchObject({ name: 'Private role', version: 1 });
  });
});
