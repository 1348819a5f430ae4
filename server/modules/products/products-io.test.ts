import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createUserWithGrants, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { uploadImport } from '../imports/imports.fixtures';

async function exportFile(t: TestApp, client: Client, body: Json): Promise<Buffer> {
  const created = await client.post<Json>('/api/v1/exports', body);
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  await runJobsUntilIdle(t.deps);
  const download = await client.get(`/api/v1/exports/${String(created.body.id)}/download`);
  expect(download.status).toBe(200);
  return download.raw.rawPayload;
}

const lines = (file: Buffer) => file.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);

async function productFields(ws: TestWorkspace) {
  expect((await ws.admin.post('/api/v1/product-categories', { name: 'Software' })).status).toBe(201);
  expect((await ws.admin.post('/api/v1/custom-fields/product', { key: 'warranty_months', label: 'Warranty months', type: 'number' })).status).toBe(201);
  expect((await ws.admin.post('/api/v1/custom-fields/product', { key: 'line', label: 'Product line', type: 'singleSelect', options: [{ value: 'saas', label: 'SaaS' }, { value: 'onprem', label: 'On-premise' }] })).status).toBe(201);
}

describe('products: import and export with categories, units, prices, active flag and custom fields', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('an exported file (XLSX and CSV) imports back into another workspace with the same fields', async () => {
    const source = await createWorkspaceWithAdmin(t, 'Source Co');
    await productFields(source);
    const categories = await source.admin.get<{ data: { id: string }[] }>('/api/v1/product-categories');
    const categoryId = categories.body.data[0]?.id;
    const created = await source.admin.post<Json>('/api/v1/products', { name: 'CRM 旗舰版', code: 'CRM-PRO', unit: '套', price: '9800.50', categoryId, active: false, custom: { warranty_months: 24, line: 'onprem' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await source.admin.post('/api/v1/products', { name: 'Support hours', unit: 'hour', price: '300', custom: { line: 'saas' } })).status).toBe(201);

    const csv = lines(await exportFile(t, source.admin, { entity: 'product', format: 'csv', filter: { sort: 'name', active: 'false' } }));
    expect(csv[0]).toBe('Name,Code,Unit,Price,Category,Active,Description,Created at,Warranty months,Product line');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(/^CRM 旗舰版,CRM-PRO,套,9800\.50,Software,no,,[^,]+,24,On-premise$/);

    const xlsx = await exportFile(t, source.admin, { entity: 'product', format: 'xlsx', filter: { sort: 'name' } });
    const target = await createWorkspaceWithAdmin(t, 'Target Co');
    await productFields(target);
    const uploaded = await uploadImport<{ id: string; guesses: Record<string, string | null> }>(target.admin, 'products.xlsx', xlsx, 'product');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    // Every column the export wrote is recognised by the importer (the creation time is not imported).
    expect(Object.values(uploaded.body.guesses).filter((g) => g !== null)).toEqual(['name', 'code', 'unit', 'price', 'category', 'active', 'description', 'cf.warranty_months', 'cf.line']);
    const started = await target.admin.post(`/api/v1/imports/${uploaded.body.id}/start`, { mapping: uploaded.body.guesses, duplicateMode: 'skip' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await runJobsUntilIdle(t.deps);
    expect((await target.admin.get<Json>(`/api/v1/imports/${uploaded.body.id}`)).body).toMatchObject({ status: 'done', created: 2, failed: 0 });
    const imported = await target.admin.get<{ data: Json[] }>('/api/v1/products?sort=name');
    expect(imported.body.data.map((p) => [p.name, p.code, p.unit, p.price, p.categoryName, p.active, p.custom])).toEqual([
      ['CRM 旗舰版', 'CRM-PRO', '套', '9800.50', 'Software', false, { warranty_months: 24, line: 'onprem' }],
      ['Support hours', null, 'hour', '300.00', null, true, { line: 'saas' }],
    ]);
  });

  it('export and import follow the product permissions and field rules', async () => {
    const ws = await createWorkspaceWithAdmin(t, 'Rules Co');
    expect((await ws.admin.post('/api/v1/products', { name: 'Secret price', code: 'SP-1', price: '1.00' })).status).toBe(201);
    const clerk = await createUserWithGrants(
      t.app,
      ws.admin,
      [
        { entity: 'product', action: 'view' },
        { entity: 'product', action: 'export' },
      ],
      [{ entity: 'product', field: 'price', access: 'hidden' }],
    );
    const file = lines(await exportFile(t, clerk.session, { entity: 'product', format: 'csv' }));
    expect(file[0]).toBe('Name,Code,Unit,Category,Active,Description,Created at');
    expect(file.join('\n')).not.toContain('1.00');
    // Without product:import the upload is refused; the seeded sales role may view only.
    expectProblem(await uploadImport(clerk.session, 'p.csv', Buffer.from('name\r\nX\r\n'), 'product'), 403, 'forbidden');
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'product', action: 'view' }]);
    expectProblem(await viewer.session.post('/api/v1/exports', { entity: 'product' }), 403, 'forbidden');
  });
});
