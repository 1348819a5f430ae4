import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createDepartment, createRole, createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type TestApp, testPassword, uniqueEmail } from '../../testing/test-app';

type User = Record<string, unknown> & { id: string };

const viewEdit = [
  { entity: 'user', action: 'view' },
  { entity: 'user', action: 'edit' },
];
const phoneMaskedEmailHidden = [
  { entity: 'user', field: 'phone', access: 'read' as const, masked: true },
  { entity: 'user', field: 'email', access: 'hidden' as const },
];

describe('users: field permissions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('masks phone and leaves out a hidden email in list and get', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const target = await createUser(t.app, ws.admin, { name: 'Masked Target', phone: '13812341234' });
    const viewer = await createUserWithGrants(t.app, ws.admin, viewEdit, phoneMaskedEmailHidden);

    const got = await viewer.session.get<User>(`/api/v1/users/${target.id}`);
    expect(got.status).toBe(200);
    expect(got.body.phone).toBe('138****1234');
    expect(got.body).not.toHaveProperty('email');
    expect(got.body.name).toBe('Masked Target');

    const list = await viewer.session.get<{ data: User[] }>('/api/v1/users');
    const row = list.body.data.find((u) => u.id === target.id);
    expect(row?.phone).toBe('138****1234');
    expect(row).not.toHaveProperty('email');
    expect(list.body.data.every((u) => !('email' in u))).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(target.email);
    expect(JSON.stringify(list.body)).not.toContain('13812341234');

    // The admin (no field rules) sees everything; everyone sees their own record unmasked.
    expect((await ws.admin.get<User>(`/api/v1/users/${target.id}`)).body).toMatchObject({ phone: '13812341234', email: target.email });
    const me = await viewer.session.get<{ user: User }>('/api/v1/auth/me');
    expect(me.body.user.email).toBe(viewer.email);
  });

  it('refuses writes to read-only, masked or hidden fields with 403 field_forbidden', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const dept = await createDepartment(ws.admin, 'Ops');
    const target = await createUser(t.app, ws.admin, { phone: '13812341234' });
    const editor = await createUserWithGrants(t.app, ws.admin, viewEdit, [
      ...phoneMaskedEmailHidden,
      { entity: 'user', field: 'department', access: 'read' },
    ]);
    const s = editor.session;
    for (const body of [{ phone: '13900000000' }, { email: uniqueEmail() }, { departmentId: dept }, { name: 'Ok', phone: null }]) {
      const res = await s.patch<{ errors: { path: string }[] }>(`/api/v1/users/${target.id}`, body);
      expectProblem(res, 403, 'field_forbidden');
    }
    const denied = await s.patch<{ errors: { path: string }[] }>(`/api/v1/users/${target.id}`, { phone: '13900000000', email: uniqueEmail() });
    expect(denied.body.errors.map((e) => e.path).sort()).toEqual(['email', 'phone']);

    // Editable fields still work, and the answer is presented with the same rules.
    const ok = await s.patch<User>(`/api/v1/users/${target.id}`, { name: 'Renamed' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Renamed', phone: '138****1234' });
    expect(ok.body).not.toHaveProperty('email');
    expect((await ws.admin.get<User>(`/api/v1/users/${target.id}`)).body).toMatchObject({ name: 'Renamed', phone: '13812341234', departmentId: null });
  });

  it('a field restricted by only one of two roles is not restricted', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const target = await createUser(t.app, ws.admin, { phone: '13812341234' });
    const restricted = await createRole(ws.admin, viewEdit, phoneMaskedEmailHidden);
    const open = await createRole(ws.admin, [{ entity: 'user', action: 'view', scope: 'own' }]);
    const viewer = await createUser(t.app, ws.admin, { roleIds: [restricted, open] });
    const got = await (await viewer.client()).get<User>(`/api/v1/users/${target.id}`);
    expect(got.body).toMatchObject({ phone: '13812341234', email: target.email });
  });

  it('a second role that grants nothing on users does not lift their field rules', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const target = await createUser(t.app, ws.admin, { phone: '13812341234' });
    const restricted = await createRole(ws.admin, viewEdit, phoneMaskedEmailHidden);
    const departmentsOnly = await createRole(ws.admin, [{ entity: 'department', action: 'view' }]);
    const viewer = await createUser(t.app, ws.admin, { roleIds: [restricted, departmentsOnly] });
    const session = await viewer.client();
    const got = await session.get<User>(`/api/v1/users/${target.id}`);
    expect(got.body.phone).toBe('138****1234');
    expect(got.body).not.toHaveProperty('email');
    expectProblem(await session.patch(`/api/v1/users/${target.id}`, { phone: '13900000000' }), 403, 'field_forbidden');
    const me = await session.get<{ permissions: { fields: unknown } }>('/api/v1/auth/me');
    expect(me.body.permissions.fields).toEqual({ user: { phone: { access: 'read', masked: true }, email: { access: 'hidden', masked: false } } });
  });

  it('hides department, manager and roles when their rules say hidden', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const dept = await createDepartment(ws.admin, 'Secret dept');
    const target = await createUser(t.app, ws.admin, { departmentId: dept, managerId: ws.adminId, roleIds: [ws.roles.sales ?? ''] });
    const viewer = await createUserWithGrants(
      t.app,
      ws.admin,
      [{ entity: 'user', action: 'view' }],
      ['department', 'manager', 'roles'].map((field) => ({ entity: 'user', field, access: 'hidden' as const })),
    );
    const got = await viewer.session.get<User>(`/api/v1/users/${target.id}`);
    expect(Object.keys(got.body).sort()).toEqual(['createdAt', 'email', 'id', 'lastLoginAt', 'locale', 'name', 'phone', 'status', 'updatedAt', 'version']);
    // Nor can the department be probed through the list filter.
    expectProblem(await viewer.session.get(`/api/v1/users?departmentId=${dept}`), 403, 'field_forbidden');
  });

  it('does not let a search reveal hidden or masked values', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const target = await createUser(t.app, ws.admin, { name: 'Search Target', phone: '13812345678', email: uniqueEmail('secret-mailbox') });
    const viewer = await createUserWithGrants(t.app, ws.admin, viewEdit, phoneMaskedEmailHidden);
    const ids = async (q: string) =>
      (await viewer.session.get<{ data: User[] }>(`/api/v1/users?q=${encodeURIComponent(q)}`)).body.data.map((u) => u.id);
    expect(await ids('Search Target')).toEqual([target.id]);
    expect(await ids('secret-mailbox')).toEqual([]);
    expect(await ids('12345678')).toEqual([]);
    // The admin can search them.
    expect((await ws.admin.get<{ data: User[] }>('/api/v1/users?q=secret-mailbox')).body.data.map((u) => u.id)).toEqual([target.id]);
    expect((await ws.admin.get<{ data: User[] }>('/api/v1/users?q=12345678')).body.data.map((u) => u.id)).toEqual([target.id]);
  });

  it('a creator without edit rights on a field cannot set it on create', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const creator = await createUserWithGrants(
      t.app,
      ws.admin,
      [
        { entity: 'user', action: 'view' },
        { entity: 'user', action: 'create' },
      ],
      [
        { entity: 'user', field: 'phone', access: 'read' },
        { entity: 'user', field: 'roles', access: 'read' },
      ],
    );
    const body = { name: 'New', email: uniqueEmail(), password: testPassword };
    expectProblem(await creator.session.post('/api/v1/users', { ...body, phone: '13800000000' }), 403, 'field_forbidden');
    expectProblem(await creator.session.post('/api/v1/users', { ...body, roleIds: [ws.roles.admin] }), 403, 'field_forbidden');
    // Leaving read-only fields empty (null, no roles: the defaults) is allowed.
    const created = await creator.session.post<User>('/api/v1/users', { ...body, phone: null, roleIds: [] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ phone: null, roleIds: [] });
  });
});
