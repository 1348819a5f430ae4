import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDepartment, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../testing/factories';
import { problemDefect, send } from '../testing/route-walk';
import { Client, createTestApp, type Json, signIn, type TestApp, testPassword, uniqueEmail } from '../testing/test-app';

function login(t: TestApp, email: string, password: string, remoteAddress = '198.51.100.1', headers: Record<string, string> = {}) {
  return send(t.app, null, { method: 'POST', url: '/api/v1/auth/login', json: { email, password }, remoteAddress, headers });
}

function setCookies(res: LightMyRequestResponse): Record<string, string> {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return Object.fromEntries(list.map((c) => [c.split('=')[0] ?? '', c]));
}

describe('login throttling', () => {
  let t: TestApp;
  let w: TestWorkspace;
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorkspaceWithAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('locks the account after LOGIN_MAX_FAILURES wrong passwords: 429 account_locked with Retry-After, whatever the password', async () => {
    const user = await createUser(t.app, w.admin);
    const max = t.deps.config.loginMaxFailures;
    for (let i = 0; i < max; i += 1) {
      expect(problemDefect(await login(t, user.email, `Wrong-password-${i}`), { status: 401, code: 'invalid_credentials' })).toBeNull();
    }
    const locked = await login(t, user.email, 'Wrong-password-x');
    expect(problemDefect(locked, { status: 429, code: 'account_locked' })).toBeNull();
    const lockSeconds = t.deps.config.loginLockMinutes * 60;
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(lockSeconds);
    // The right password does not open a locked account either (no oracle for guessing).
    expect(problemDefect(await login(t, user.email, testPassword), { status: 429, code: 'account_locked' })).toBeNull();
    // Other accounts, even from the same address, are not affected.
    expect((await login(t, w.adminEmail, testPassword)).statusCode).toBe(200);

    t.clock.advance(lockSeconds * 1000 + 1000);
    expect((await login(t, user.email, testPassword)).statusCode).toBe(200);
    t.clock.now = new Date();
  });

  it('counts failures in a row: a successful sign-in starts the count again', async () => {
    const user = await createUser(t.app, w.admin);
    const max = t.deps.config.loginMaxFailures;
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < max - 1; i += 1) {
        expect((await login(t, user.email, 'Wrong-password-1')).statusCode).toBe(401);
      }
      expect((await login(t, user.email, testPassword)).statusCode).toBe(200);
    }
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const unknown = await login(t, uniqueEmail('nobody'), 'Wrong-password-1');
    const wrong = await login(t, w.adminEmail, 'Wrong-password-1');
    expect(problemDefect(unknown, { status: 401, code: 'invalid_credentials' })).toBeNull();
    expect(unknown.body).toBe(wrong.body);
  });
});

describe('per-address sign-in limit', () => {
  let t: TestApp;
  let w: TestWorkspace;
  beforeAll(async () => {
    t = await createTestApp({ loginIpPerMinute: 3 });
    w = await createWorkspaceWithAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the 4th sign-in within a minute from one address with 429 rate_limited and Retry-After, even with the right password', async () => {
    const ip = '203.0.113.7';
    for (let i = 0; i < 3; i += 1) {
      expect((await login(t, uniqueEmail('guess'), 'Wrong-password-1', ip)).statusCode).toBe(401);
    }
    const limited = await login(t, w.adminEmail, testPassword, ip);
    expect(problemDefect(limited, { status: 429, code: 'rate_limited' })).toBeNull();
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Without trustProxy, X-Forwarded-For is the client's word and changes nothing.
    const spoofed = await login(t, w.adminEmail, testPassword, ip, { 'x-forwarded-for': '192.0.2.99' });
    expect(problemDefect(spoofed, { status: 429, code: 'rate_limited' })).toBeNull();
    // Another address is not limited.
    expect((await login(t, w.adminEmail, testPassword, '203.0.113.8')).statusCode).toBe(200);
  });
});

