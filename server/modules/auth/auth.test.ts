import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { anonymous, Client, createTestApp, type Response, signIn, type TestApp, testPassword, uniqueEmail } from '../../testing/test-app';

interface LoginAnswer {
  user: { id: string; email: string; lastLoginAt: string | null };
  csrfToken: string;
}

function login(t: TestApp, email: string, password: string, cookie?: string): Promise<Response<LoginAnswer>> {
  return anonymous(t.app).post<LoginAnswer>('/api/v1/auth/login', { email, password }, cookie ? { cookie } : {});
}

function clientFrom(t: TestApp, res: Response<LoginAnswer>): Client {
  const session = res.raw.cookies.find((c) => c.name === 'haoke_session');
  return new Client(t.app, { cookie: `haoke_session=${session?.value ?? ''}`, csrfToken: res.body.csrfToken });
}

describe('auth: sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in with the right password and sets the session and CSRF cookies', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin, { name: 'Li Lei' });
    const res = await login(t, user.email.toUpperCase(), testPassword);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, email: user.email, name: 'Li Lei', status: 'active' });
    expect(res.body.user.lastLoginAt).toBe(t.clock.now.toISOString());
    expect(typeof res.body.csrfToken).toBe('string');

    const session = res.raw.cookies.find((c) => c.name === 'haoke_session');
    const csrf = res.raw.cookies.find((c) => c.name === 'haoke_csrf');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session?.value.length).toBeGreaterThan(30);
    expect(csrf?.httpOnly).not.toBe(true);
    expect(csrf).toMatchObject({ sameSite: 'Lax', value: res.body.csrfToken });

    const me = await clientFrom(t, res).get<{ user: { id: string } }>('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(user.id);
  });

  it('answers 401 invalid_credentials for a wrong password or an unknown email, and audits the failure', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    expectProblem(await login(t, user.email, 'Wrong-password-123'), 401, 'invalid_credentials');
    expectProblem(await login(t, uniqueEmail('nobody'), testPassword), 401, 'invalid_credentials');
    const failures = await ws.admin.get<{ data: { targetId: string; ip: string | null; detail: { reason: string } }[] }>(
      '/api/v1/audit-log?action=auth.login_failed',
    );
    expect(failures.body.data).toEqual([expect.objectContaining({ targetId: user.id, ip: '127.0.0.1', detail: { reason: 'wrong_password' } })]);
  });

  it('rejects malformed bodies with 400', async () => {
    expectProblem(await anonymous(t.app).post('/api/v1/auth/login', { email: 'x', password: 'y' }), 400, 'validation_failed');
    expectProblem(await anonymous(t.app).post('/api/v1/auth/login', { email: uniqueEmail() }), 400, 'validation_failed');
    expectProblem(await anonymous(t.app).post('/api/v1/auth/login', '{not json', { 'content-type': 'application/json' }), 400, 'validation_failed');
  });

  it('does not let a deactivated user sign in', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    expect((await ws.admin.post(`/api/v1/users/${user.id}/deactivate`)).status).toBe(200);
    expectProblem(await login(t, user.email, testPassword), 401, 'invalid_credentials');
    expect((await ws.admin.post(`/api/v1/users/${user.id}/activate`)).status).toBe(200);
    expect((await login(t, user.email, testPassword)).status).toBe(200);
  });

  it('locks the account after 5 failures (429 account_locked with Retry-After) and unlocks after 15 minutes', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    for (let i = 0; i < 5; i += 1) {
      expectProblem(await login(t, user.email, `Wrong-password-${i}`), 401, 'invalid_credentials');
    }
    // Locked: even the right password is refused now.
    const locked = await login(t, user.email, testPassword);
    expectProblem(locked, 429, 'account_locked');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    t.clock.advance(10 * 60_000);
    expectProblem(await login(t, user.email, testPassword), 429, 'account_locked');
    t.clock.advance(5 * 60_000 + 1000);
    expect((await login(t, user.email, testPassword)).status).toBe(200);

    // A success resets the counter: four more failures do not lock again.
    for (let i = 0; i < 4; i += 1) {
      expectProblem(await login(t, user.email, `Wrong-password-${i}`), 401, 'invalid_credentials');
    }
    expect((await login(t, user.email, testPassword)).status).toBe(200);
  });

  it('counts failures sent in parallel: a burst of guesses locks the account too', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => login(t, user.email, `Parallel-guess-${i}`)));
    expect(burst.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    expectProblem(await login(t, user.email, testPassword), 429, 'account_locked');
  });

  it('rotates the session: signing in again with the old cookie ends the old session', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const first = await login(t, user.email, testPassword);
    const oldClient = clientFrom(t, first);
    const oldCookie = oldClient.auth.cookie ?? '';
    const second = await login(t, user.email, testPassword, oldCookie);
    expect(second.status).toBe(200);
    const newClient = clientFrom(t, second);
    expect(newClient.auth.cookie).not.toBe(oldCookie);
    expectProblem(await oldClient.get('/api/v1/auth/me'), 401, 'unauthenticated');
    expect((await newClient.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('logout ends the session and clears the cookies', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const client = await user.client();
    const other = await user.client();
    const out = await client.post('/api/v1/auth/logout');
    expect(out.status).toBe(204);
    const cleared = out.raw.cookies.find((c) => c.name === 'haoke_session');
    expect(cleared?.value).toBe('');
    expectProblem(await client.get('/api/v1/auth/me'), 401, 'unauthenticated');
    // Only this session ended.
    expect((await other.get('/api/v1/auth/me')).status).toBe(200);
    expectProblem(await anonymous(t.app).post('/api/v1/auth/logout'), 401, 'unauthenticated');
  });
});

describe('auth: session timeouts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ sessionIdleMinutes: 30, sessionAbsoluteHours: 2 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('ends a session idle for longer than sessionIdleMinutes', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const client = await user.client();
    t.clock.advance(29 * 60_000);
    // Activity keeps the session alive…
    expect((await client.get('/api/v1/auth/me')).status).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await client.get('/api/v1/auth/me')).status).toBe(200);
    // …and 31 idle minutes end it.
    t.clock.advance(31 * 60_000);
    expectProblem(await client.get('/api/v1/auth/me'), 401, 'unauthenticated');
  });

  it('ends a session after sessionAbsoluteHours however active it is', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const client = await user.client();
    for (let minutes = 20; minutes < 120; minutes += 20) {
      t.clock.advance(20 * 60_000);
      expect((await client.get('/api/v1/auth/me')).status, `after ${minutes} minutes`).toBe(200);
    }
    t.clock.advance(21 * 60_000);
    expectProblem(await client.get('/api/v1/auth/me'), 401, 'unauthenticated');
    // Signing in again works.
    expect((await signIn(t.app, user.email, testPassword).then((c) => c.get('/api/v1/auth/me'))).status).toBe(200);
  });
});
