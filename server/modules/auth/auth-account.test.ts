import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { anonymous, Client, createTestApp, signIn, type TestApp, testPassword } from '../../testing/test-app';

interface Me {
  user: { id: string; name: string; phone: string | null; locale: string | null; email: string };
  workspace: { id: string; name: string; currency: string; locale: string };
  permissions: { actions: Record<string, string>; fields: Record<string, Record<string, { access: string; masked: boolean }>> };
  csrfToken: string | null;
}

describe('auth: own account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /auth/me returns the user, workspace, effective permissions and CSRF token', async () => {
    const ws = await createWorkspaceWithAdmin(t, 'Me Co');
    const member = await createUserWithGrants(
      t.app,
      ws.admin,
      [
        { entity: 'user', action: 'view', scope: 'department' },
        { entity: 'department', action: 'view' },
      ],
      [{ entity: 'user', field: 'phone', access: 'read', masked: true }],
      { phone: '13812341234' },
    );
    const me = await member.session.get<Me>('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: member.id, email: member.email, phone: '13812341234' });
    expect(me.body.workspace).toMatchObject({ id: ws.workspaceId, name: 'Me Co', currency: 'CNY' });
    expect(me.body.permissions).toEqual({
      actions: { 'user:view': 'department', 'department:view': 'all' },
      fields: { user: { phone: { access: 'read', masked: true } } },
    });
    expect(me.body.csrfToken).toBe(member.session.auth.csrfToken);

    const adminMe = await ws.admin.get<Me>('/api/v1/auth/me');
    expect(adminMe.body.permissions.actions).toMatchObject({ 'user:view': 'all', 'role:edit': 'all', 'apiKey:create': 'all', 'auditLog:view': 'all' });
    expect(adminMe.body.permissions.fields).toEqual({});
  });

  it('GET /auth/me and the catalog need a session', async () => {
    expectProblem(await anonymous(t.app).get('/api/v1/auth/me'), 401, 'unauthenticated');
    expectProblem(await anonymous(t.app).get('/api/v1/permissions/catalog'), 401, 'unauthenticated');
    expectProblem(await new Client(t.app, { cookie: 'haoke_session=forged-token-value' }).get('/api/v1/auth/me'), 401, 'unauthenticated');
  });

  it('GET /permissions/catalog lists entities with actions, scoping and maskable fields', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const res = await (await user.client()).get<{ scopes: string[]; entities: { key: string; actions: string[]; scoped: boolean; fields: { key: string; maskable: boolean }[] }[] }>(
      '/api/v1/permissions/catalog',
    );
    expect(res.status).toBe(200);
    expect(res.body.scopes).toEqual(['own', 'subordinates', 'department', 'departmentTree', 'all']);
    const userEntity = res.body.entities.find((e) => e.key === 'user');
    expect(userEntity).toMatchObject({ scoped: true, actions: ['view', 'create', 'edit', 'delete'] });
    expect(userEntity?.fields).toContainEqual({ key: 'phone', maskable: true });
    expect(userEntity?.fields).toContainEqual({ key: 'department', maskable: false });
    // The name is never subject to field rules.
    expect(userEntity?.fields.map((f) => f.key)).not.toContain('name');
    expect(res.body.entities.find((e) => e.key === 'auditLog')).toMatchObject({ scoped: false, actions: ['view'] });
  });

  it('PATCH /auth/me updates name, phone and a remembered locale', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const client = await user.client();
    const res = await client.patch<{ user: Me['user'] }>('/api/v1/auth/me', { name: 'Han Meimei', phone: '+86 138 0000 0000', locale: 'zh-CN' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: 'Han Meimei', phone: '+86 138 0000 0000', locale: 'zh-CN' });

    // Persisted: a new session sees it, and error titles follow the stored locale.
    const again = await user.client();
    expect((await again.get<Me>('/api/v1/auth/me')).body.user.locale).toBe('zh-CN');
    const problem = await again.get<{ title: string }>('/api/v1/roles');
    expectProblem(problem, 403, 'forbidden');
    expect(problem.body.title).toBe('没有权限执行此操作');

    const reset = await again.patch<{ user: Me['user'] }>('/api/v1/auth/me', { locale: null, phone: null });
    expect(reset.body.user).toMatchObject({ locale: null, phone: null });
  });

  it('PATCH /auth/me with If-Match refuses a profile an admin changed meanwhile (412) and keeps their change', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin, { name: 'Li Lei' });
    const client = await user.client();
    const loaded = (await client.get<{ user: Me['user'] & { version: number } }>('/api/v1/auth/me')).body.user;
    expect((await ws.admin.patch(`/api/v1/users/${user.id}`, { name: 'Li Lei (Sales)' })).status).toBe(200);
    expectProblem(await client.patch('/api/v1/auth/me', { name: 'Lei Li' }, { 'if-match': `"${loaded.version}"` }), 412, 'version_mismatch');
    const current = (await client.get<{ user: Me['user'] & { version: number } }>('/api/v1/auth/me')).body.user;
    expect(current).toMatchObject({ name: 'Li Lei (Sales)', version: loaded.version + 1 });
    const saved = await client.patch<{ user: { name: string; version: number } }>('/api/v1/auth/me', { name: 'Lei Li' }, { 'if-match': `"${current.version}"` });
    expect(saved.body.user).toMatchObject({ name: 'Lei Li', version: current.version + 1 });
  });

  it('PATCH /auth/me validates its body', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    for (const body of [{}, { locale: 'fr' }, { phone: 'call me' }, { name: '' }, { email: 'x@example.com' }]) {
      expectProblem(await ws.admin.patch('/api/v1/auth/me', body), 400, 'validation_failed');
    }
    expectProblem(await anonymous(t.app).patch('/api/v1/auth/me', { name: 'X' }), 401, 'unauthenticated');
  });

  it('POST /auth/password: wrong current password → 400 wrong_password; policy → 422', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const client = await user.client();
    expectProblem(await client.post('/api/v1/auth/password', { currentPassword: 'Not-my-password-1', newPassword: 'Another-password-1' }), 400, 'wrong_password');
    expectProblem(await client.post('/api/v1/auth/password', { currentPassword: testPassword, newPassword: 'short' }), 422, 'password_policy');
    expectProblem(await client.post('/api/v1/auth/password', { currentPassword: testPassword, newPassword: user.email }), 422, 'password_policy');
    expectProblem(await client.post('/api/v1/auth/password', { newPassword: 'Another-password-1' }), 400, 'validation_failed');
    // Nothing changed.
    expect((await signIn(t.app, user.email, testPassword).then((c) => c.get('/api/v1/auth/me'))).status).toBe(200);
  });

  it('POST /auth/password changes the password and signs out the other sessions but keeps this one', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const client = await user.client();
    const other = await user.client();
    const res = await client.post('/api/v1/auth/password', { currentPassword: testPassword, newPassword: 'Brand-new-password-9' });
    expect(res.status).toBe(204);
    expect((await client.get('/api/v1/auth/me')).status).toBe(200);
    expectProblem(await other.get('/api/v1/auth/me'), 401, 'unauthenticated');
    await expect(signIn(t.app, user.email, testPassword)).rejects.toThrow(/401/);
    expect((await signIn(t.app, user.email, 'Brand-new-password-9').then((c) => c.get('/api/v1/auth/me'))).status).toBe(200);
    const audit = await ws.admin.get<{ data: { targetId: string }[] }>(`/api/v1/audit-log?action=auth.password_changed&userId=${user.id}`);
    expect(audit.body.data).toHaveLength(1);
  });
});

