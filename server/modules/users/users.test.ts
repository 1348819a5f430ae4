import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createDepartment, createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { anonymous, createTestApp, signIn, type TestApp, testPassword, uniqueEmail } from '../../testing/test-app';

interface User {
  id: string;
  name: string;
  email?: string;
  phone?: string | null;
  departmentId?: string | null;
  departmentName?: string | null;
  managerId?: string | null;
  managerName?: string | null;
  roleIds?: string[];
  roleNames?: string[];
  status: 'active' | 'inactive';
  locale: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}
interface Page {
  data: User[];
  nextCursor: string | null;
}

const userKeys = [
  'createdAt',
  'departmentId',
  'departmentName',
  'email',
  'id',
  'lastLoginAt',
  'locale',
  'managerId',
  'managerName',
  'name',
  'phone',
  'roleIds',
  'roleNames',
  'status',
  'updatedAt',
  'version',
];

describe('users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates, reads and updates a user with the full contract shape', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const dept = await createDepartment(ws.admin, 'Sales');
    const email = uniqueEmail('zhang');
    const created = await ws.admin.post<User>('/api/v1/users', {
      name: 'Zhang San',
      email: email.toUpperCase(),
      phone: '13812341234',
      departmentId: dept,
      managerId: ws.adminId,
      roleIds: [ws.roles.sales ?? ''],
      password: testPassword,
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/users/${created.body.id}`);
    expect(Object.keys(created.body).sort()).toEqual(userKeys);
    expect(created.body).toMatchObject({
      name: 'Zhang San',
      email,
      phone: '13812341234',
      departmentId: dept,
      departmentName: 'Sales',
      managerId: ws.adminId,
      managerName: 'Admin',
      roleIds: [ws.roles.sales],
      roleNames: ['Sales rep'],
      status: 'active',
      locale: null,
      lastLoginAt: null,
      version: 1,
    });

    const got = await ws.admin.get<User>(`/api/v1/users/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const patched = await ws.admin.patch<User>(`/api/v1/users/${created.body.id}`, {
      name: 'Zhang San (East)',
      phone: null,
      departmentId: null,
      roleIds: [ws.roles.sales ?? '', ws.roles.marketer ?? ''],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Zhang San (East)', phone: null, departmentId: null, departmentName: null, version: 2 });
    expect(patched.body.roleIds?.sort()).toEqual([ws.roles.sales, ws.roles.marketer].sort());

    const audit = await ws.admin.get<{ data: { action: string; detail: { changes: Record<string, unknown> } }[] }>(
      `/api/v1/audit-log?action=user.updated`,
    );
    expect(Object.keys(audit.body.data[0]?.detail.changes ?? {}).sort()).toEqual(['departmentId', 'name', 'phone', 'roleIds']);
  });

  it('rejects invalid input with 400 validation_failed', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const base = { name: 'X', email: uniqueEmail(), password: testPassword, roleIds: [] };
    const bad = [
      { ...base, email: 'nope' },
      { ...base, name: '' },
      { ...base, phone: 'not a phone' },
      { ...base, roleIds: ['not-an-id'] },
      { ...base, extra: 1 },
      { name: 'No email', password: testPassword },
      { ...base, departmentId: await createDepartment(other.admin, 'Elsewhere') },
      { ...base, roleIds: [other.roles.sales] },
      { ...base, managerId: other.adminId },
    ];
    for (const body of bad) {
      expectProblem(await ws.admin.post('/api/v1/users', body), 400, 'validation_failed');
    }
    const user = await createUser(t.app, ws.admin);
    expectProblem(await ws.admin.patch(`/api/v1/users/${user.id}`, {}), 400, 'validation_failed');
    expectProblem(await ws.admin.patch(`/api/v1/users/${user.id}`, { status: 'inactive' }), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/users/not-an-id'), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/users?limit=0'), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/users?limit=201'), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/users?status=gone'), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/users?sort=name'), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/users?cursor=garbage'), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/users', { ...base, password: 'short' }), 422, 'password_policy');
  });

  it('answers 412 version_mismatch for a stale If-Match and applies a current one', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const first = await ws.admin.patch<User>(`/api/v1/users/${user.id}`, { name: 'V2' }, { 'if-match': '1' });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    expectProblem(await ws.admin.patch(`/api/v1/users/${user.id}`, { name: 'Stale' }, { 'if-match': '1' }), 412, 'version_mismatch');
    expect((await ws.admin.patch<User>(`/api/v1/users/${user.id}`, { name: 'V3' }, { 'if-match': '"2"' })).body.version).toBe(3);
    expectProblem(await ws.admin.patch(`/api/v1/users/${user.id}`, { name: 'X' }, { 'if-match': 'abc' }), 400, 'validation_failed');
    expect((await ws.admin.get<User>(`/api/v1/users/${user.id}`)).body.name).toBe('V3');
  });

  it('answers 409 email_taken for a duplicate email, on create and on update', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const a = await createUser(t.app, ws.admin);
    const b = await createUser(t.app, ws.admin);
    expectProblem(await ws.admin.post('/api/v1/users', { name: 'Dup', email: a.email.toUpperCase(), password: testPassword }), 409, 'email_taken');
    expectProblem(await ws.admin.patch(`/api/v1/users/${b.id}`, { email: a.email }), 409, 'email_taken');
  });

  it('refuses a manager chain that loops (422 manager_cycle)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const a = await createUser(t.app, ws.admin);
    const b = await createUser(t.app, ws.admin, { managerId: a.id });
    const c = await createUser(t.app, ws.admin, { managerId: b.id });
    expectProblem(await ws.admin.patch(`/api/v1/users/${a.id}`, { managerId: a.id }), 422, 'manager_cycle');
    expectProblem(await ws.admin.patch(`/api/v1/users/${a.id}`, { managerId: c.id }), 422, 'manager_cycle');
    expect((await ws.admin.patch(`/api/v1/users/${c.id}`, { managerId: a.id })).status).toBe(200);
  });

  it('deactivates and re-activates users; self and the last admin are protected', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const session = await user.client();
    const off = await ws.admin.post<User>(`/api/v1/users/${user.id}/deactivate`);
    expect(off.status).toBe(200);
    expect(off.body.status).toBe('inactive');
    // Deactivation ends the user's sessions at once.
    expectProblem(await session.get('/api/v1/auth/me'), 401, 'unauthenticated');
    expect((await ws.admin.get<Page>('/api/v1/users?status=inactive')).body.data.map((u) => u.id)).toEqual([user.id]);
    const on = await ws.admin.post<User>(`/api/v1/users/${user.id}/activate`);
    expect(on.body.status).toBe('active');

    expectProblem(await ws.admin.post(`/api/v1/users/${ws.adminId}/deactivate`), 422, 'self_action');

    // Someone allowed to manage users cannot touch a user who holds more power than they do.
    const manager = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'user', action: 'view' },
      { entity: 'user', action: 'edit' },
      { entity: 'user', action: 'delete' },
    ]);
    expectProblem(await manager.session.post(`/api/v1/users/${ws.adminId}/deactivate`), 403, 'forbidden');
    expectProblem(await manager.session.patch(`/api/v1/users/${ws.adminId}`, { roleIds: [] }), 403, 'forbidden');
    // The last admin cannot step down.
    expectProblem(await ws.admin.patch(`/api/v1/users/${ws.adminId}`, { roleIds: [ws.roles.sales ?? ''] }), 422, 'last_admin');

    // With a second admin, the first may step down.
    await createUser(t.app, ws.admin, { roleIds: [ws.roles.admin ?? ''] });
    expect((await ws.admin.patch(`/api/v1/users/${ws.adminId}`, { roleIds: [ws.roles.sales ?? ''] })).status).toBe(200);
  });

  it('resets a password: the user is signed out and the new password works', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const session = await user.client();
    expectProblem(await ws.admin.post(`/api/v1/users/${user.id}/reset-password`, { password: 'short' }), 422, 'password_policy');
    expectProblem(await ws.admin.post(`/api/v1/users/${user.id}/reset-password`, {}), 400, 'validation_failed');
    const res = await ws.admin.post(`/api/v1/users/${user.id}/reset-password`, { password: 'Reset-password-77' });
    expect(res.status).toBe(204);
    expectProblem(await session.get('/api/v1/auth/me'), 401, 'unauthenticated');
    await expect(signIn(t.app, user.email, testPassword)).rejects.toThrow(/401/);
    expect((await signIn(t.app, user.email, 'Reset-password-77').then((c) => c.get('/api/v1/auth/me'))).status).toBe(200);
  });

  it('lists with search q, status and department filters', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const dept = await createDepartment(ws.admin, 'Support');
    const alice = await createUser(t.app, ws.admin, { name: 'Alice Wang', phone: '13900001111' });
    const bob = await createUser(t.app, ws.admin, { name: 'Bob 100% Li', departmentId: dept, email: uniqueEmail('bob_li') });
    const carol = await createUser(t.app, ws.admin, { name: 'Carol Wang' });
    await ws.admin.post(`/api/v1/users/${carol.id}/deactivate`);
    const ids = async (query: string) => (await ws.admin.get<Page>(`/api/v1/users?${query}`)).body.data.map((u) => u.id);

    expect(await ids('q=wang')).toEqual([alice.id, carol.id]);
    expect(await ids('q=WANG&status=active')).toEqual([alice.id]);
    expect(await ids('q=0000111')).toEqual([alice.id]);
    expect(await ids(`q=${encodeURIComponent(bob.email.slice(0, 8))}`)).toEqual([bob.id]);
    expect(await ids('q=100%25')).toEqual([bob.id]);
    // LIKE wildcards in q are literal characters.
    expect(await ids('q=_')).toEqual([bob.id]);
    expect(await ids('q=1%25%25')).toEqual([]);
    expect(await ids('q=nobody-here')).toEqual([]);
    expect(await ids(`departmentId=${dept}`)).toEqual([bob.id]);
    expect(await ids('status=inactive')).toEqual([carol.id]);
    expect((await ids('status=active')).sort()).toEqual([ws.adminId, alice.id, bob.id].sort());
  });

  it('walks keyset pages with nextCursor without duplicates or gaps', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const created = [ws.adminId];
    for (let i = 0; i < 11; i += 1) {
      // Some users share a creation time, some do not: the cursor must handle both.
      if (i % 4 === 0) {
        t.clock.advance(1000);
      }
      created.push((await createUser(t.app, ws.admin, { name: `Pager ${i}` })).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/users?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await ws.admin.get<Page>(url);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(5);
      seen.push(...res.body.data.map((u) => u.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(created);
    const exact = await ws.admin.get<Page>('/api/v1/users?limit=12');
    expect(exact.body.data).toHaveLength(12);
    expect(exact.body.nextCursor).toBeNull();
  });

  it('answers 403 for a role without the action and 401 without credentials', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const target = await createUser(t.app, ws.admin);
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'user', action: 'view' }]);
    const nobody = await createUserWithGrants(t.app, ws.admin, [{ entity: 'department', action: 'view' }]);
    const body = { name: 'X', email: uniqueEmail(), password: testPassword };
    expectProblem(await nobody.session.get('/api/v1/users'), 403, 'forbidden');
    expectProblem(await nobody.session.get(`/api/v1/users/${target.id}`), 403, 'forbidden');
    expect((await viewer.session.get(`/api/v1/users/${target.id}`)).status).toBe(200);
    expectProblem(await viewer.session.post('/api/v1/users', body), 403, 'forbidden');
    expectProblem(await viewer.session.patch(`/api/v1/users/${target.id}`, { name: 'Y' }), 403, 'forbidden');
    expectProblem(await viewer.session.post(`/api/v1/users/${target.id}/deactivate`), 403, 'forbidden');
    expectProblem(await viewer.session.post(`/api/v1/users/${target.id}/activate`), 403, 'forbidden');
    expectProblem(await viewer.session.post(`/api/v1/users/${target.id}/reset-password`, { password: 'Reset-password-77' }), 403, 'forbidden');

    const anon = anonymous(t.app);
    expectProblem(await anon.get('/api/v1/users'), 401, 'unauthenticated');
    expectProblem(await anon.get(`/api/v1/users/${target.id}`), 401, 'unauthenticated');
    expectProblem(await anon.post('/api/v1/users', body), 401, 'unauthenticated');
    expectProblem(await anon.patch(`/api/v1/users/${target.id}`, { name: 'Y' }), 401, 'unauthenticated');
    expectProblem(await anon.post(`/api/v1/users/${target.id}/deactivate`), 401, 'unauthenticated');
    expectProblem(await anon.post(`/api/v1/users/${target.id}/activate`), 401, 'unauthenticated');
    expectProblem(await anon.post(`/api/v1/users/${target.id}/reset-password`, { password: 'Reset-password-77' }), 401, 'unauthenticated');
  });

  it("keeps workspaces apart: another workspace's admin gets 404 and never sees the users", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin, { name: 'Hidden Person' });
    const o = other.admin;
    for (const id of [user.id, ws.adminId]) {
      expectProblem(await o.get(`/api/v1/users/${id}`), 404, 'not_found');
      expectProblem(await o.patch(`/api/v1/users/${id}`, { name: 'Hijacked' }), 404, 'not_found');
      expectProblem(await o.post(`/api/v1/users/${id}/deactivate`), 404, 'not_found');
      expectProblem(await o.post(`/api/v1/users/${id}/activate`), 404, 'not_found');
      expectProblem(await o.post(`/api/v1/users/${id}/reset-password`, { password: 'Hijack-password-1' }), 404, 'not_found');
    }
    const list = await o.get<Page>('/api/v1/users?q=Hidden');
    expect(list.body.data).toEqual([]);
    expect((await o.get<Page>('/api/v1/users')).body.data.map((u) => u.id)).toEqual([other.adminId]);
    // Untouched.
    expect((await ws.admin.get<User>(`/api/v1/users/${user.id}`)).body).toMatchObject({ name: 'Hidden Person', status: 'active', version: 1 });
    expect((await signIn(t.app, user.email, testPassword)).auth.cookie).toBeTruthy();
  });
});
