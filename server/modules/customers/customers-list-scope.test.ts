import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextCursorOf } from '../../list/list-page';
import { parseListQuery } from '../../list/parse-list';
import { createRole, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { walkList } from '../../testing/list-walk';
import { type Client, createTestApp, type TestApp } from '../../testing/test-app';
import { customerListSpec } from './customers.list-spec';
import { customerWalks, listCustomerRows, type Visibility } from './customers.repo';

function walkAll(client: Client, query: string): Promise<string[]> {
  return walkList<{ id: string }, string>(client, `/api/v1/customers?${query}`, (c) => c.id);
}

/*
 * A rep's list (a narrow scope: one owner among the workspace's users) sorted on a column whose
 * sort index carries no owner_id reads the rep's rows owner by owner and sorts them (customerWalks
 * → keysetWalks rowsOfScope: `+c.name` on SQLite, the workspace term inside the owner arm). It must
 * return exactly the rows of the ordinary walk — own and shared, nobody else's — in the same order,
 * page after page.
 */
describe('customer list: a narrow scope sorted by a column without owner on its index', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let rep: { id: string; session: Client };
  const ownerOf = new Map<string, string>();
  const nameOf = new Map<string, string>();
  const lastOf = new Map<string, string | null>();
  let visible: Set<string>;

  // name, last follow-up (null = none), owner: the rep, a colleague or the admin (shared with the rep).
  const rows: [string, string | null, 'rep' | 'other' | 'shared'][] = [
    ['Kilo', '2026-02-01T09:00:00.000Z', 'rep'],
    ['Alpha', null, 'rep'],
    ['Bravo', '2026-02-01T09:00:00.000Z', 'other'],
    ['Mike', '2026-01-01T09:00:00.000Z', 'rep'],
    ['Alpha', '2026-03-01T09:00:00.000Z', 'rep'],
    ['Golf', '2026-02-01T09:00:00.000Z', 'shared'],
    ['Lima', null, 'other'],
    ['Delta', null, 'rep'],
    ['Alpha', null, 'other'],
    ['Zulu', '2026-02-01T09:00:00.000Z', 'rep'],
    ['Papa', '2026-04-01T09:00:00.000Z', 'other'],
  ];

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t, 'Narrow Scope Co');
    const roleId = await createRole(ws.admin, [{ entity: 'customer', action: 'view', scope: 'own' }], [], 'Own viewer (scope list test)');
    const repUser = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [roleId] });
    const other = await createUser(t.app, ws.admin, { name: 'Colleague', roleIds: [roleId] });
    rep = { id: repUser.id, session: await repUser.client() };
    for (const [name, last, who] of rows) {
      const ownerId = who === 'rep' ? rep.id : who === 'other' ? other.id : undefined;
      const res = await ws.admin.post<{ id: string }>('/api/v1/customers', { name, ...(ownerId ? { ownerId } : {}) });
      expect(res.status).toBe(201);
      ownerOf.set(res.body.id, who);
      nameOf.set(res.body.id, name);
      lastOf.set(res.body.id, last);
      if (who === 'shared') {
        const collab = await ws.admin.request('PUT', `/api/v1/customers/${res.body.id}/collaborators`, { collaborators: [{ userId: rep.id, access: 'read' }] });
        expect(collab.status).toBe(200);
      }
      await t.deps.db.updateTable('customers').set({ lastFollowupAt: last }).where('id', '=', res.body.id).execute();
    }
    visible = new Set([...ownerOf].filter(([, who]) => who !== 'other').map(([id]) => id));
  });
  afterAll(async () => {
    await t.close();
  });

  /** Names (plain ASCII letters: one order under any collation) then id, nulls last, as the API orders. */
  function expected(value: (id: string) => string | null, desc: boolean): string[] {
    const sign = desc ? -1 : 1;
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const ids = [...visible];
    const withValue = ids.filter((id) => value(id) !== null).sort((a, b) => sign * (cmp(value(a) ?? '', value(b) ?? '') || cmp(a, b)));
    const nulls = ids.filter((id) => value(id) === null).sort((a, b) => sign * cmp(a, b));
    return [...withValue, ...nulls];
  }

  for (const limit of [1, 2, 3, 50]) {
    it(`returns exactly the rep's rows in order, paged by ${limit}`, async () => {
      const byName = (id: string) => nameOf.get(id) ?? null;
      const byLast = (id: string) => lastOf.get(id) ?? null;
      expect(await walkAll(rep.session, `sort=name&limit=${limit}`)).toEqual(expected(byName, false));
      expect(await walkAll(rep.session, `sort=-name&limit=${limit}`)).toEqual(expected(byName, true));
      expect(await walkAll(rep.session, `sort=-lastFollowupAt&limit=${limit}`)).toEqual(expected(byLast, true));
      expect(await walkAll(rep.session, `sort=lastFollowupAt&limit=${limit}`)).toEqual(expected(byLast, false));
    });
  }

  it('pages the same rows whether the scope is read by owner or by walking the sort index', async () => {
    const now = new Date().toISOString();
    const as = (narrow: boolean): Visibility => ({ scope: { kind: 'owners', ownerIds: [rep.id], narrow }, userId: rep.id, now });
    const options = { deleted: false, tagIds: [] };
    for (const sort of ['name', '-name', '-lastFollowupAt', 'nextFollowupAt', '-createdAt']) {
      const pages: string[][] = [];
      for (const narrow of [true, false]) {
        const ids: string[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 20; i += 1) {
          const list = parseListQuery({ sort, limit: '2', ...(cursor ? { cursor } : {}) }, customerListSpec, [], () => ({ access: 'edit', masked: false }));
          const page = await listCustomerRows(t.deps.db, t.deps.dialect, ws.workspaceId, as(narrow), list, options);
          ids.push(...page.slice(0, 2).map((r) => r.id));
          const next = nextCursorOf(list, page);
          if (!next) {
            break;
          }
          cursor = next;
        }
        pages.push(ids);
      }
      expect(pages[0]).toEqual(pages[1]);
      expect(new Set(pages[0])).toEqual(visible);
    }
  });

  it('reads by owner on SQLite for a narrow scope, except on sorts whose index still carries owner_id', () => {
    const now = new Date().toISOString();
    const walks = (sort: string, narrow: boolean) =>
      customerWalks(t.deps.dialect, { scope: { kind: 'owners', ownerIds: [rep.id], narrow }, userId: rep.id, now }, parseListQuery({ sort }, customerListSpec, [], () => ({ access: 'edit', masked: false })));
    const sqlite = t.deps.dialect === 'sqlite';
    for (const sort of ['name', '-lastFollowupAt', 'nextFollowupAt', 'city']) {
      expect(walks(sort, true).every((w) => w.rowsOfScope === (sqlite ? true : undefined))).toBe(true);
      expect(walks(sort, false).every((w) => w.rowsOfScope === undefined)).toBe(true);
    }
    for (const sort of ['-createdAt', 'updatedAt']) {
      expect(walks(sort, true).every((w) => w.rowsOfScope === undefined)).toBe(true);
    }
  });
});
