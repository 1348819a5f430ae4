import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { registeredSchedules } from '../../jobs/schedules';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface Hits {
  customers: Json[];
  contacts: Json[];
  deals?: Json[];
}

// Deals are kept in the index by database triggers (migration 0016) and the search outbox drain:
// every write path below must show up in GET /search at once, within the deals data scope.
describe('deals in global search', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const dealNames = async (client: Client, q: string) => {
    const res = await client.get<Hits>(`/api/v1/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return (res.body.deals ?? []).map((d) => String(d.name)).sort();
  };

  it('finds deals by name and customer, follows every write, and scopes them by owner', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const acme = await ws.admin.post('/api/v1/customers', { name: '星辰科技有限公司' });
    const adminDeal = await ws.admin.post('/api/v1/deals', { name: '张三丰年度采购', customerId: acme.body.id });
    expect(adminDeal.status).toBe(201);
    const mine = await repClient.post('/api/v1/customers', { name: '武当实业' });
    const repDeal = await repClient.post('/api/v1/deals', { name: '张三续约', customerId: mine.body.id });
    expect(repDeal.status).toBe(201);
    const adminId = String(adminDeal.body.id);

    // 1 and 2 characters, 3+ characters, the customer's name; grouped as `deals`.
    expect(await dealNames(ws.admin, '张')).toEqual(['张三丰年度采购', '张三续约']);
    expect(await dealNames(ws.admin, '张三')).toEqual(['张三丰年度采购', '张三续约']);
    expect(await dealNames(ws.admin, '年度采购')).toEqual(['张三丰年度采购']);
    expect(await dealNames(ws.admin, '星辰')).toEqual(['张三丰年度采购']);
    const hit = (await ws.admin.get<Hits>('/api/v1/search?q=年度')).body.deals?.[0];
    expect(hit).toMatchObject({ id: adminId, name: '张三丰年度采购', customerName: '星辰科技有限公司', status: 'open' });
    // The rep sees their own deals only.
    expect(await dealNames(repClient, '张')).toEqual(['张三续约']);
    expect(await dealNames(repClient, '星辰')).toEqual([]);

    // Edit, customer rename, stage move, transfer, delete, restore: each reaches the index.
    const renamed = await ws.admin.patch(`/api/v1/deals/${adminId}`, { name: '李四扩容项目' });
    expect(renamed.status).toBe(200);
    expect(await dealNames(ws.admin, '张三丰')).toEqual([]);
    expect(await dealNames(ws.admin, '李四')).toEqual(['李四扩容项目']);
    expect((await ws.admin.patch(`/api/v1/customers/${String(acme.body.id)}`, { name: '银河电子有限公司' })).status).toBe(200);
    expect(await dealNames(ws.admin, '星辰')).toEqual([]);
    expect(await dealNames(ws.admin, '银河')).toEqual(['李四扩容项目']);
    const pipelines = await ws.admin.get<{ data: { stages: { id: string }[] }[] }>('/api/v1/pipelines');
    const stageId = pipelines.body.data[0]?.stages[1]?.id;
    expect((await ws.admin.post(`/api/v1/deals/${adminId}/move`, { stageId })).status).toBe(200);
    expect(await dealNames(ws.admin, '扩容')).toEqual(['李四扩容项目']);
    expect(await dealNames(repClient, '李四')).toEqual([]);
    expect((await ws.admin.post(`/api/v1/deals/${adminId}/transfer`, { ownerId: rep.id })).status).toBe(200);
    expect(await dealNames(repClient, '李四')).toEqual(['李四扩容项目']);
    expect((await ws.admin.delete(`/api/v1/deals/${adminId}`)).status).toBe(204);
    expect(await dealNames(ws.admin, '李四')).toEqual([]);
    expect((await ws.admin.post(`/api/v1/deals/${adminId}/restore`, {})).status).toBe(200);
    expect(await dealNames(ws.admin, '李四')).toEqual(['李四扩容项目']);

    // Nothing stays queued, and another workspace never sees these deals.
    const other = await createWorkspaceWithAdmin(t, 'Other Co');
    expect(await dealNames(other.admin, '张')).toEqual([]);
    const queued = await sql<{ n: number | string }>`select count(*) as n from search_pending where workspace_id = ${ws.workspaceId}`.execute(t.deps.db);
    expect(Number(queued.rows[0]?.n)).toBe(0);
  });

  it('drains a small backlog on the request and leaves a big one to the scheduled job', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const acme = await ws.admin.post('/api/v1/customers', { name: '队列测试客户' });
    const deal = await ws.admin.post('/api/v1/deals', { name: '积压商机', customerId: acme.body.id });
    expect(deal.status).toBe(201);
    // A backlog far past what a request drains (the 0016 migration queues every existing deal).
    const values = Array.from({ length: 1_200 }, () => sql`(${ws.workspaceId}, 'deal', ${String(deal.body.id)})`);
    await sql`insert into search_pending (workspace_id, entity, record_id) values ${sql.join(values)}`.execute(t.deps.db);
    const pending = async () => Number((await sql<{ n: number | string }>`select count(*) as n from search_pending where workspace_id = ${ws.workspaceId}`.execute(t.deps.db)).rows[0]?.n);
    expect(await pending()).toBe(1_201);
    // The request drains at most 500 (oldest first: the deal's own row among them, so it is found).
    expect(await dealNames(ws.admin, '积压')).toEqual(['积压商机']);
    expect(await pending()).toBe(701);
    expect(registeredSchedules().find((s) => s.kind === 'search.drain-pending')).toMatchObject({ perWorkspace: false });
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(await pending()).toBe(0);
    expect(await dealNames(ws.admin, '积压')).toEqual(['积压商机']);
  });
});
