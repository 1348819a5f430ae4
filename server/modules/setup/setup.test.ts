import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRoleKeys } from '../../../common/permissions';
import { expectProblem } from '../../testing/expect-problem';
import { anonymous, Client, createTestApp, type Json, type TestApp, uniqueEmail } from '../../testing/test-app';

interface SetupAnswer {
  user: Json & { id: string; email: string; roleIds: string[] };
  workspace: Json & { id: string; name: string };
  csrfToken: string;
}

// Setup is about an empty database, so every test gets its own app (and database).
describe('setup', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  function setupBody(overrides: Json = {}): Json {
    return { workspaceName: 'Haoke Trading', name: 'First Admin', email: uniqueEmail('first'), password: 'A-long-password-1', locale: 'en', ...overrides };
  }

  it('says setup is needed on an empty database, and not after it', async () => {
    const before = await anonymous(t.app).get('/api/v1/setup');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ needsSetup: true });

    expect((await anonymous(t.app).post('/api/v1/setup', setupBody())).status).toBe(201);

    const after = await anonymous(t.app).get('/api/v1/setup');
    expect(after.body).toEqual({ needsSetup: false });
  });

  it('creates the workspace, its admin and the five seeded roles, and signs the admin in', async () => {
    const body = setupBody({ email: 'First.Admin@Example.com' });
    const res = await anonymous(t.app).post<SetupAnswer>('/api/v1/setup', body);
    expect(res.status).toBe(201);
    expect(res.body.workspace).toMatchObject({ name: 'Haoke Trading', currency: 'CNY', locale: 'en' });
    expect(res.body.user).toMatchObject({ name: 'First Admin', email: 'first.admin@example.com', status: 'active', locale: 'en' });
    expect(res.body.user.roleIds).toHaveLength(1);
    expect(typeof res.body.csrfToken).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);

    const session = res.raw.cookies.find((c) => c.name === 'haoke_session');
    expect(session?.httpOnly).toBe(true);
    const admin = new Client(t.app, { cookie: `haoke_session=${session?.value ?? ''}`, csrfToken: res.body.csrfToken });

    const me = await admin.get<{ user: { id: string }; workspace: { id: string }; permissions: { actions: Json } }>('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(res.body.user.id);
    expect(me.body.workspace.id).toBe(res.body.workspace.id);
    expect(me.body.permissions.actions).toMatchObject({ 'user:create': 'all', 'role:edit': 'all', 'auditLog:view': 'all' });

    const roles = await admin.get<{ data: { id: string; key: string | null; isSystem: boolean; userCount: number }[] }>('/api/v1/roles');
    expect(roles.body.data.map((r) => r.key).sort()).toEqual([...seededRoleKeys].sort());
    const adminRole = roles.body.data.find((r) => r.key === 'admin');
    expect(adminRole).toMatchObject({ isSystem: true, userCount: 1, id: res.body.user.roleIds[0] });

    const audit = await admin.get<{ data: { action: string; targetId: string | null }[] }>('/api/v1/audit-log?action=setup.completed');
    expect(audit.body.data).toEqual([expect.objectContaining({ action: 'setup.completed', targetId: res.body.workspace.id })]);
  });

  it('names the seeded roles in the chosen language (Chinese by default)', async () => {
    const { locale: _locale, ...withoutLocale } = setupBody();
    const res = await anonymous(t.app).post<SetupAnswer>('/api/v1/setup', withoutLocale);
    expect(res.status).toBe(201);
    expect(res.body.workspace.locale).toBe('zh-CN');
    const session = res.raw.cookies.find((c) => c.name === 'haoke_session');
    const admin = new Client(t.app, { cookie: `haoke_session=${session?.value ?? ''}`, csrfToken: res.body.csrfToken });
    const roles = await admin.get<{ data: { name: string }[] }>('/api/v1/roles');
    expect(roles.body.data.map((r) => r.name)).toContain('管理员');
  });

  it('answers 409 setup_done once a workspace exists', async () => {
    expect((await anonymous(t.app).post('/api/v1/setup', setupBody())).status).toBe(201);
    const again = await anonymous(t.app).post('/api/v1/setup', setupBody({ workspaceName: 'Intruder Inc' }));
    expectProblem(again, 409, 'setup_done');
    const count = await t.deps.db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('lets only one of several concurrent first-run requests create a workspace', async () => {
    const answers = await Promise.all([1, 2, 3, 4].map((i) => anonymous(t.app).post('/api/v1/setup', setupBody({ workspaceName: `Racer ${i}` }))));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const r of answers.filter((a) => a.status === 409)) {
      expectProblem(r, 409, 'setup_done');
    }
    const count = await t.deps.db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('enforces the password policy with 422 password_policy', async () => {
    const short = await anonymous(t.app).post('/api/v1/setup', setupBody({ password: 'Short-1' }));
    expectProblem(short, 422, 'password_policy');
    expect((short.body as { errors: { path: string }[] }).errors[0]?.path).toBe('password');

    const email = 'owner.of.haoke@example.com';
    const sameAsEmail = await anonymous(t.app).post('/api/v1/setup', setupBody({ email, password: email.toUpperCase() }));
    expectProblem(sameAsEmail, 422, 'password_policy');

    expect((await anonymous(t.app).get('/api/v1/setup')).body).toEqual({ needsSetup: true });
  });

  it('rejects invalid input with 400 validation_failed', async () => {
    const cases: Json[] = [
      setupBody({ email: 'not-an-email' }),
      setupBody({ workspaceName: '' }),
      setupBody({ locale: 'fr' }),
      setupBody({ unexpected: true }),
      { name: 'No workspace', email: uniqueEmail(), password: 'A-long-password-1' },
    ];
    for (const body of cases) {
      const res = await anonymous(t.app).post('/api/v1/setup', body);
      expectProblem(res, 400, 'validation_failed');
    }
    const problem = (await anonymous(t.app).post<{ errors: { path: string }[] }>('/api/v1/setup', setupBody({ email: 'nope' }))).body;
    expect(problem.errors.map((e) => e.path)).toContain('body.email');
  });
});
