import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../../common/permissions';
import { expectProblem } from '../../testing/expect-problem';
import { type CreatedUser, createDepartment, createRole, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type TestApp } from '../../testing/test-app';

/*
 * The organisation every test here looks at:
 *
 *   HQ (leader CEO)                     manager chain
 *   └─ Sales (leader SalesHead)         CEO ← SalesHead ← Assistant
 *      └─ Sales East (leader EastLead)              ← EastLead ← Rep1 ← Intern
 *                                                   ← Remote
 *   CEO: HQ · SalesHead, Assistant: Sales · EastLead, Rep1, Rep2: Sales East
 *   Remote, Intern, Outsider: no department · Admin: the workspace admin
 */
const people = ['CEO', 'SalesHead', 'Assistant', 'EastLead', 'Rep1', 'Rep2', 'Remote', 'Intern', 'Outsider'] as const;
type Person = (typeof people)[number] | 'Admin';

describe('data scopes through HTTP', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  const id = {} as Record<Person, string>;
  const session = {} as Record<(typeof people)[number], Client>;
  const scopeRole = {} as Record<Scope, string>;

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t, 'Scope Co');
    id.Admin = ws.adminId;
    const admin = ws.admin;
    const created = {} as Record<(typeof people)[number], CreatedUser>;
    const add = async (name: (typeof people)[number], departmentId: string | null, managerId: string | null) => {
      const user = await createUser(t.app, admin, { name, departmentId, managerId });
      id[name] = user.id;
      created[name] = user;
    };
    const hq = await createDepartment(admin, 'HQ');
    const sales = await createDepartment(admin, 'Sales', hq);
    const east = await createDepartment(admin, 'Sales East', sales);
    await add('CEO', hq, null);
    await add('SalesHead', sales, id.CEO);
    await add('Assistant', sales, id.SalesHead);
    await add('EastLead', east, id.SalesHead);
    await add('Rep1', east, id.EastLead);
    await add('Rep2', east, null);
    await add('Remote', null, id.SalesHead);
    await add('Intern', null, id.Rep1);
    await add('Outsider', null, null);
    await admin.patch(`/api/v1/departments/${hq}`, { leaderId: id.CEO });
    await admin.patch(`/api/v1/departments/${sales}`, { leaderId: id.SalesHead });
    await admin.patch(`/api/v1/departments/${east}`, { leaderId: id.EastLead });
    for (const scope of ['own', 'subordinates', 'department', 'departmentTree', 'all'] as const) {
      scopeRole[scope] = await createRole(admin, [{ entity: 'user', action: 'view', scope }], [], `View ${scope}`);
    }
    for (const name of people) {
      const res = await admin.patch(`/api/v1/users/${id[name]}`, { roleIds: [scopeRole.own] });
      expect(res.status).toBe(200);
    }
    for (const name of people) {
      session[name] = await created[name].client();
    }
  });
  afterAll(async () => {
    await t.close();
  });

  async function giveScopes(who: Person, ...scopes: Scope[]): Promise<void> {
    const res = await ws.admin.patch(`/api/v1/users/${id[who]}`, { roleIds: scopes.map((s) => scopeRole[s]) });
    expect(res.status).toBe(200);
  }

  function nameOf(userId: string): string {
    return (Object.entries(id).find(([, v]) => v === userId)?.[0] ?? userId);
  }

  async function visibleTo(who: (typeof people)[number]): Promise<string[]> {
    const res = await session[who].get<{ data: { id: string }[]; nextCursor: string | null }>('/api/v1/users?limit=200');
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.data.map((u) => nameOf(u.id)).sort();
  }

  /** Each user is reachable by GET /users/:id exactly when the list shows them. */
  async function expectDirectAccess(who: (typeof people)[number], visible: readonly string[]): Promise<void> {
    for (const target of [...people, 'Admin'] as const) {
      const res = await session[who].get(`/api/v1/users/${id[target]}`);
      if (visible.includes(target)) {
        expect(res.status, `${who} → ${target}`).toBe(200);
      } else {
        expectProblem(res, 404, 'not_found');
      }
    }
  }

  const sorted = (...names: Person[]) => [...names].sort();

  it('own: only oneself', async () => {
    await giveScopes('SalesHead', 'own');
    const visible = await visibleTo('SalesHead');
    expect(visible).toEqual(['SalesHead']);
    await expectDirectAccess('SalesHead', visible);
  });

  it('subordinates: the manager chain below and the members of led departments (with sub-departments)', async () => {
    await giveScopes('SalesHead', 'subordinates');
    const visible = await visibleTo('SalesHead');
    expect(visible).toEqual(sorted('SalesHead', 'Assistant', 'EastLead', 'Remote', 'Rep1', 'Rep2', 'Intern'));
    await expectDirectAccess('SalesHead', visible);

    await giveScopes('CEO', 'subordinates');
    expect(await visibleTo('CEO')).toEqual(sorted('CEO', 'SalesHead', 'Assistant', 'EastLead', 'Remote', 'Rep1', 'Rep2', 'Intern'));

    await giveScopes('Rep1', 'subordinates');
    expect(await visibleTo('Rep1')).toEqual(sorted('Rep1', 'Intern'));
  });

  it('department: oneself and the members of one’s own department only', async () => {
    await giveScopes('SalesHead', 'department');
    const visible = await visibleTo('SalesHead');
    expect(visible).toEqual(sorted('SalesHead', 'Assistant'));
    await expectDirectAccess('SalesHead', visible);

    await giveScopes('Rep2', 'department');
    expect(await visibleTo('Rep2')).toEqual(sorted('EastLead', 'Rep1', 'Rep2'));

    // No department: only oneself.
    await giveScopes('Outsider', 'department');
    expect(await visibleTo('Outsider')).toEqual(['Outsider']);
  });

  it('departmentTree: one’s department and every department below it', async () => {
    await giveScopes('SalesHead', 'departmentTree');
    const visible = await visibleTo('SalesHead');
    expect(visible).toEqual(sorted('SalesHead', 'Assistant', 'EastLead', 'Rep1', 'Rep2'));
    await expectDirectAccess('SalesHead', visible);

    await giveScopes('CEO', 'departmentTree');
    expect(await visibleTo('CEO')).toEqual(sorted('CEO', 'SalesHead', 'Assistant', 'EastLead', 'Rep1', 'Rep2'));
  });

  it('all: everyone in the workspace', async () => {
    await giveScopes('Rep2', 'all');
    const visible = await visibleTo('Rep2');
    expect(visible).toEqual(sorted(...people, 'Admin'));
    await expectDirectAccess('Rep2', visible);
  });

  it('two roles give the union of their scopes', async () => {
    await giveScopes('Rep1', 'subordinates', 'department');
    const visible = await visibleTo('Rep1');
    expect(visible).toEqual(sorted('Rep1', 'Intern', 'EastLead', 'Rep2'));
    await expectDirectAccess('Rep1', visible);
    const me = await session.Rep1.get<{ permissions: { actions: Record<string, string> } }>('/api/v1/auth/me');
    expect(me.body.permissions.actions['user:view']).toBe('department');
  });

  it('applies the scope of the action: edit scope own cannot edit others (404)', async () => {
    const editOwn = await createRole(ws.admin, [
      { entity: 'user', action: 'view', scope: 'all' },
      { entity: 'user', action: 'edit', scope: 'own' },
    ]);
    const res = await ws.admin.patch(`/api/v1/users/${id.Rep2}`, { roleIds: [editOwn] });
    expect(res.status).toBe(200);
    expect((await session.Rep2.get(`/api/v1/users/${id.Rep1}`)).status).toBe(200);
    expectProblem(await session.Rep2.patch(`/api/v1/users/${id.Rep1}`, { name: 'Renamed' }), 404, 'not_found');
    expect((await session.Rep2.patch(`/api/v1/users/${id.Rep2}`, { name: 'Rep2' })).status).toBe(200);
  });

  it('a manager-chain cycle (made behind the API) neither hangs nor breaks scope resolution', async () => {
    const a = await createUser(t.app, ws.admin, { name: 'Loop A', roleIds: [scopeRole.subordinates] });
    const b = await createUser(t.app, ws.admin, { name: 'Loop B', managerId: a.id });
    // The API refuses to build a loop, so corrupt the data directly.
    await t.deps.db.updateTable('users').set({ managerId: b.id }).where('workspaceId', '=', ws.workspaceId).where('id', '=', a.id).execute();

    const client = await a.client();
    const res = await client.get<{ data: { id: string }[] }>('/api/v1/users?limit=200');
    expect(res.status).toBe(200);
    expect(res.body.data.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
    expect((await client.get(`/api/v1/users/${b.id}`)).status).toBe(200);
    expectProblem(await client.get(`/api/v1/users/${id.Outsider}`), 404, 'not_found');

    // The cycle check on later edits terminates too.
    const c = await createUser(t.app, ws.admin, { name: 'Loop C' });
    expect((await ws.admin.patch(`/api/v1/users/${c.id}`, { managerId: a.id })).status).toBe(200);
    expectProblem(await ws.admin.patch(`/api/v1/users/${a.id}`, { managerId: c.id }), 422, 'manager_cycle');
  });
});
