import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../testing/factories';
import { send } from '../testing/route-walk';
import { createTestApp, type TestApp } from '../testing/test-app';
import { webRoot } from './web';

const webBuilt = fs.existsSync(path.join(webRoot(), 'index.html'));

function headerDefects(res: LightMyRequestResponse, hsts: boolean): string[] {
  const defects: string[] = [];
  const csp = String(res.headers['content-security-policy'] ?? '');
  if (!/frame-ancestors 'none'/.test(csp)) {
    defects.push(`CSP without frame-ancestors 'none': ${csp || '(none)'}`);
  }
  if (!/script-src 'self'(;|\s|$)/.test(csp)) {
    defects.push(`CSP without script-src 'self': ${csp || '(none)'}`);
  }
  if (/upgrade-insecure-requests/.test(csp)) {
    defects.push('CSP forces https (breaks plain-http LAN installs)');
  }
  if (res.headers['x-content-type-options'] !== 'nosniff') {
    defects.push('no X-Content-Type-Options: nosniff');
  }
  if (!res.headers['referrer-policy']) {
    defects.push('no Referrer-Policy');
  }
  if (hsts !== (res.headers['strict-transport-security'] !== undefined)) {
    defects.push(`Strict-Transport-Security ${hsts ? 'missing' : 'present over http'}`);
  }
  return defects;
}

describe('security headers', () => {
  let t: TestApp;
  let w: TestWorkspace;
  beforeAll(async () => {
    t = await createTestApp({ serveWeb: true });
    w = await createWorkspaceWithAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const apiRequests: [string, string, number][] = [
    ['GET', '/api/v1/health', 200],
    ['GET', '/api/v1/openapi.json', 200],
    ['GET', '/api/v1/users', 401],
    ['GET', '/api/v1/nope', 404],
    ['POST', '/api/v1/auth/login', 400],
  ];

  it('sends them on API answers, successes and errors alike (the guard’s 401 included)', async () => {
    const defects: string[] = [];
    for (const [method, url, status] of apiRequests) {
      const res = await send(t.app, null, { method, url, ...(method === 'POST' ? { json: {} } : {}) });
      expect(res.statusCode, url).toBe(status);
      defects.push(...headerDefects(res, false).map((d) => `${method} ${url}: ${d}`));
      if (status !== 404 && url !== '/api/v1/openapi.json') {
        expect(res.headers['cache-control'], url).toBe('no-store');
      }
    }
    // Signed in, and refused by the permission check or CSRF.
    const forbidden = await send(t.app, null, { method: 'POST', url: '/api/v1/departments', json: { name: 'x' }, headers: { cookie: w.admin.auth.cookie ?? '' } });
    expect(forbidden.statusCode).toBe(403);
    defects.push(...headerDefects(forbidden, false).map((d) => `csrf 403: ${d}`));
    const me = await send(t.app, w.admin, { method: 'GET', url: '/api/v1/auth/me' });
    defects.push(...headerDefects(me, false).map((d) => `me: ${d}`));
    expect(defects).toEqual([]);
  });

  it('sends them on the API docs pages', async () => {
    for (const url of ['/api/docs', '/api/docs/']) {
      const res = await send(t.app, null, { method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(headerDefects(res, false), url).toEqual([]);
    }
  });

  it.skipIf(!webBuilt)('serves the web app at / and at deep links with the same headers', async () => {
    for (const url of ['/', '/settings/users', '/favicon.svg']) {
      const res = await send(t.app, null, { method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(headerDefects(res, false), url).toEqual([]);
    }
    const index = await send(t.app, null, { method: 'GET', url: '/' });
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
  });

  it('answers malformed URLs (bad percent-encoding, over-long ids) with problem documents', async () => {
    for (const url of ['/api/v1/users/%ff', `/api/v1/users/${'a'.repeat(300)}`, '/%ff']) {
      const res = await send(t.app, null, { method: 'GET', url });
      // Routing fails before any route matches (400), or the web app's catch-all takes it (404).
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status: res.statusCode });
    }
  });
});

describe('security headers over https', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ publicUrl: 'https://crm.example.com' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('adds Strict-Transport-Security when the public URL is https', async () => {
    for (const url of ['/api/v1/health', '/api/v1/users']) {
      const res = await send(t.app, null, { method: 'GET', url });
      expect(headerDefects(res, true), url).toEqual([]);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    }
  });
});