describe('session cookies', () => {
  let t: TestApp;
  let w: TestWorkspace;
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorkspaceWithAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  function expectFlags(cookies: Record<string, string>, secure: boolean): void {
    const session = cookies.haoke_session ?? '';
    const csrf = cookies.haoke_csrf ?? '';
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect(session).toMatch(/; Path=\/(;|$)/);
    expect(/; Secure/i.test(session)).toBe(secure);
    // The page reads the CSRF cookie on purpose; it is no credential on its own.
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toMatch(/; SameSite=Lax/i);
    expect(/; Secure/i.test(csrf)).toBe(secure);
  }

  it('sets haoke_session HttpOnly, SameSite=Lax, Path=/ (not Secure over plain http) and a readable haoke_csrf', async () => {
    const res = await login(t, w.adminEmail, testPassword);
    expect(res.statusCode).toBe(200);
    expectFlags(setCookies(res), false);
  });

  it('adds Secure with cookieSecure, and with an https publicUrl', async () => {
    for (const overrides of [{ cookieSecure: true }, { publicUrl: 'https://crm.example.com' }]) {
      const secure = await createTestApp(overrides);
      try {
        const ws = await createWorkspaceWithAdmin(secure);
        const res = await login(secure, ws.adminEmail, testPassword);
        expect(res.statusCode).toBe(200);
        expectFlags(setCookies(res), true);
      } finally {
        await secure.close();
      }
    }
  });

  it('sets the same flags when first-run setup signs the owner in', async () => {
    const fresh = await createTestApp();
    try {
      const res = await send(fresh.app, null, {
        method: 'POST',
        url: '/api/v1/setup',
        json: { workspaceName: 'Fresh', name: 'Owner', email: uniqueEmail('owner'), password: testPassword },
      });
      expect(res.statusCode).toBe(201);
      expectFlags(setCookies(res), false);
    } finally {
      await fresh.close();
    }
  });

  it('rotates the session on sign-in and expires both cookies on sign-out', async () => {
    const first = await signIn(t.app, w.adminEmail, testPassword);
    const again = await login(t, w.adminEmail, testPassword, '198.51.100.2', { cookie: first.auth.cookie ?? '' });
    expect(again.statusCode).toBe(200);
    expect((await first.get('/api/v1/auth/me')).status).toBe(401);

    const session = await signIn(t.app, w.adminEmail, testPassword);
    const out = await send(t.app, session, { method: 'POST', url: '/api/v1/auth/logout' });
    expect(out.statusCode).toBe(204);
    const cleared = setCookies(out);
    for (const name of ['haoke_session', 'haoke_csrf']) {
      expect(cleared[name]).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    }
    expect((await session.get('/api/v1/auth/me')).status).toBe(401);
  });
});

describe('CSRF protection', () => {
  let t: TestApp;
  let w: TestWorkspace;
  let department: string;
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorkspaceWithAdmin(t);
    department = await createDepartment(w.admin, 'Keep me');
  });
  afterAll(async () => {
    await t.close();
  });

  /** The admin's cookie, with the given X-CSRF-Token header (or none). */
  function withToken(token: string | undefined): Client {
    return new Client(t.app, { cookie: w.admin.auth.cookie ?? '', ...(token === undefined ? {} : { csrfToken: token }) });
  }

  it('refuses cookie-authenticated POST, PATCH and DELETE without a token or with a wrong one (403 csrf_failed), changing nothing', async () => {
    const real = w.admin.auth.csrfToken ?? '';
    const other = await signIn(t.app, w.adminEmail, testPassword);
    const tokens: [string, string | undefined][] = [
      ['no token', undefined],
      ['empty token', ''],
      ['wrong token of the same length', `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`],
      ['short token', 'abc'],
      ["another session's token", other.auth.csrfToken],
      ['the session cookie itself', (w.admin.auth.cookie ?? '').replace('haoke_session=', '')],
    ];
    for (const [label, token] of tokens) {
      const client = withToken(token);
      const attempts = [
        () => send(t.app, client, { method: 'POST', url: '/api/v1/departments', json: { name: 'Forged' } }),
        () => send(t.app, client, { method: 'PATCH', url: `/api/v1/departments/${department}`, json: { name: 'Forged' } }),
        () => send(t.app, client, { method: 'DELETE', url: `/api/v1/departments/${department}` }),
        () => send(t.app, client, { method: 'POST', url: '/api/v1/auth/logout' }),
        () => send(t.app, client, { method: 'PATCH', url: '/api/v1/auth/me', json: { name: 'Forged' } }),
      ];
      for (const attempt of attempts) {
        expect(problemDefect(await attempt(), { status: 403, code: 'csrf_failed' }), label).toBeNull();
      }
    }
    // The token only in its cookie (what a cross-site form would carry) is not enough.
    const cookieOnly = await send(t.app, null, {
      method: 'POST',
      url: '/api/v1/departments',
      json: { name: 'Forged' },
      headers: { cookie: `${w.admin.auth.cookie ?? ''}; haoke_csrf=${real}` },
    });
    expect(problemDefect(cookieOnly, { status: 403, code: 'csrf_failed' })).toBeNull();

    const departments = await w.admin.get<{ data: Json[] }>('/api/v1/departments');
    expect(departments.body.data.map((d) => d.name)).toEqual(['Keep me']);
    expect((await w.admin.get<Json>('/api/v1/auth/me')).body).toMatchObject({ user: { name: 'Admin' } });
  });

  it('needs no token for GET, and accepts the right one', async () => {
    expect((await withToken(undefined).get('/api/v1/departments')).status).toBe(200);
    const created = await w.admin.post<Json>('/api/v1/departments', { name: 'With token' });
    expect(created.status).toBe(201);
  });

  it('needs no token with a bearer API key (no ambient credential to forge)', async () => {
    const key = await w.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'integration', roleId: w.roles.admin });
    const bearer = new Client(t.app, { bearer: key.body.secret });
    const created = await bearer.post<Json>('/api/v1/departments', { name: 'Via key' });
    expect(created.status).toBe(201);
    expect((await bearer.patch(`/api/v1/departments/${String(created.body.id)}`, { name: 'Via key 2' })).status).toBe(200);
    expect((await bearer.delete(`/api/v1/departments/${String(created.body.id)}`)).status).toBe(204);
  });
});
