import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface Match {
  id: string | null;
  name: string | null;
  phone?: string | null;
  ownerName?: string | null;
  reasons: string[];
  visible: boolean;
}
interface Group {
  key: string;
  reason: string;
  count: number;
  customers: Json[];
}

async function customer(client: Client, body: Json): Promise<string> {
  const res = await client.post('/api/v1/customers', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}

async function check(client: Client, body: Json): Promise<Match[]> {
  const res = await client.post<{ matches: Match[] }>('/api/v1/customers/duplicates/check', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.matches;
}

async function report(client: Client, limit: number): Promise<Group[]> {
  const groups: Group[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    pages += 1;
    expect(pages, 'the report keeps returning pages').toBeLessThan(100);
    const url: string = `/api/v1/customers/duplicates?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res: { status: number; body: { data: Group[]; nextCursor: string | null } } = await client.get(url);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    groups.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return groups;
}

describe('duplicate customers (查重)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('warns on the same company name, phone or email, also through contacts, and reports hidden matches without their data', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const acme = await customer(ws.admin, { name: 'ACME Co., Ltd.', phone: '138-0000-1111', email: 'info@acme.com' });
    const tencent = await customer(ws.admin, { name: '深圳腾飞科技有限公司', contact: { name: '马经理', phone: '13911112222', email: 'ma@tengfei.cn' } });
    const gone = await customer(ws.admin, { name: 'Gone Ltd' });
    await ws.admin.delete(`/api/v1/customers/${gone}`);

    expect(await check(ws.admin, { name: 'Ａｃｍｅ  有限公司' })).toEqual([
      { id: acme, name: 'ACME Co., Ltd.', phone: '138-0000-1111', email: 'info@acme.com', ownerName: 'Admin', reasons: ['name'], visible: true },
    ]);
    expect((await check(ws.admin, { name: 'acme', phone: '+86 13800001111', email: 'INFO@acme.com' }))[0]?.reasons).toEqual(['name', 'phone', 'email']);
    expect((await check(ws.admin, { phone: '139-1111-2222' })).map((m) => [m.id, m.reasons])).toEqual([[tencent, ['phone']]]);
    expect((await check(ws.admin, { email: 'ma@tengfei.cn' })).map((m) => m.id)).toEqual([tencent]);
    expect(await check(ws.admin, { name: '深圳腾飞科技', excludeId: tencent })).toEqual([]);
    expect(await check(ws.admin, { name: 'Gone' })).toEqual([]);
    expect(await check(ws.admin, { name: 'Nobody like this' })).toEqual([]);

    // A rep learns that the customer exists and whose it is — nothing else.
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    expect(await check(repClient, { name: 'acme ltd' })).toEqual([{ id: null, name: null, phone: null, email: null, ownerName: 'Admin', reasons: ['name'], visible: false }]);
    const own = await customer(repClient, { name: 'Rep Own 有限公司', phone: '13700007777' });
    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, { fieldRules: [{ entity: 'customer', field: 'phone', access: 'read', masked: true }] });
    expect(await check(repClient, { phone: '13700007777' })).toEqual([{ id: own, name: 'Rep Own 有限公司', phone: '137****7777', email: null, ownerName: 'Someone', reasons: ['phone'], visible: true }]);
    // A hidden phone or email never matches: the check must not confirm what the rep may not see.
    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, {
      fieldRules: [
        { entity: 'customer', field: 'phone', access: 'hidden' },
        { entity: 'customer', field: 'email', access: 'hidden' },
      ],
    });
    expect(await check(repClient, { phone: '13700007777' })).toEqual([]);
    expect(await check(repClient, { email: 'info@acme.com' })).toEqual([]);
    expect((await check(repClient, { name: 'Rep Own', phone: '13700007777' })).map((m) => m.reasons)).toEqual([['name']]);

    expectProblem(await ws.admin.post('/api/v1/customers/duplicates/check', {}), 400, 'validation_failed');
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }]);
    expectProblem(await viewer.session.post('/api/v1/customers/duplicates/check', { name: 'acme' }), 403, 'forbidden');
  });

  it('reports groups across the workspace, keyset-paged, and only among a narrower scope its own records', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const a1 = await customer(ws.admin, { name: 'Acme Ltd' });
    const a2 = await customer(ws.admin, { name: 'ACME Co.', phone: '13511110000' });
    const a3 = await customer(ws.admin, { name: 'acme', email: 'hi@beta.cn' });
    const b1 = await customer(ws.admin, { name: 'Beta', phone: '135-1111-0000', email: 'hi@beta.cn' });
    await customer(ws.admin, { name: 'Solo' });
    const deleted = await customer(ws.admin, { name: 'Solo 有限公司' });
    await ws.admin.delete(`/api/v1/customers/${deleted}`);

    const groups = await report(ws.admin, 1);
    expect(groups.map((g) => [g.reason, g.key, g.count, g.customers.map((c) => c.id)])).toEqual([
      ['name', 'acme', 3, [a1, a2, a3]],
      ['phone', '13511110000', 2, [a2, b1]],
      ['email', 'hi@beta.cn', 2, [a3, b1]],
    ]);
    expect(groups[0]?.customers[0]).toMatchObject({ name: 'Acme Ltd', access: { edit: true, delete: true, transfer: true } });
    expect(await report(ws.admin, 50)).toEqual(groups);

    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    expect(await report(repClient, 10)).toEqual([]);
    const r1 = await customer(repClient, { name: '好客 Trading', phone: '13600000001' });
    const r2 = await customer(repClient, { name: '好客Trading有限公司', phone: '136 0000 0001' });
    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, { fieldRules: [{ entity: 'customer', field: 'phone', access: 'read', masked: true }] });
    const repGroups = await report(repClient, 10);
    expect(repGroups.map((g) => [g.reason, g.key, g.customers.map((c) => c.id)])).toEqual([
      ['name', '好客trading', [r1, r2]],
      ['phone', '136****0001', [r1, r2]],
    ]);
    // The scoped report pages too (its keys are grouped from the scope's own rows: findDuplicateKeys).
    const r3 = await customer(repClient, { name: 'Zeta' });
    const r4 = await customer(repClient, { name: 'zeta' });
    const paged = await report(repClient, 1);
    expect(paged.map((g) => [g.reason, g.key, g.customers.map((c) => c.id)])).toEqual([
      ['name', 'zeta', [r3, r4]],
      ['name', '好客trading', [r1, r2]],
      ['phone', '136****0001', [r1, r2]],
    ]);
    expect(await report(repClient, 50)).toEqual(paged);

    expectProblem(await ws.admin.get('/api/v1/customers/duplicates?cursor=nonsense'), 400, 'validation_failed');
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }]);
    expectProblem(await viewer.session.get('/api/v1/customers/duplicates'), 403, 'forbidden');
  });
});
