import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface Hits {
  customers: Json[];
  contacts: Json[];
}

async function search(client: Client, q: string, limit?: number): Promise<Hits> {
  const res = await client.get<Hits>(`/api/v1/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Every group empty: customers, contacts, and those of other modules (leads, …) registered with registerSearchEntity. */
function expectNothing(hits: Hits): void {
  expect(hits).toMatchObject({ customers: [], contacts: [] });
  expect(Object.entries(hits).filter(([, group]) => !Array.isArray(group) || group.length > 0)).toEqual([]);
}

const names = (hits: Json[]) => hits.map((h) => h.name).sort();

async function customer(client: Client, body: Json): Promise<string> {
  const res = await client.post('/api/v1/customers', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}

describe('global search', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds customers and contacts by 1-, 2- and 3+-character Chinese, phone digits, email and company', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await customer(ws.admin, { name: '张三丰科技有限公司', phone: '138-1234-5678', email: 'Zhang.San@Acme.cn', contact: { name: '王小明', phone: '139 0000 1111', email: 'xm@wudang.cn' } });
    await customer(ws.admin, { name: '李四', kind: 'person', phone: '+86 186 5555 6666', contact: { name: '张三', email: 'zs@example.com' } });
    await customer(ws.admin, { name: 'Acme Trading', email: 'sales@acme-trading.com' });

    const one = await search(ws.admin, '张');
    expect(names(one.customers)).toEqual(['张三丰科技有限公司']);
    // 王小明 works at 张三丰科技: contacts match on their company too.
    expect(names(one.contacts)).toEqual(['张三', '王小明']);
    const two = await search(ws.admin, '张三');
    expect(names(two.customers)).toEqual(['张三丰科技有限公司']);
    expect(names(two.contacts)).toEqual(['张三', '王小明']);
    // The middle of a word, and 2 characters: only the n-gram index can find these.
    expect(names((await search(ws.admin, '丰科')).customers)).toEqual(['张三丰科技有限公司']);
    expect(names((await search(ws.admin, '三丰科技')).customers)).toEqual(['张三丰科技有限公司']);
    // A contact is found by its company (the customer's name).
    expect(names((await search(ws.admin, '三丰科技')).contacts)).toEqual(['王小明']);
    expect(names((await search(ws.admin, '李四')).contacts)).toEqual(['张三']);

    expect(names((await search(ws.admin, '5678')).customers)).toEqual(['张三丰科技有限公司']);
    expect(names((await search(ws.admin, '1234-56')).customers)).toEqual(['张三丰科技有限公司']);
    expect(names((await search(ws.admin, '0000 11')).contacts)).toEqual(['王小明']);
    expect(names((await search(ws.admin, '5555')).customers)).toEqual(['李四']);

    expect(names((await search(ws.admin, 'zhang.san')).customers)).toEqual(['张三丰科技有限公司']);
    expect(names((await search(ws.admin, 'ACME')).customers)).toEqual(['Acme Trading', '张三丰科技有限公司']);
    // Full-width letters are the same letters.
    expect(names((await search(ws.admin, 'ａｃｍｅ ｔ')).customers)).toEqual(['Acme Trading']);
    expect(names((await search(ws.admin, 'ac')).customers)).toEqual(['Acme Trading']);
    expect(names((await search(ws.admin, 'wudang')).contacts)).toEqual(['王小明']);

    const none = await search(ws.admin, '没有这个');
    expectNothing(none);
    expectNothing(await search(ws.admin, '   '));
    expectNothing(await search(ws.admin, '%'));
    expectNothing(await search(ws.admin, '"'));
    expectNothing(await search(ws.admin, '"a" OR name : *'));

    const { id, ...hit } = (await search(ws.admin, '张三丰')).customers[0] ?? {};
    expect(typeof id).toBe('string');
    expect(hit).toEqual({ name: '张三丰科技有限公司', phone: '138-1234-5678', email: 'zhang.san@acme.cn', ownerName: 'Admin' });
  });

  it('answers newest first and honours the limit per group', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    for (let i = 0; i < 6; i += 1) {
      await customer(ws.admin, { name: `王氏${i}号店`, contact: { name: `王${i}` } });
    }
    const hits = await search(ws.admin, '王', 4);
    expect(hits.customers.map((c) => c.name)).toEqual(['王氏5号店', '王氏4号店', '王氏3号店', '王氏2号店']);
    expect(hits.contacts).toHaveLength(4);
    expect((await ws.admin.get('/api/v1/search?q=x&limit=51')).status).toBe(400);
    expect((await ws.admin.get(`/api/v1/search?q=${'x'.repeat(101)}`)).status).toBe(400);
  });

  it('searches only what the caller may see: own, shared, contacts through their customer, never another workspace', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    await customer(repClient, { name: '赵家小店', contact: { name: '赵一' } });
    await customer(ws.admin, { name: '赵氏集团', contact: { name: '赵二' } });
    const shared = await customer(ws.admin, { name: '赵记餐饮', contact: { name: '赵三' } });
    const expired = await customer(ws.admin, { name: '赵过期', contact: { name: '赵四' } });
    await ws.admin.request('PUT', `/api/v1/customers/${shared}/collaborators`, { collaborators: [{ userId: rep.id, access: 'read' }] });
    await ws.admin.request('PUT', `/api/v1/customers/${expired}/collaborators`, { collaborators: [{ userId: rep.id, access: 'read', expiresAt: new Date(Date.now() - 60_000).toISOString() }] });

    for (const q of ['赵', '赵记', '赵记餐饮']) {
      const hits = await search(repClient, q);
      expect(names(hits.customers), q).toEqual(q === '赵' ? ['赵家小店', '赵记餐饮'] : ['赵记餐饮']);
    }
    expect(names((await search(repClient, '赵')).contacts)).toEqual(['赵一', '赵三']);
    expect(names((await search(ws.admin, '赵')).customers)).toEqual(['赵家小店', '赵氏集团', '赵记餐饮', '赵过期']);

    const other: TestWorkspace = await createWorkspaceWithAdmin(t, 'Other Co');
    expectNothing(await search(other.admin, '赵'));

    // No customer or contact permission at all: nothing, not an error.
    const nobody = await createUser(t.app, ws.admin, { roleIds: [] });
    expectNothing(await search(await nobody.client(), '赵'));
  });

  it('keeps masked fields masked and matches them only whole; hidden fields never match and never show', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    await customer(repClient, { name: '孙氏贸易', phone: '13812345678', email: 'boss@sunshi.cn', contact: { name: '孙经理', phone: '13700001234', email: 'mgr@sunshi.cn' } });
    const patched = await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, {
      fieldRules: [
        { entity: 'customer', field: 'phone', access: 'read', masked: true },
        { entity: 'customer', field: 'email', access: 'hidden' },
        { entity: 'contact', field: 'phone', access: 'hidden' },
        { entity: 'contact', field: 'email', access: 'read', masked: true },
      ],
    });
    expect(patched.status).toBe(200);

    const byName = await search(repClient, '孙');
    const withoutIds = (hits: Json[]) => hits.map(({ id: _id, customerId: _customerId, ...rest }) => rest);
    expect(withoutIds(byName.customers)).toEqual([{ name: '孙氏贸易', phone: '138****5678', ownerName: 'Someone' }]);
    expect(withoutIds(byName.contacts)).toEqual([{ name: '孙经理', email: 'm***@sunshi.cn', customerName: '孙氏贸易' }]);

    // Masked phone: a fragment must not find it (it would reveal the hidden digits), the whole number does.
    expect((await search(repClient, '5678')).customers).toEqual([]);
    expect((await search(repClient, '138-1234-5678')).customers).toHaveLength(1);
    // Hidden email and hidden contact phone: never matched.
    expect((await search(repClient, 'boss@sunshi.cn')).customers).toEqual([]);
    expect((await search(repClient, '13700001234')).contacts).toEqual([]);
    // Masked contact email: whole only.
    expect((await search(repClient, 'mgr@sun')).contacts).toEqual([]);
    expect((await search(repClient, 'mgr@sunshi.cn')).contacts).toHaveLength(1);
    // The same rules hold for the customer list's q.
    const list = async (q: string) => (await repClient.get<{ data: Json[] }>(`/api/v1/customers?q=${encodeURIComponent(q)}`)).body.data.length;
    expect([await list('5678'), await list('13812345678'), await list('sunshi'), await list('孙氏')]).toEqual([0, 1, 0, 1]);

    // The admin sees and finds everything.
    expect((await search(ws.admin, '5678')).customers).toHaveLength(1);
    expect((await search(ws.admin, 'sunshi')).contacts).toHaveLength(1);
  });

  it('backs the customer list q with the index, with filters, scope and counts', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    await customer(ws.admin, { name: '周氏电子', level: 'A', phone: '13600001111' });
    await customer(ws.admin, { name: '周大福', level: 'B' });
    await customer(repClient, { name: '小周商行', email: 'zhou@shop.cn' });
    const page = async (client: Client, query: string) => {
      const res = await client.get<{ data: Json[]; total?: number }>(`/api/v1/customers?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { names: res.body.data.map((c) => c.name).sort(), total: res.body.total };
    };
    expect(await page(ws.admin, 'q=%E5%91%A8&count=true')).toEqual({ names: ['周大福', '周氏电子', '小周商行'], total: 3 });
    expect((await page(ws.admin, 'q=%E5%91%A8&level=A')).names).toEqual(['周氏电子']);
    expect((await page(ws.admin, 'q=0001111')).names).toEqual(['周氏电子']);
    expect((await page(ws.admin, 'q=zhou%40')).names).toEqual(['小周商行']);
    expect((await page(repClient, 'q=%E5%91%A8')).names).toEqual(['小周商行']);
  });
});
