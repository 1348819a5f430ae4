import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { anonymous, createTestApp, type TestApp } from '../../testing/test-app';
import { registerTodoSource } from './todo.registry';

interface Todo {
  data: { key: string; labelKey: string; count: number; link: string }[];
  today: string;
}

function countOf(body: Todo, key: string): number | undefined {
  return body.data.find((i) => i.key === key)?.count;
}

describe('to-do center', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("counts my customers to contact today and overdue in the workspace's time zone, scoped to me", async () => {
    // 2026-03-10 10:00 in Shanghai.
    t.clock.now = new Date('2026-03-10T02:00:00.000Z');
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    await repClient.post('/api/v1/customers', { name: 'Overdue', nextFollowupAt: '2026-03-09T06:00:00.000Z' });
    await repClient.post('/api/v1/customers', { name: 'Later today', nextFollowupAt: '2026-03-10T08:00:00.000Z' });
    await repClient.post('/api/v1/customers', { name: 'Tonight', nextFollowupAt: '2026-03-10T15:30:00.000Z' });
    await repClient.post('/api/v1/customers', { name: 'Tomorrow', nextFollowupAt: '2026-03-10T16:30:00.000Z' });
    // Someone else's: never counted for the rep.
    await ws.admin.post('/api/v1/customers', { name: "Admin's", nextFollowupAt: '2026-03-10T08:00:00.000Z' });

    const res = await repClient.get<Todo>('/api/v1/todo');
    expect(res.status).toBe(200);
    expect(res.body.today).toBe('2026-03-10');
    expect(countOf(res.body, 'followUpsToday')).toBe(2);
    expect(countOf(res.body, 'followUpsOverdue')).toBe(1);
    expect(res.body.data.find((i) => i.key === 'followUpsToday')).toMatchObject({ labelKey: 'todo.items.followUpsToday', link: '/follow-ups?bucket=today' });
    expect(countOf((await ws.admin.get<Todo>('/api/v1/todo')).body, 'followUpsToday')).toBe(1);

    // 17:00 Shanghai: the four o'clock one is overdue now.
    t.clock.now = new Date('2026-03-10T09:00:00.000Z');
    const later = await repClient.get<Todo>('/api/v1/todo');
    expect([countOf(later.body, 'followUpsToday'), countOf(later.body, 'followUpsOverdue')]).toEqual([1, 2]);
    // In UTC, 00:30 Shanghai of the 11th is still the 10th.
    await t.deps.db.updateTable('workspaces').set({ timezone: 'UTC' }).where('id', '=', ws.workspaceId).execute();
    const utc = await repClient.get<Todo>('/api/v1/todo');
    expect([countOf(utc.body, 'followUpsToday'), countOf(utc.body, 'followUpsOverdue')]).toEqual([2, 2]);
    t.clock.now = new Date();
  });

  it('leaves out items whose permission the caller lacks, runs registered sources, and needs sign-in', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const nobody = await createUser(t.app, ws.admin, { roleIds: [] });
    const res = await (await nobody.client()).get<Todo>('/api/v1/todo');
    expect(res.status).toBe(200);
    expect(res.body.data.map((i) => i.key)).not.toContain('followUpsToday');

    registerTodoSource({ key: 'testOnly', labelKey: 'todo.items.testOnly', link: '/x?y=1', order: 0, count: async (_deps, ctx) => (ctx.auth.workspaceId === ws.workspaceId ? 7 : 0) });
    const admin = await ws.admin.get<Todo>('/api/v1/todo');
    expect(admin.body.data[0]).toEqual({ key: 'testOnly', labelKey: 'todo.items.testOnly', link: '/x?y=1', count: 7, countExact: true });
    // A source may answer a capped count; the item then says it is not exact.
    registerTodoSource({ key: 'testOnly', labelKey: 'todo.items.testOnly', link: '/x?y=1', order: 0, count: async () => ({ total: 1000, exact: false }) });
    const capped = await ws.admin.get<Todo>('/api/v1/todo');
    expect(capped.body.data[0]).toEqual({ key: 'testOnly', labelKey: 'todo.items.testOnly', link: '/x?y=1', count: 1000, countExact: false });
    expectProblem(await anonymous(t.app).get('/api/v1/todo'), 401, 'unauthenticated');
  });
});
