import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createDepartment, createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { walkList } from '../../testing/list-walk';
import { followUpTuning } from './follow-ups.repo';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface Record {
  id: string;
  content: string;
  type: string;
  ownerId: string;
  createdAt: string;
}
interface Page {
  data: Record[];
  nextCursor: string | null;
  total?: number;
  countExact?: boolean;
}

/** The follow-up records list 跟进记录 (GET /follow-ups as a list) and its export. */
describe('follow-up records', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function team() {
    const ws = await createWorkspaceWithAdmin(t);
    const department = await createDepartment(ws.admin, 'East');
    const manager = await createUser(t.app, ws.admin, { name: 'Manager', roleIds: [ws.roles.sales_manager ?? ''], departmentId: department });
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''], managerId: manager.id, departmentId: department });
    const other = await createUser(t.app, ws.admin, { name: 'Other', roleIds: [ws.roles.sales ?? ''] });
    return { ws, manager, rep, other, managerClient: await manager.client(), repClient: await rep.client(), otherClient: await other.client() };
  }

  /** One follow-up a second apart on the test clock, so createdAt orders them. */
  async function write(client: Client, customerId: string, type: string, content: string): Promise<Record> {
    t.clock.advance(1000);
    const res = await client.post<Record>('/api/v1/follow-ups', { entity: 'customer', recordId: customerId, type, content });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  it('filters by time, type, author and content, sorts both ways, counts, and keeps to the data scope', async () => {
    const { ws, manager, rep, other, managerClient, repClient, otherClient } = await team();
    const repCustomer = String((await repClient.post('/api/v1/customers', { name: '东方贸易' })).body.id);
    const otherCustomer = String((await otherClient.post('/api/v1/customers', { name: '西山机械' })).body.id);
    const first = await write(repClient, repCustomer, 'call', '电话：客户询问报价');
    const second = await write(repClient, repCustomer, 'visit', '上门拜访，演示产品');
    const third = await write(managerClient, repCustomer, 'call', '经理电话跟进报价');
    await write(otherClient, otherCustomer, 'call', '别组的报价电话');
    const contents = (page: Page) => page.data.map((f) => f.content);
    const get = async (client: Client, query: string) => {
      const res = await client.get<Page>(`/api/v1/follow-ups?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };

    // A time range: from the second follow-up on, and up to it.
    expect(contents(await get(managerClient, `createdAt[gte]=${encodeURIComponent(second.createdAt)}`))).toEqual(['经理电话跟进报价', '上门拜访，演示产品']);
    expect(contents(await get(managerClient, `createdAt[lte]=${encodeURIComponent(second.createdAt)}`))).toEqual(['上门拜访，演示产品', '电话：客户询问报价']);
    // Types and authors as lists; q is the content.
    expect(contents(await get(managerClient, 'type[in]=visit,meeting'))).toEqual(['上门拜访，演示产品']);
    expect(contents(await get(managerClient, `ownerId[in]=${rep.id},${other.id}`))).toEqual(['上门拜访，演示产品', '电话：客户询问报价']);
    expect(contents(await get(managerClient, `q=${encodeURIComponent('报价')}`))).toEqual(['经理电话跟进报价', '电话：客户询问报价']);
    expect(contents(await get(managerClient, `content[contains]=${encodeURIComponent('演示')}&type=visit`))).toEqual(['上门拜访，演示产品']);
    // Oldest first, page by page; and the count of what the filters match.
    expect(await walkList<Record, string>(managerClient, '/api/v1/follow-ups?sort=createdAt&limit=1', (f) => f.id)).toEqual([first.id, second.id, third.id]);
    // Several authors are read one by one and merged: pages still come in time order, both ways.
    expect(await walkList<Record, string>(managerClient, `/api/v1/follow-ups?ownerId[in]=${rep.id},${manager.id}&limit=1`, (f) => f.id)).toEqual([third.id, second.id, first.id]);
    expect(await walkList<Record, string>(managerClient, `/api/v1/follow-ups?ownerId=${manager.id}&ownerId=${rep.id}&sort=createdAt&limit=2`, (f) => f.id)).toEqual([first.id, second.id, third.id]);
    expect(await get(managerClient, `ownerId[in]=${rep.id},${manager.id}&type=call&count=true`)).toMatchObject({ total: 2, countExact: true });
    expect(await get(managerClient, 'type=call&count=true')).toMatchObject({ total: 2, countExact: true });
    expect(await get(managerClient, 'count=true')).toMatchObject({ total: 3, countExact: true });
    // The scope: the manager and the rep see the team's; the other rep only their own; the admin all four.
    expect((await get(repClient, 'count=true')).total).toBe(3);
    expect(contents(await get(otherClient, ''))).toEqual(['别组的报价电话']);
    expect(contents(await get(ws.admin, `q=${encodeURIComponent('报价')}`))).toEqual(['别组的报价电话', '经理电话跟进报价', '电话：客户询问报价']);

    // Bad input is a 400 that names the parameter, never an empty page.
    for (const [query, code] of [
      ['createdAt[gte]=yesterday', 'unknown_filter'],
      ['ownerId=not-an-id', 'unknown_filter'],
      ['createdAt[contains]=2026', 'unknown_filter'],
      ['sort=content', 'unknown_filter'],
      ['sort=-createdAt&cursor=garbage', 'validation_failed'],
      [`q=${'x'.repeat(101)}`, 'validation_failed'],
    ] as const) {
      expectProblem(await managerClient.get(`/api/v1/follow-ups?${query}`), 400, code);
    }
  });

  it('a content search reads one slice per request and goes on from where it stopped', async () => {
    const { repClient } = await team();
    const customer = String((await repClient.post('/api/v1/customers', { name: '南方物流' })).body.id);
    const oldest = await write(repClient, customer, 'call', '第一次报价');
    for (let i = 0; i < 4; i += 1) {
      await write(repClient, customer, 'call', `常规回访 ${i}`);
    }
    const saved = followUpTuning.scanRows;
    followUpTuning.scanRows = 2;
    try {
      const pages: Page[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: Page & { searchedTo?: string } } = await repClient.get(`/api/v1/follow-ups?q=${encodeURIComponent('报价')}&count=true${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        pages.push(res.body);
        cursor = res.body.nextCursor;
      } while (cursor && pages.length < 10);
      // Five follow-ups, two a slice: two empty pages that say how far they read, then the match.
      expect(pages.map((p) => p.data.map((f) => f.content))).toEqual([[], [], ['第一次报价']]);
      expect(pages.map((p) => (p as { searchedTo?: string }).searchedTo !== undefined)).toEqual([true, true, false]);
      expect(pages.at(-1)?.data[0]?.id).toBe(oldest.id);
      // No count on a search: it would read every follow-up.
      expect(pages.every((p) => p.total === undefined)).toBe(true);
    } finally {
      followUpTuning.scanRows = saved;
    }
  });

  it('exports the filtered records as CSV within the followUp:export scope', async () => {
    const { ws, repClient, managerClient, otherClient } = await team();
    const repCustomer = String((await repClient.post('/api/v1/customers', { name: '东方贸易' })).body.id);
    await write(repClient, repCustomer, 'call', '电话：客户询问报价');
    await write(repClient, repCustomer, 'visit', '上门拜访，演示产品');
    // The other rep writes on the rep's customer? They cannot see it; their own customer instead.
    const otherCustomer = String((await otherClient.post('/api/v1/customers', { name: '西山机械' })).body.id);
    await write(otherClient, otherCustomer, 'call', '别组的报价电话');

    const exportCsv = async (client: Client, body: Json) => {
      const created = await client.post<{ id: string; status: string }>('/api/v1/exports', body);
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      await runJobsUntilIdle(t.deps);
      const view = await client.get<{ status: string; total: number }>(`/api/v1/exports/${created.body.id}`);
      expect(view.body.status).toBe('done');
      const file = await client.get(`/api/v1/exports/${created.body.id}/download`);
      expect(file.status).toBe(200);
      return { total: view.body.total, lines: file.raw.rawPayload.toString('utf8').slice(1).trim().split(/\r?\n/) };
    };

    const team1 = await exportCsv(managerClient, { entity: 'followUp', format: 'csv', filter: { q: '报价' } });
    expect(team1.total).toBe(1);
    expect(team1.lines[0]).toBe('Time,Customer,Contact,Deal / lead,Type,Content,Next follow-up,Written by,Attachments');
    expect(team1.lines.slice(1).map((l) => l.split(',').slice(1, 6).join('|'))).toEqual(['东方贸易|||Call|电话：客户询问报价']);
    const all = await exportCsv(ws.admin, { entity: 'followUp', format: 'csv', filter: { sort: 'createdAt' }, columns: ['content', 'ownerName'] });
    expect(all.lines).toEqual(['Content,Written by', '电话：客户询问报价,Rep', '上门拜访，演示产品,Rep', '别组的报价电话,Other']);
    expectProblem(await managerClient.post('/api/v1/exports', { entity: 'followUp', format: 'csv', filter: { bogus: '1' } }), 400, 'unknown_filter');
  });

  it("lists the follow-ups of leads and deals too, named by their record", async () => {
    const { ws, repClient, managerClient, otherClient } = await team();
    const customer = await repClient.post<Json>('/api/v1/customers', { name: 'Records Co' });
    const deal = await repClient.post<Json>('/api/v1/deals', { name: 'Records deal', customerId: customer.body.id, amount: '5.00' });
    const lead = await repClient.post<Json>('/api/v1/leads', { name: 'Records lead' });
    expect([customer.status, deal.status, lead.status]).toEqual([201, 201, 201]);
    const onCustomer = await repClient.post<Json>('/api/v1/follow-ups', { entity: 'customer', recordId: customer.body.id, type: 'call', content: 'on the customer' });
    const onDeal = await repClient.post<Json>(`/api/v1/deals/${String(deal.body.id)}/follow-ups`, { type: 'call', content: 'on the deal' });
    const onLead = await repClient.post<Json>(`/api/v1/leads/${String(lead.body.id)}/follow-ups`, { type: 'call', content: 'on the lead' });
    expect([onCustomer.status, onDeal.status, onLead.status]).toEqual([201, 201, 201]);

    const mine = await repClient.get<{ data: Json[]; total?: number }>('/api/v1/follow-ups?count=true');
    expect(mine.body.data.map((f) => [f.content, f.entity, f.recordName ?? null])).toEqual([
      ['on the lead', 'lead', 'Records lead'],
      ['on the deal', 'deal', 'Records deal'],
      ['on the customer', 'customer', null],
    ]);
    expect(mine.body.total).toBe(3);
    expect(mine.body.data[1]).toMatchObject({ customerId: customer.body.id, customerName: 'Records Co', recordId: deal.body.id });
    const deals = await repClient.get<{ data: Json[] }>('/api/v1/follow-ups?entity=deal');
    expect(deals.body.data.map((f) => f.id)).toEqual([onDeal.body.id]);
    // The manager sees the team's; someone outside it sees none of them.
    expect((await managerClient.get<{ data: Json[] }>('/api/v1/follow-ups')).body.data).toHaveLength(3);
    expect((await otherClient.get<{ data: Json[] }>('/api/v1/follow-ups')).body.data).toEqual([]);
    // One at a time, they belong to their record's routes.
    expectProblem(await repClient.get(`/api/v1/follow-ups/${String(onDeal.body.id)}`), 404, 'not_found');
    expectProblem(await repClient.patch(`/api/v1/follow-ups/${String(onLead.body.id)}`, { content: 'x' }), 404, 'not_found');

    // The export names the record.
    const created = await ws.admin.post<{ id: string }>('/api/v1/exports', { entity: 'followUp', format: 'csv', filter: { entity: 'deal' }, columns: ['recordName', 'content'] });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    await runJobsUntilIdle(t.deps);
    const file = await ws.admin.get(`/api/v1/exports/${created.body.id}/download`);
    expect(file.raw.rawPayload.toString('utf8').slice(1).trim().split(/\r?\n/)).toEqual(['Deal / lead,Content', 'Deal: Records deal,on the deal']);
  });
});
