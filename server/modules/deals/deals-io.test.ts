import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { csvText, uploadImport } from '../imports/imports.fixtures';

async function exportCsv(t: TestApp, client: Client, body: Json): Promise<string[]> {
  const created = await client.post<Json>('/api/v1/exports', body);
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  await runJobsUntilIdle(t.deps);
  const download = await client.get(`/api/v1/exports/${String(created.body.id)}/download`);
  expect(download.status).toBe(200);
  return download.raw.rawPayload.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
}

describe('deal export, product import and export', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('imports products (categories by name, duplicates by code) and exports them back', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/product-categories', { name: 'Software' });
    const rows = [
      ['产品名称', '产品编码', '单位', '价格', '分类', '上架'],
      ['CRM 标准版', 'CRM-STD', '套', '1,280.50', 'Software', '是'],
      ['CRM 旗舰版', 'CRM-PRO', '套', '9800', 'software', '否'],
      ['Bad price', 'X1', '', 'abc', '', ''],
      ['No category', 'X2', '', '1', 'Hardware', ''],
    ];
    const uploaded = await uploadImport<{ id: string; guesses: Record<string, string | null> }>(ws.admin, 'products.csv', Buffer.from(csvText(rows), 'utf8'), 'product');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(Object.values(uploaded.body.guesses)).toEqual(['name', 'code', 'unit', 'price', 'category', 'active']);
    await ws.admin.post(`/api/v1/imports/${uploaded.body.id}/start`, { mapping: uploaded.body.guesses, duplicateMode: 'skip' });
    await runJobsUntilIdle(t.deps);
    const result = await ws.admin.get<Json>(`/api/v1/imports/${uploaded.body.id}`);
    expect(result.body).toMatchObject({ status: 'done', created: 2, failed: 2 });
    const list = await ws.admin.get<{ data: Json[] }>('/api/v1/products?sort=name');
    expect(list.body.data.map((p) => [p.name, p.code, p.price, p.active, p.categoryName])).toEqual([
      ['CRM 旗舰版', 'CRM-PRO', '9800.00', false, 'Software'],
      ['CRM 标准版', 'CRM-STD', '1280.50', true, 'Software'],
    ]);

    // The same code (any case) again with "update": the product is updated with the row, nothing is added.
    const again = await uploadImport<{ id: string; guesses: Record<string, string | null> }>(ws.admin, 'p2.csv', Buffer.from(csvText([['code', 'name', 'price'], ['crm-std', 'CRM 标准版', '1500']]), 'utf8'), 'product');
    await ws.admin.post(`/api/v1/imports/${again.body.id}/start`, { mapping: again.body.guesses, duplicateMode: 'update' });
    await runJobsUntilIdle(t.deps);
    expect((await ws.admin.get<Json>(`/api/v1/imports/${again.body.id}`)).body).toMatchObject({ updated: 1, created: 0 });

    const lines = await exportCsv(t, ws.admin, { entity: 'product', format: 'csv', filter: { sort: 'name' } });
    expect(lines[0]).toBe('Name,Code,Unit,Price,Category,Active,Description,Created at');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 6).join(','))).toEqual(['CRM 旗舰版,CRM-PRO,套,9800.00,Software,no', 'CRM 标准版,crm-std,套,1500.00,Software,yes']);
  });

  it('exports deals within the export scope, with filters', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const mine = await repClient.post('/api/v1/customers', { name: 'Rep Co' });
    await repClient.post('/api/v1/deals', { name: 'Rep deal', customerId: mine.body.id, amount: '123.45' });
    const other = await ws.admin.post('/api/v1/customers', { name: 'Admin Co' });
    const won = await ws.admin.post('/api/v1/deals', { name: 'Admin deal', customerId: other.body.id, amount: '1.00' });
    await ws.admin.post(`/api/v1/deals/${String(won.body.id)}/close`, { status: 'won' });

    const repLines = await exportCsv(t, repClient, { entity: 'deal', format: 'csv', filter: {} });
    expect(repLines).toHaveLength(2);
    expect(repLines[1]).toContain('Rep deal,Rep Co,,123.45');
    const wonLines = await exportCsv(t, ws.admin, { entity: 'deal', format: 'csv', filter: { status: 'won' }, columns: ['name', 'status', 'amount'] });
    expect(wonLines).toEqual(['Deal name,Status,Amount', 'Admin deal,won,1.00']);
  });
});
