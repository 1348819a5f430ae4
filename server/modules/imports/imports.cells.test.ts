import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { csvText, uploadImport } from './imports.fixtures';

interface Upload {
  id: string;
  guesses: Record<string, string | null>;
}

interface Preview {
  rows: { rowNumber: number; errors: { field: string; message: string }[]; action: string }[];
}

describe('imports: dates and numbers as Excel in China writes them', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores 2025/3/5, 2025年3月7日, 1,200.50, ¥1,200 and full-width digits canonically; refuses 05/03/2025 and 2025/2/30', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    for (const [key, label, type] of [
      ['signed', '签约日期', 'date'],
      ['visit', '拜访时间', 'datetime'],
      ['staff', '员工人数', 'number'],
      ['budget', '预算', 'money'],
    ]) {
      expect((await ws.admin.post('/api/v1/custom-fields/customer', { key, label, type })).status).toBe(201);
    }
    const file = csvText([
      ['客户名称', '签约日期', '拜访时间', '员工人数', '预算'],
      ['甲公司', '2025/3/5', '2025/3/5 14:30', '1,200', '¥1,200'],
      ['乙公司', '2025年3月7日', '2025-3-5 9:05:30', '１２００', '1，200.50'],
      ['丙公司', '2025.3.5', '2025-03-05T06:30:00.000Z', '-3.5', '1200元'],
      ['丁公司', '05/03/2025', '2025/2/30 10:00', '1,20', '12.345'],
    ]);
    const uploaded = await uploadImport<Upload>(ws.admin, '客户.csv', Buffer.from(file));
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const { id, guesses } = uploaded.body;
    expect(guesses).toMatchObject({ '1': 'cf.signed', '2': 'cf.visit', '3': 'cf.staff', '4': 'cf.budget' });

    const preview = await ws.admin.post<Preview>(`/api/v1/imports/${id}/preview`, { mapping: guesses, duplicateMode: 'skip' });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rows.map((r) => r.errors.length)).toEqual([0, 0, 0, 4]);
    expect(preview.body.rows[3]?.errors).toEqual([
      { field: 'cf.signed', message: 'must be a date, year first: 2025-03-05, 2025/3/5, 2025.3.5 or 2025年3月5日' },
      { field: 'cf.visit', message: 'no such day in the calendar' },
      { field: 'cf.staff', message: 'must be a number: 1200, -3.5 or 1,200.50 (commas only between thousands)' },
      { field: 'cf.budget', message: 'must be an amount with at most 2 decimals' },
    ]);

    expect((await ws.admin.post(`/api/v1/imports/${id}/start`, { mapping: guesses, duplicateMode: 'skip' })).status).toBe(202);
    await runJobsUntilIdle(t.deps);
    expect((await ws.admin.get<Json>(`/api/v1/imports/${id}`)).body).toMatchObject({ status: 'done', created: 3, failed: 1 });
    const customers = (await ws.admin.get<{ data: Json[] }>('/api/v1/customers?limit=10')).body.data;
    const custom = Object.fromEntries(customers.map((c) => [String(c.name), c.custom]));
    // The workspace's zone is Asia/Shanghai (UTC+8): a time without a zone is read there.
    expect(custom).toEqual({
      甲公司: { signed: '2025-03-05', visit: '2025-03-05T06:30:00.000Z', staff: 1200, budget: '1200.00' },
      乙公司: { signed: '2025-03-07', visit: '2025-03-05T01:05:30.000Z', staff: 1200, budget: '1200.50' },
      丙公司: { signed: '2025-03-05', visit: '2025-03-05T06:30:00.000Z', staff: -3.5, budget: '1200.00' },
    });
  });

  it('reads a product price written as ¥1,200.50', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const file = csvText([
      ['产品名称', '单价'],
      ['标准版', '¥1,200.50'],
      ['专业版', '１２，０００'],
      ['坏价格', '1,20'],
    ]);
    const uploaded = await uploadImport<Upload>(ws.admin, '产品.csv', Buffer.from(file), 'product');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect((await ws.admin.post(`/api/v1/imports/${uploaded.body.id}/start`, { mapping: uploaded.body.guesses, duplicateMode: 'skip' })).status).toBe(202);
    await runJobsUntilIdle(t.deps);
    expect((await ws.admin.get<Json>(`/api/v1/imports/${uploaded.body.id}`)).body).toMatchObject({ status: 'done', created: 2, failed: 1 });
    const products = (await ws.admin.get<{ data: Json[] }>('/api/v1/products?sort=name')).body.data;
    expect(Object.fromEntries(products.map((p) => [String(p.name), p.price]))).toEqual({ 标准版: '1200.50', 专业版: '12000.00' });
    const errors = (await ws.admin.get(`/api/v1/imports/${uploaded.body.id}/errors`)).raw.body;
    expect(errors).toContain('单价: must be an amount: 1200, 1,200.50 or ¥1,200 (commas only between thousands)');
  });
});
