import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDepartment, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

describe('lead assignment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function salesTeam(ws: TestWorkspace, size: number) {
    const departmentId = await createDepartment(ws.admin, `Inside sales ${Math.random().toString(36).slice(2, 7)}`);
    const members = [];
    for (let i = 0; i < size; i += 1) {
      members.push(await createUser(t.app, ws.admin, { name: `Rep ${i}`, departmentId, roleIds: [ws.roles.sales ?? ''] }));
    }
    return { departmentId, members };
  }

  function tally(owners: readonly (string | null | undefined)[]) {
    const counts = new Map<string, number>();
    for (const o of owners) {
      counts.set(String(o), (counts.get(String(o)) ?? 0) + 1);
    }
    return counts;
  }

  it('assigns by hand (single and bulk) and records every assignment on the history', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { members } = await salesTeam(ws, 2);
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    const lead = await ws.admin.post('/api/v1/leads', { name: 'Hand' });
    const id = String(lead.body.id);
    const res = await ws.admin.post(`/api/v1/leads/${id}/assign`, { ownerId: a.id, reason: 'Knows the client' });
    expect(res.status).toBe(200);
    expect(res.body.ownerId).toBe(a.id);
    expect((await (await a.client()).get(`/api/v1/leads/${id}`)).status).toBe(200);

    const others = await Promise.all([1, 2, 3].map(async (i) => String((await ws.admin.post('/api/v1/leads', { name: `Bulk ${i}` })).body.id)));
    const bulk = await ws.admin.post('/api/v1/leads/assign', { ids: [id, ...others], ownerId: b.id });
    expect(bulk.status).toBe(200);
    expect(Object.values(bulk.body.owners as Json)).toEqual([b.id, b.id, b.id, b.id]);

    const history = await ws.admin.get<{ data: Json[] }>(`/api/v1/leads/${id}/history`);
    const assigned = history.body.data.filter((e) => e.kind === 'assigned').map((e) => e.data as Json);
    expect(assigned).toMatchObject([
      { from: a.id, to: b.id, via: 'manual' },
      { from: ws.adminId, to: a.id, via: 'manual', reason: 'Knows the client' },
    ]);
    // Validation: neither or both targets, an unknown user.
    expect((await ws.admin.post(`/api/v1/leads/${id}/assign`, {})).status).toBe(400);
    expect((await ws.admin.post(`/api/v1/leads/${id}/assign`, { ownerId: a.id, departmentId: a.id })).status).toBe(400);
    expect((await ws.admin.post(`/api/v1/leads/${id}/assign`, { ownerId: '00000000-0000-7000-8000-000000000000' })).status).toBe(400);
  });

  it('a manager assigns only within their scope; a rep may not assign', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const manager = await createUser(t.app, ws.admin, { name: 'Manager', roleIds: [ws.roles.sales_manager ?? ''] });
    const sub = await createUser(t.app, ws.admin, { name: 'Sub', managerId: manager.id, roleIds: [ws.roles.sales ?? ''] });
    const stranger = await createUser(t.app, ws.admin, { name: 'Stranger', roleIds: [ws.roles.sales ?? ''] });
    const managerClient = await manager.client();
    const lead = await managerClient.post('/api/v1/leads', { name: 'Team lead' });
    const id = String(lead.body.id);
    expect((await managerClient.post(`/api/v1/leads/${id}/assign`, { ownerId: sub.id })).status).toBe(200);
    expect((await managerClient.post(`/api/v1/leads/${id}/assign`, { ownerId: stranger.id })).status).toBe(403);
    const subClient = await sub.client();
    expect((await subClient.post(`/api/v1/leads/${id}/assign`, { ownerId: manager.id })).status).toBe(403);
  });

  it('distributes round-robin within a department, fairly, with the cursor continuing across calls', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { departmentId, members } = await salesTeam(ws, 3);
    // An inactive member and one without lead access never get a turn.
    const idle = await createUser(t.app, ws.admin, { name: 'Idle', departmentId, roleIds: [ws.roles.sales ?? ''] });
    expect((await ws.admin.post(`/api/v1/users/${idle.id}/deactivate`)).status).toBe(200);
    await createUser(t.app, ws.admin, { name: 'No leads', departmentId, roleIds: [ws.roles.service_agent ?? ''] });
    const ids = [];
    for (let i = 0; i < 7; i += 1) {
      ids.push(String((await ws.admin.post('/api/v1/leads', { name: `RR ${i}` })).body.id));
    }
    const first = await ws.admin.post('/api/v1/leads/assign', { ids: ids.slice(0, 4), departmentId });
    expect(first.status).toBe(200);
    const second = await ws.admin.post('/api/v1/leads/assign', { ids: ids.slice(4), departmentId });
    const owners = [...Object.values(first.body.owners as Json), ...Object.values(second.body.owners as Json)];
    const counts = tally(owners as string[]);
    expect([...counts.keys()].sort()).toEqual(members.map((m) => m.id).sort());
    expect([...counts.values()].sort()).toEqual([2, 2, 3]);
    // Consecutive turns never give the same person twice in a row (3 members).
    for (let i = 1; i < owners.length; i += 1) {
      expect(owners[i]).not.toBe(owners[i - 1]);
    }
    const history = await ws.admin.get<{ data: Json[] }>(`/api/v1/leads/${ids[0]}/history`);
    expect(history.body.data[0]).toMatchObject({ kind: 'assigned', data: { via: 'round_robin', departmentId } });
  });

  it('assigns on create without owner when automatic assignment is on, fairly under concurrent creates', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { departmentId, members } = await salesTeam(ws, 4);
    expect((await ws.admin.request('PUT', '/api/v1/leads/settings', { autoAssignDepartmentId: null, autoAssignOnCreate: true })).status).toBe(400);
    const settings = await ws.admin.request('PUT', '/api/v1/leads/settings', { autoAssignDepartmentId: departmentId, autoAssignOnCreate: true });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ autoAssignDepartmentId: departmentId, autoAssignOnCreate: true });
    expect((await ws.admin.get('/api/v1/leads/settings')).body).toMatchObject({ autoAssignDepartmentId: departmentId });

    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => ws.admin.post('/api/v1/leads', { name: `Web form ${i}` })));
    expect(created.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 201));
    const counts = tally(created.map((r) => r.body.ownerId as string));
    expect([...counts.keys()].sort()).toEqual(members.map((m) => m.id).sort());
    expect([...counts.values()]).toEqual([5, 5, 5, 5]);
    // An explicit owner still wins over the round-robin.
    const explicit = await ws.admin.post('/api/v1/leads', { name: 'Mine', ownerId: ws.adminId });
    expect(explicit.body.ownerId).toBe(ws.adminId);
    // The cursor is one counter per department in the database.
    const cursor = await t.deps.db.selectFrom('leadAssignCursors').select('position').where('workspaceId', '=', ws.workspaceId).where('departmentId', '=', departmentId).executeTakeFirst();
    expect(cursor?.position).toBe(20);
  });

  it('refuses a round-robin over a department without members who work leads', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const empty = await createDepartment(ws.admin, 'Empty');
    const lead = await ws.admin.post('/api/v1/leads', { name: 'Nobody' });
    const res = await ws.admin.post(`/api/v1/leads/${String(lead.body.id)}/assign`, { departmentId: empty });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('business_rule');
  });
});
