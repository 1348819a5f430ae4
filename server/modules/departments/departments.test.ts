import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids';
import { expectProblem } from '../../testing/expect-problem';
import { createDepartment, createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { anonymous, createTestApp, type TestApp } from '../../testing/test-app';

interface Department {
  id: string;
  name: string;
  parentId: string | null;
  leaderId: string | null;
  leaderName: string | null;
  sort: number;
  memberCount: number;
  version: number;
}

describe('departments', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a tree, lists it flat in sort order with leader names and member counts', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const leader = await createUser(t.app, ws.admin, { name: 'Leader Liu' });
    const hq = await ws.admin.post<Department>('/api/v1/departments', { name: 'HQ', leaderId: leader.id });
    expect(hq.status).toBe(201);
    expect(hq.headers.location).toBe(`/api/v1/departments/${hq.body.id}`);
    expect(hq.body).toEqual({ id: hq.body.id, name: 'HQ', parentId: null, leaderId: leader.id, leaderName: 'Leader Liu', sort: 0, memberCount: 0, version: 1 });

    const sales = await createDepartment(ws.admin, 'Sales', hq.body.id);
    const service = await createDepartment(ws.admin, 'Service', hq.body.id);
    const east = await createDepartment(ws.admin, 'Sales East', sales);
    await createUser(t.app, ws.admin, { departmentId: sales });
    await createUser(t.app, ws.admin, { departmentId: sales });
    const leaving = await createUser(t.app, ws.admin, { departmentId: east });
    await ws.admin.post(`/api/v1/users/${leaving.id}/deactivate`);

    const res = await ws.admin.get<{ data: Department[] }>('/api/v1/departments');
    expect(res.status).toBe(200);
    const byName = new Map(res.body.data.map((d) => [d.name, d]));
    expect(res.body.data).toHaveLength(4);
    expect(byName.get('Sales')).toMatchObject({ parentId: hq.body.id, sort: 0, memberCount: 2, leaderId: null, leaderName: null });
    expect(byName.get('Service')).toMatchObject({ id: service, parentId: hq.body.id, sort: 1, memberCount: 0 });
    // Inactive members count too: they still belong to the department and keep it from being deleted.
    expect(byName.get('Sales East')).toMatchObject({ parentId: sales, memberCount: 1 });
    const sorts = res.body.data.map((d) => d.sort);
    expect(sorts).toEqual([...sorts].sort((a, b) => a - b));
  });

  it('renames, reorders, moves and re-leads a department', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const a = await createDepartment(ws.admin, 'A');
    const b = await createDepartment(ws.admin, 'B');
    const lead = await createUser(t.app, ws.admin, { name: 'New Lead' });
    const res = await ws.admin.patch<Department>(`/api/v1/departments/${b}`, { name: 'B2', parentId: a, leaderId: lead.id, sort: 7 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: b, name: 'B2', parentId: a, leaderId: lead.id, leaderName: 'New Lead', sort: 7 });
    const back = await ws.admin.patch<Department>(`/api/v1/departments/${b}`, { parentId: null, leaderId: null });
    expect(back.body).toMatchObject({ parentId: null, leaderId: null, leaderName: null, name: 'B2' });
    const audit = await ws.admin.get<{ data: { action: string; targetId: string }[] }>('/api/v1/audit-log?action=department.updated');
    expect(audit.body.data.map((e) => e.targetId)).toEqual([b, b]);
  });

  it('refuses an edit based on a version someone else changed meanwhile (If-Match, 412) and keeps their change', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const id = await createDepartment(ws.admin, 'Sales');
    const mine = await ws.admin.patch<Department>(`/api/v1/departments/${id}`, { name: 'Sales North' }, { 'if-match': '"1"' });
    expect(mine.body).toMatchObject({ name: 'Sales North', version: 2 });
    // A second tab still showing version 1 moves it: refused, nothing changes.
    expectProblem(await ws.admin.patch(`/api/v1/departments/${id}`, { name: 'Sales South', sort: 9 }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    const listed = (await ws.admin.get<{ data: Department[] }>('/api/v1/departments')).body.data.find((d) => d.id === id);
    expect(listed).toMatchObject({ name: 'Sales North', sort: 0, version: 2 });
    expectProblem(await ws.admin.patch(`/api/v1/departments/${newId()}`, { name: 'Gone' }, { 'if-match': '"1"' }), 404, 'not_found');
  });

  it('refuses to move a department under itself or a descendant (422 department_cycle)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const top = await createDepartment(ws.admin, 'Top');
    const mid = await createDepartment(ws.admin, 'Mid', top);
    const leaf = await createDepartment(ws.admin, 'Leaf', mid);
    expectProblem(await ws.admin.patch(`/api/v1/departments/${top}`, { parentId: top }), 422, 'department_cycle');
    expectProblem(await ws.admin.patch(`/api/v1/departments/${top}`, { parentId: leaf }), 422, 'department_cycle');
    expectProblem(await ws.admin.patch(`/api/v1/departments/${mid}`, { parentId: leaf }), 422, 'department_cycle');
    expect((await ws.admin.patch(`/api/v1/departments/${leaf}`, { parentId: top })).status).toBe(200);
    expect((await ws.admin.get<{ data: Department[] }>('/api/v1/departments')).body.data.find((d) => d.id === top)?.parentId).toBeNull();
  });

  it('survives a parent cycle made behind the API: tree scopes and move checks terminate', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const a = await createDepartment(ws.admin, 'Loop A');
    const b = await createDepartment(ws.admin, 'Loop B', a);
    await t.deps.db.updateTable('departments').set({ parentId: b }).where('workspaceId', '=', ws.workspaceId).where('id', '=', a).execute();
    const inB = await createUser(t.app, ws.admin, { departmentId: b });
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'user', action: 'view', scope: 'departmentTree' }], [], { departmentId: a });
    const visible = await viewer.session.get<{ data: { id: string }[] }>('/api/v1/users');
    expect(visible.body.data.map((u) => u.id).sort()).toEqual([viewer.id, inB.id].sort());
    const c = await createDepartment(ws.admin, 'Outside');
    expectProblem(await ws.admin.patch(`/api/v1/departments/${a}`, { parentId: b }), 422, 'department_cycle');
    expect((await ws.admin.patch(`/api/v1/departments/${c}`, { parentId: a })).status).toBe(200);
    expect((await ws.admin.get<{ data: Department[] }>('/api/v1/departments')).body.data).toHaveLength(3);
  });

  it('deletes only empty departments (409 department_not_empty otherwise)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const parent = await createDepartment(ws.admin, 'Parent');
    const child = await createDepartment(ws.admin, 'Child', parent);
    const member = await createUser(t.app, ws.admin, { departmentId: child });
    expectProblem(await ws.admin.delete(`/api/v1/departments/${parent}`), 409, 'department_not_empty');
    expectProblem(await ws.admin.delete(`/api/v1/departments/${child}`), 409, 'department_not_empty');
    // Inactive members still belong to it.
    await ws.admin.post(`/api/v1/users/${member.id}/deactivate`);
    expectProblem(await ws.admin.delete(`/api/v1/departments/${child}`), 409, 'department_not_empty');
    await ws.admin.patch(`/api/v1/users/${member.id}`, { departmentId: null });
    expect((await ws.admin.delete(`/api/v1/departments/${child}`)).status).toBe(204);
    expect((await ws.admin.delete(`/api/v1/departments/${parent}`)).status).toBe(204);
    expect((await ws.admin.get<{ data: Department[] }>('/api/v1/departments')).body.data).toEqual([]);
    expectProblem(await ws.admin.delete(`/api/v1/departments/${parent}`), 404, 'not_found');
    const audit = await ws.admin.get<{ data: { targetId: string }[] }>('/api/v1/audit-log?action=department.deleted');
    expect(audit.body.data.map((e) => e.targetId)).toEqual([parent, child]);
  });

  it('validates input with 400', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const foreign = await createDepartment(other.admin, 'Foreign');
    const dept = await createDepartment(ws.admin, 'Mine');
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'X', parentId: 'nope' }, { name: 'X', parentId: foreign }, { name: 'X', leaderId: other.adminId }, { name: 'X', sort: -1 }, { name: 'X', color: 'red' }]) {
      expectProblem(await ws.admin.post('/api/v1/departments', body), 400, 'validation_failed');
    }
    for (const body of [{}, { parentId: foreign }, { leaderId: other.adminId }, { sort: 'first' }]) {
      expectProblem(await ws.admin.patch(`/api/v1/departments/${dept}`, body), 400, 'validation_failed');
    }
    expectProblem(await ws.admin.delete('/api/v1/departments/not-an-id'), 400, 'validation_failed');
  });

  it('answers 403 without the action and 401 without credentials', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const dept = await createDepartment(ws.admin, 'Guarded');
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'department', action: 'view' }]);
    const none = await createUserWithGrants(t.app, ws.admin, [{ entity: 'user', action: 'view' }]);
    expectProblem(await none.session.get('/api/v1/departments'), 403, 'forbidden');
    expect((await viewer.session.get('/api/v1/departments')).status).toBe(200);
    expectProblem(await viewer.session.post('/api/v1/departments', { name: 'X' }), 403, 'forbidden');
    expectProblem(await viewer.session.patch(`/api/v1/departments/${dept}`, { name: 'X' }), 403, 'forbidden');
    expectProblem(await viewer.session.delete(`/api/v1/departments/${dept}`), 403, 'forbidden');

    const editor = await createUserWithGrants(t.app, ws.admin, [{ entity: 'department', action: 'edit' }]);
    expect((await editor.session.patch(`/api/v1/departments/${dept}`, { name: 'Edited' })).status).toBe(200);
    expectProblem(await editor.session.get('/api/v1/departments'), 403, 'forbidden');

    const anon = anonymous(t.app);
    expectProblem(await anon.get('/api/v1/departments'), 401, 'unauthenticated');
    expectProblem(await anon.post('/api/v1/departments', { name: 'X' }), 401, 'unauthenticated');
    expectProblem(await anon.patch(`/api/v1/departments/${dept}`, { name: 'X' }), 401, 'unauthenticated');
    expectProblem(await anon.delete(`/api/v1/departments/${dept}`), 401, 'unauthenticated');
  });

  it("keeps workspaces apart: another workspace's admin gets 404 and never lists them", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const dept = await createDepartment(ws.admin, 'Private dept');
    const otherDept = await createDepartment(other.admin, 'Theirs');
    expectProblem(await other.admin.patch(`/api/v1/departments/${dept}`, { name: 'Hijacked' }), 404, 'not_found');
    expectProblem(await other.admin.delete(`/api/v1/departments/${dept}`), 404, 'not_found');
    expect((await other.admin.get<{ data: Department[] }>('/api/v1/departments')).body.data.map((d) => d.id)).toEqual([otherDept]);
    expect((await ws.admin.get<{ data: Department[] }>('/api/v1/departments')).body.data).toEqual([
      expect.objectContaining({ id: dept, name: 'Private dept' }),
    ]);
  });
});