describe('auth: CSRF and language', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses cookie-authenticated writes without a valid X-CSRF-Token (403 csrf_failed)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const noToken = new Client(t.app, { cookie: ws.admin.auth.cookie ?? '' });
    const body = { name: 'Sneaky', permissions: [] };
    expectProblem(await noToken.post('/api/v1/roles', body), 403, 'csrf_failed');
    expectProblem(await ws.admin.post('/api/v1/roles', body, { 'x-csrf-token': 'not-the-token' }), 403, 'csrf_failed');
    expectProblem(await noToken.patch('/api/v1/auth/me', { name: 'X' }), 403, 'csrf_failed');
    expectProblem(await noToken.post('/api/v1/auth/logout'), 403, 'csrf_failed');
    // Reads need no token, and nothing was written.
    const roles = await noToken.get<{ data: { name: string }[] }>('/api/v1/roles');
    expect(roles.status).toBe(200);
    expect(roles.body.data.map((r) => r.name)).not.toContain('Sneaky');
    // The token from the haoke_csrf cookie / login works.
    expect((await ws.admin.post('/api/v1/roles', body)).status).toBe(201);
  });

  it('needs no CSRF token with a bearer API key', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const key = await ws.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'CI', roleId: ws.roles.admin });
    const bearer = new Client(t.app, { bearer: key.body.secret });
    const res = await bearer.post<{ name: string }>('/api/v1/departments', { name: 'Via API' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Via API');
  });

  it('translates problem titles with Accept-Language: zh-CN', async () => {
    const zh = await anonymous(t.app).get<{ title: string; code: string }>('/api/v1/users', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expectProblem(zh, 401, 'unauthenticated');
    expect(zh.body.title).toBe('请先登录');
    const en = await anonymous(t.app).get<{ title: string }>('/api/v1/users', { 'accept-language': 'en-US' });
    expect(en.body.title).toBe('Sign-in required');
    const login = await anonymous(t.app).post<{ title: string }>('/api/v1/auth/login', { email: 'nobody@example.com', password: 'x' }, { 'accept-language': 'zh-CN' });
    expectProblem(login, 401, 'invalid_credentials');
    expect(login.body.title).toBe('邮箱或密码错误');
  });

  it('writes problem details and field messages in Chinese for zh-CN callers, English otherwise', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    // The user's own language wins over the header: this admin chose Chinese.
    expect((await ws.admin.patch('/api/v1/auth/me', { locale: 'zh-CN' })).status).toBe(200);
    type Problem = { detail?: string; errors?: { path: string; message: string }[] };
    const zh = await ws.admin.post<Problem>('/api/v1/customers', { name: '好客', level: 'ZZZ' }, { 'accept-language': 'zh-CN' });
    expectProblem(zh, 400, 'validation_failed');
    expect(zh.body.errors).toEqual([{ path: 'level', message: '不是已配置的选项' }]);
    const en = await anonymous(t.app).post<Problem>('/api/v1/auth/login', { email: 'not-an-email' }, { 'accept-language': 'en' });
    expectProblem(en, 400, 'validation_failed');
    expect(en.body.detail).toMatch(/field\(s\) are invalid/);
    const zhAnonymous = await anonymous(t.app).post<Problem>('/api/v1/auth/login', { email: 'not-an-email' }, { 'accept-language': 'zh-CN' });
    expect(zhAnonymous.body.detail).toMatch(/^\d+ 个字段有误$/);
    const id = String((await ws.admin.post('/api/v1/customers', { name: '锁定的客户' })).body.id);
    await ws.admin.post(`/api/v1/customers/${id}/lock`);
    const locked = await ws.admin.delete<Problem>(`/api/v1/customers/${id}`, { 'accept-language': 'zh-CN' });
    expectProblem(locked, 422, 'business_rule');
    expect(locked.body.detail).toBe('已锁定的客户不能删除，请先解锁');
    const listed = await ws.admin.get<Problem>('/api/v1/customers?sort=nope', { 'accept-language': 'zh-CN' });
    expect(listed.body.errors).toEqual([{ path: 'sort', message: '不能按 nope 排序' }]);
  });
});
