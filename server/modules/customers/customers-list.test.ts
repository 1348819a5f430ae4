import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRole, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { walkList } from '../../testing/list-walk';
import { type Client, createTestApp, type Response, type TestApp } from '../../testing/test-app';
import { nextJobId } from '../../db/read-worker.pool';
import { parseListQuery } from '../../list/parse-list';
import { customerListSpec } from './customers.list-spec';
import { countCustomers } from './customers.repo';

interface Page {
  data: { id: string; name: string; nextFollowupAt: string | null; custom: Record<string, unknown> }[];
  nextCursor: string | null;
  total?: number;
  countExact?: boolean;
}

/** Every page of a list, following nextCursor, as names. */
function walkAll(client: Client, query: string): Promise<string[]> {
  return walkList<{ name: string }, string>(client, `/api/v1/customers?${query}`, (c) => c.name);
}

/*
 * Sorting on a nullable column runs as two index walks (values, then NULLs by id: server/list/
 * list-page.ts keysetWalks). Paging must cross the boundary between them without losing or
 * repeating a row, in both directions, with ties, for built-in and custom fields.
 */
describe('customer list: nullable sorts and counts', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  const byName = new Map<string, string>();
  // name → nextFollowupAt (null = none); two ties on the same instant.
  const rows: [string, string | null, string | null][] = [
    ['N1', '2026-03-01T09:00:00.000Z', 'b'],
    ['N2', null, null],
    ['N3', '2026-01-01T09:00:00.000Z', 'a'],
    ['N4', '2026-02-01T09:00:00.000Z', null],
    ['N5', null, 'c'],
    ['N6', '2026-02-01T09:00:00.000Z', 'a'],
    ['N7', null, null],
    ['N8', '2026-04-01T09:00:00.000Z', null],
  ];

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t, 'Null Sort Co');
    expect((await ws.admin.post('/api/v1/custom-fields/customer', { key: 'grade', label: 'Grade', type: 'text' })).status).toBe(201);
    for (const [name, next, grade] of rows) {
      const res = await ws.admin.post<{ id: string }>('/api/v1/customers', { name, nextFollowupAt: next, ...(grade ? { custom: { grade } } : {}) });
      expect(res.status).toBe(201);
      byName.set(name, res.body.id);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  /** The expected order: values in the direction asked (ties by id the same way), then NULLs by id. */
  function expected(value: (r: (typeof rows)[number]) => string | null, desc: boolean): string[] {
    const id = (name: string) => byName.get(name) ?? '';
    const withValue = rows.filter((r) => value(r) !== null);
    const nulls = rows.filter((r) => value(r) === null);
    const sign = desc ? -1 : 1;
    withValue.sort((a, b) => sign * ((value(a) ?? '').localeCompare(value(b) ?? '') || id(a[0]).localeCompare(id(b[0]))));
    nulls.sort((a, b) => sign * id(a[0]).localeCompare(id(b[0])));
    return [...withValue, ...nulls].map((r) => r[0]);
  }

  for (const limit of [1, 2, 3, 5, 8, 50]) {
    it(`pages across the NULL boundary with limit ${limit}, both directions, built-in and custom`, async () => {
      expect(await walkAll(ws.admin, `sort=nextFollowupAt&limit=${limit}`)).toEqual(expected((r) => r[1], false));
      expect(await walkAll(ws.admin, `sort=-nextFollowupAt&limit=${limit}`)).toEqual(expected((r) => r[1], true));
      expect(await walkAll(ws.admin, `sort=cf.grade&limit=${limit}`)).toEqual(expected((r) => r[2], false));
      expect(await walkAll(ws.admin, `sort=-cf.grade&limit=${limit}`)).toEqual(expected((r) => r[2], true));
    });
  }

  it('pages a filtered nullable sort and an empty NULL part', async () => {
    const all = expected((r) => r[1], true);
    expect(await walkAll(ws.admin, 'sort=-nextFollowupAt&limit=2&nextFollowupAt[empty]=true')).toEqual(all.filter((n) => rows.find((r) => r[0] === n)?.[1] === null));
    expect(await walkAll(ws.admin, 'sort=-nextFollowupAt&limit=2&nextFollowupAt[empty]=false')).toEqual(all.filter((n) => rows.find((r) => r[0] === n)?.[1] !== null));
  });

  it('counts exactly under a scope with shared records, and caps big counts', async () => {
    const roleId = await createRole(ws.admin, [{ entity: 'customer', action: 'view', scope: 'own' }], [], 'Own viewer (list test)');
    const rep = await createUser(t.app, ws.admin, { name: 'Counter', roleIds: [roleId] });
    const session = await rep.client();
    for (const name of ['Own A', 'Own B', 'Own C']) {
      expect((await ws.admin.post('/api/v1/customers', { name, ownerId: rep.id, level: 'A' })).status).toBe(201);
    }
    // Shared with the rep (collaborator) but owned by the admin: counted once.
    const sharedId = byName.get('N1') ?? '';
    const collab = await ws.admin.request('PUT', `/api/v1/customers/${sharedId}/collaborators`, { collaborators: [{ userId: rep.id, access: 'read' }] });
    expect(collab.status).toBe(200);
    const counted = await session.get<Page>('/api/v1/customers?count=true&limit=1');
    expect(counted.status).toBe(200);
    expect(counted.body).toMatchObject({ total: 4, countExact: true });
    expect((await session.get<Page>('/api/v1/customers?count=true&limit=1&level=A')).body).toMatchObject({ total: 3, countExact: true });
    // The admin sees everything; the owner filter narrows it exactly.
    expect((await ws.admin.get<Page>('/api/v1/customers?count=true&limit=1')).body).toMatchObject({ total: rows.length + 3, countExact: true });
    expect((await ws.admin.get<Page>(`/api/v1/customers?count=true&limit=1&ownerId=${rep.id}`)).body).toMatchObject({ total: 3, countExact: true });

    // Above the cap a count stops and says so (the UI shows "cap+").
    const list = parseListQuery({}, customerListSpec, [], () => ({ access: 'edit', masked: false }));
    const visibility = { scope: { kind: 'owners' as const, ownerIds: [rep.id] }, userId: rep.id, now: new Date().toISOString() };
    const options = { deleted: false, tagIds: [] };
    expect(await countCustomers(t.deps.db, t.deps.dialect, ws.workspaceId, visibility, list, options, 2)).toEqual({ total: 2, exact: false });
    expect(await countCustomers(t.deps.db, t.deps.dialect, ws.workspaceId, visibility, list, options, 3)).toEqual({ total: 3, exact: false });
    expect(await countCustomers(t.deps.db, t.deps.dialect, ws.workspaceId, visibility, list, options, 4)).toEqual({ total: 4, exact: true });
  });

  it('reads counts and substring-filtered pages as long reads (SQLite: off the main connection), with the same answers', async () => {
    // Every long-read job takes the next id; the difference counts the jobs a request ran on a worker.
    const jobsDuring = async (query: string): Promise<{ page: Response<Page>; jobs: number }> => {
      const before = nextJobId();
      const page = await ws.admin.get<Page>(`/api/v1/customers?${query}`);
      expect(page.status).toBe(200);
      return { page, jobs: nextJobId() - before - 1 };
    };
    // What the scan must find, from an index walk over everything (contains ignores case).
    const matching = (await walkAll(ws.admin, 'sort=name&limit=50')).filter((n) => n.toLowerCase().includes('n'));
    expect(matching.length).toBeGreaterThanOrEqual(rows.length);
    const scan = await jobsDuring('name[contains]=N&count=true&limit=3&sort=name');
    expect(scan.page.body.data.map((c) => c.name)).toEqual(matching.slice(0, 3));
    expect(scan.page.body).toMatchObject({ total: matching.length, countExact: true });
    const counted = await jobsDuring('count=true&limit=3&sort=name');
    expect(counted.page.body.data.map((c) => c.name)).toEqual(['N1', 'N2', 'N3']);
    const plain = await jobsDuring('limit=3&sort=name');
    expect(plain.page.body.data.map((c) => c.name)).toEqual(['N1', 'N2', 'N3']);
    if (t.deps.dialect === 'sqlite') {
      // The page with `contains` and its count ran on a worker; an index walk stays on the main connection.
      expect(scan.jobs).toBeGreaterThanOrEqual(2);
      expect(counted.jobs).toBeGreaterThanOrEqual(1);
      expect(plain.jobs).toBe(0);
    } else {
      expect(scan.jobs + counted.jobs + plain.jobs).toBe(0);
    }
  });
});
