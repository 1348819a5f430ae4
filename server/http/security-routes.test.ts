import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEntity } from '../../common/permissions';
import { newId } from '../db/ids';
import { createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../testing/factories';
import { fillParams, isApiRoute, problemDefect, routeKey, send, type WalkRoute, walkRoutes } from '../testing/route-walk';
import { Client, createTestApp, type TestApp } from '../testing/test-app';
import { registerGuard } from './guard';
import { webRoot } from './web';

/**
 * Every public route, reviewed. A new public route fails this test until it is added here on
 * purpose: the API fails closed (architecture rule 5).
 */
const reviewedPublicRoutes = [
  'GET /api/v1/health',
  'HEAD /api/v1/health',
  'GET /api/v1/setup',
  'HEAD /api/v1/setup',
  'POST /api/v1/setup',
  'POST /api/v1/auth/login',
  'GET /api/v1/openapi.json',
  'HEAD /api/v1/openapi.json',
  // Swagger UI (@fastify/swagger-ui) under /api/docs
  'GET /api/docs/',
  'HEAD /api/docs',
  'HEAD /api/docs/',
  'GET /api/docs/json',
  'HEAD /api/docs/json',
  'GET /api/docs/yaml',
  'HEAD /api/docs/yaml',
  'GET /api/docs/static/index.html',
  'HEAD /api/docs/static/index.html',
  'GET /api/docs/static/swagger-initializer.js',
  'HEAD /api/docs/static/swagger-initializer.js',
  'GET /api/docs/static/*',
  'HEAD /api/docs/static/*',
];
/** The built single-page app (dist/web), present when the web app has been built. */
const reviewedWebRoutes = ['GET /*', 'HEAD /*'];

const webBuilt = fs.existsSync(path.join(webRoot(), 'index.html'));

function accessDefect(route: WalkRoute): string | null {
  const access: unknown = route.access;
  if (typeof access !== 'object' || access === null) {
    return 'no config.access';
  }
  const entries = Object.entries(access);
  if (entries.length !== 1) {
    return `config.access must have exactly one key: ${JSON.stringify(access)}`;
  }
  const [key, value] = entries[0] as [string, unknown];
  if ((key === 'public' || key === 'authenticated') && value === true) {
    return null;
  }
  if (key === 'permission' && typeof value === 'string') {
    const [entity = '', action = '', ...rest] = value.split(':');
    const definition = findEntity(entity);
    if (rest.length > 0 || !definition || !(definition.actions as readonly string[]).includes(action)) {
      return `permission ${value} is not in the catalog`;
    }
    return null;
  }
  return `unrecognised config.access ${JSON.stringify(access)}`;
}

function kindOf(route: WalkRoute): 'public' | 'authenticated' | 'permission' {
  const access = route.access ?? {};
  return 'public' in access ? 'public' : 'authenticated' in access ? 'authenticated' : 'permission';
}

/** Calls a route with a well-formed but meaningless request: ids are fresh UUIDv7s, bodies empty objects. */
function probe(t: TestApp, client: Client | null, route: WalkRoute, headers: Record<string, string> = {}) {
  return send(t.app, client, {
    method: route.method,
    url: fillParams(route.url, () => newId()),
    headers,
    ...(['POST', 'PATCH', 'PUT'].includes(route.method) ? { json: {} } : {}),
  });
}

describe('route access declarations', () => {
  let t: TestApp;
  let routes: WalkRoute[];
  beforeAll(async () => {
    t = await createTestApp({ serveWeb: true });
    routes = walkRoutes(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers the whole API (the walk is not vacuous)', () => {
    expect(routes.filter(isApiRoute).length).toBeGreaterThan(25);
    expect(routes.map(routeKey)).toContain('PATCH /api/v1/users/:id');
  });

  it('gives every route exactly one of public, authenticated or a catalog permission', () => {
    const defects = routes.map((r) => [routeKey(r), accessDefect(r)]).filter(([, d]) => d !== null);
    expect(defects).toEqual([]);
  });

  it('has only reviewed public routes', () => {
    const expected = [...reviewedPublicRoutes, ...(webBuilt ? reviewedWebRoutes : [])].sort();
    const actual = routes
      .filter((r) => kindOf(r) === 'public')
      .map(routeKey)
      .sort();
    expect(actual).toEqual(expected);
  });

  it('refuses to start when a route declares no access', async () => {
    const bare = Fastify();
    registerGuard(bare, t.deps);
    bare.get('/forgotten', async () => 'secret');
    await expect(bare.ready()).rejects.toThrow(/GET \/forgotten/);
    await bare.close().catch(() => undefined);
  });
});

describe('route walk: who may call what', () => {
  let t: TestApp;
  let w: TestWorkspace;
  let apiRoutes: WalkRoute[];
  let guarded: WalkRoute[];
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorkspaceWithAdmin(t);
    apiRoutes = walkRoutes(t.app).filter(isApiRoute);
    guarded = apiRoutes.filter((r) => kindOf(r) !== 'public');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 401 problem+json to anonymous callers on every non-public route', async () => {
    const defects: string[] = [];
    for (const route of guarded) {
      const defect = problemDefect(await probe(t, null, route), { status: 401, code: route.method === 'HEAD' ? undefined : 'unauthenticated' });
      if (defect) {
        defects.push(`${routeKey(route)}: ${defect}`);
      }
    }
    expect(defects).toEqual([]);
  });

  it('answers 401 to bad credentials on every non-public route: unknown cookie, malformed or unknown bearer, revoked key, expired session', async () => {
    const created = await w.admin.post<{ id: string; secret: string }>('/api/v1/api-keys', { name: 'to revoke', roleId: w.roles.admin });
    expect(created.status).toBe(201);
    expect((await w.admin.delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    const expiring = await createUser(t.app, w.admin, { roleIds: [w.roles.admin ?? ''] });
    const expiringSession = await expiring.client();

    const identities: [string, Client][] = [
      ['unknown cookie', new Client(t.app, { cookie: 'haoke_session=not-a-session-token-at-all', csrfToken: 'x' })],
      ['unknown bearer', new Client(t.app, { bearer: `hk_${'A'.repeat(40)}` })],
      ['malformed bearer', new Client(t.app, { bearer: 'short' })],
      ['revoked key', new Client(t.app, { bearer: created.body.secret })],
    ];
    const defects: string[] = [];
    for (const [label, client] of identities) {
      for (const route of guarded) {
        const defect = problemDefect(await probe(t, client, route), { status: 401 });
        if (defect) {
          defects.push(`${label} ${routeKey(route)}: ${defect}`);
        }
      }
    }
    // Idle timeout: the session is gone after SESSION_IDLE_MINUTES without a request.
    t.clock.advance(t.deps.config.sessionIdleMinutes * 60_000 + 1000);
    for (const route of guarded) {
      const defect = problemDefect(await probe(t, expiringSession, route), { status: 401 });
      if (defect) {
        defects.push(`expired session ${routeKey(route)}: ${defect}`);
      }
    }
    t.clock.now = new Date();
    expect(defects).toEqual([]);
  });

  it('answers 403 to a signed-in user without roles on every permission route, and serves the authenticated ones', async () => {
    const user = await createUser(t.app, w.admin, { roleIds: [] });
    const session = await user.client();
    const defects: string[] = [];
    // Signing out ends the session the walk uses: do it last.
    const ordered = [...guarded].sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
    for (const route of ordered) {
      const res = await probe(t, session, route);
      if (kindOf(route) === 'permission') {
        const defect = problemDefect(res, { status: 403, code: route.method === 'HEAD' ? undefined : 'forbidden' });
        if (defect) {
          defects.push(`${routeKey(route)}: ${defect}`);
        }
      } else if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode >= 500) {
        defects.push(`${routeKey(route)}: authenticated route answered ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(defects).toEqual([]);
    expect((await session.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('answers 403 to an API key whose role grants nothing, on every permission route', async () => {
    const role = await w.admin.post<{ id: string }>('/api/v1/roles', { name: 'Nothing', permissions: [], fieldRules: [] });
    expect(role.status).toBe(201);
    const key = await w.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'powerless', roleId: role.body.id });
    expect(key.status).toBe(201);
    const client = new Client(t.app, { bearer: key.body.secret });
    const defects: string[] = [];
    for (const route of guarded.filter((r) => kindOf(r) === 'permission')) {
      const defect = problemDefect(await probe(t, client, route), { status: 403 });
      if (defect) {
        defects.push(`${routeKey(route)}: ${defect}`);
      }
    }
    expect(defects).toEqual([]);
  });

  it('answers unknown API paths and methods with 404 problem+json, signed in or not', async () => {
    for (const client of [null, w.admin]) {
      for (const [method, url] of [
        ['GET', '/api/v1/nope'],
        ['PUT', '/api/v1/users'],
        ['DELETE', '/api/v1/audit-log'],
        ['GET', '/api'],
      ] as const) {
        expect(problemDefect(await send(t.app, client, { method, url }), { status: 404, code: 'not_found' }), `${method} ${url}`).toBeNull();
      }
    }
  });
});
