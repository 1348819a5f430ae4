import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDepartment, createRole, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type TestApp, testDialect } from '../../testing/test-app';

type Run = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Every SQL statement the process sends to the driver while `fn` runs: pg queries, and SQLite
 * statement runs (counted at run time, since the app reuses prepared statements).
 */
async function statementsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const client = pg.Client.prototype as unknown as Record<'query', Run>;
  const pgQuery = client.query;
  const probe = new SQLite(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('select 1')) as Record<'all' | 'get' | 'run' | 'iterate', Run>;
  probe.close();
  const methods = ['all', 'get', 'run', 'iterate'] as const;
  const originals = methods.map((m) => statement[m]);
  client.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    seen.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
    return pgQuery.apply(this, args);
  };
  methods.forEach((m, i) => {
    const original = originals[i] as Run;
    statement[m] = function (this: unknown, ...args: unknown[]) {
      seen.push((this as SQLite.Statement).source);
      return original.apply(this, args);
    };
  });
  try {
    await fn();
  } finally {
    client.query = pgQuery;
    methods.forEach((m, i) => {
      statement[m] = originals[i] as Run;
    });
  }
  return seen;
}

/*
 * On PostgreSQL every statement is a network round trip, and on a 50-row page they were a third
 * of the time the API added to the SQL (bench/results). A list or point GET is: the session with
 * the user's roles and the authorisation version (one statement), the page (with its tags, on
 * PostgreSQL). Permissions, org graph, scopes and custom fields come from the version-keyed cache.
 */
describe('customers: statements per request', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let manager: Client;
  let roleId: string;
  let bossId: string;
  const ids: string[] = [];
  const postgres = testDialect() === 'postgres';

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t, 'Round Trip Co');
    roleId = await createRole(ws.admin, [
      { entity: 'customer', action: 'view', scope: 'departmentTree' },
      { entity: 'customer', action: 'edit', scope: 'departmentTree' },
    ]);
    const boss = await createUser(t.app, ws.admin, { name: 'Boss', roleIds: [roleId] });
    bossId = boss.id;
    const dept = await createDepartment(ws.admin, 'Sales', null, boss.id);
    expect((await ws.admin.patch(`/api/v1/users/${boss.id}`, { departmentId: dept })).status).toBe(200);
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [roleId], departmentId: dept, managerId: boss.id });
    const other = await createUser(t.app, ws.admin, { name: 'Elsewhere', roleIds: [roleId] });
    manager = await boss.client();
    for (let i = 0; i < 6; i += 1) {
      const ownerId = i === 5 ? other.id : i % 2 ? boss.id : rep.id;
      const res = await ws.admin.post<{ id: string }>('/api/v1/customers', { name: `RT ${i}`, level: 'A', ownerId });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const zebra = await ws.admin.post<{ id: string }>('/api/v1/tags', { name: 'Zebra', color: 'red' });
    const apple = await ws.admin.post<{ id: string }>('/api/v1/tags', { name: 'Apple', color: 'green' });
    expect((await ws.admin.post(`/api/v1/customers/${ids[0]}/tags`, { add: [zebra.body.id, apple.body.id] })).status).toBe(200);
    expect((await ws.admin.post(`/api/v1/customers/${ids[1]}/tags`, { add: [zebra.body.id] })).status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a list page is two statements on PostgreSQL (three on SQLite: tags read in-process), with the tags and the scope right', async () => {
    const url = '/api/v1/customers?level=A&sort=-updatedAt&limit=50';
    expect((await manager.get(url)).status).toBe(200); // fills the authz cache
    let page: { data: { id: string; name: string; tags: { name: string; color: string }[] }[] } = { data: [] };
    const seen = await statementsDuring(async () => {
      const res = await manager.get<typeof page>(url);
      expect(res.status).toBe(200);
      page = res.body;
    });
    expect(seen.length, seen.join('\n')).toBe(postgres ? 2 : 3);
    expect(seen[0]).toMatch(/from "sessions"/);
    expect(seen[0]).toMatch(/authz_versions/);
    // The data scope still applies: the other department's customer is not on the page.
    expect(page.data.map((c) => c.name).sort()).toEqual(['RT 0', 'RT 1', 'RT 2', 'RT 3', 'RT 4']);
    const byName = new Map(page.data.map((c) => [c.name, c.tags.map((tag) => tag.name)]));
    expect(byName.get('RT 0')).toEqual(['Apple', 'Zebra']);
    expect(byName.get('RT 1')).toEqual(['Zebra']);
    expect(byName.get('RT 2')).toEqual([]);
  });

  it('a point GET is two statements on PostgreSQL (three on SQLite), and out of scope stays 404', async () => {
    let body: { tags: { name: string }[] } = { tags: [] };
    const seen = await statementsDuring(async () => {
      const res = await manager.get<typeof body>(`/api/v1/customers/${ids[0]}`);
      expect(res.status).toBe(200);
      body = res.body;
    });
    expect(seen.length, seen.join('\n')).toBe(postgres ? 2 : 3);
    expect(body.tags.map((tag) => tag.name)).toEqual(['Apple', 'Zebra']);
    expect((await manager.get(`/api/v1/customers/${ids[5]}`)).status).toBe(404);
  });

  it('roles read with the session still apply on the very next request (fail closed)', async () => {
    expect((await manager.get('/api/v1/customers?limit=5')).status).toBe(200);
    expect((await ws.admin.patch(`/api/v1/users/${bossId}`, { roleIds: [] })).status).toBe(200);
    expect((await manager.get('/api/v1/customers?limit=5')).status).toBe(403);
    expect((await manager.get(`/api/v1/customers/${ids[1]}`)).status).toBe(403);
    expect((await ws.admin.patch(`/api/v1/users/${bossId}`, { roleIds: [roleId] })).status).toBe(200);
    expect((await manager.get('/api/v1/customers?limit=5')).status).toBe(200);
  });
});
