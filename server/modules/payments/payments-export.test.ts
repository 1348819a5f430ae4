import ExcelJS from 'exceljs';
import { maskText } from '../../../common/permissions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { exportTuning } from '../exports/exports.job';
import { insertContract } from './payments.testing';

interface ExportView {
  id: string;
  status: string;
  total: number;
  processed: number;
  fileName: string;
}

async function exportFile(t: TestApp, client: Client, body: Json): Promise<{ view: ExportView; body: Buffer }> {
  const created = await client.post<ExportView>('/api/v1/exports', body);
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  await runJobsUntilIdle(t.deps);
  const view = await client.get<ExportView>(`/api/v1/exports/${created.body.id}`);
  expect(view.body.status).toBe('done');
  const download = await client.get(`/api/v1/exports/${created.body.id}/download`);
  expect(download.status).toBe(200);
  return { view: view.body, body: download.raw.rawPayload };
}

function csvLines(body: Buffer): string[] {
  return body.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
}

describe('payments export (回款导出)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    exportTuning.pageSize = 1000;
    await t.close();
  });

  it('exports the payments of the filter within the export scope, with field rules, in CSV and Excel', async () => {
    const ws = await createWorkspaceWithAdmin(t, 'Pay Export Co');
    const rep = await createUser(t.app, ws.admin, { name: 'Rep One', roleIds: [ws.roles.sales ?? ''] });
    const other = await createUser(t.app, ws.admin, { name: 'Rep Two', roleIds: [ws.roles.sales ?? ''] });
    const customer = await ws.admin.post<Json>('/api/v1/customers', { name: '华东贸易' });
    const customerId = String(customer.body.id);
    const repContract = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: rep.id, totalCents: 1_000_000, number: 'HT-REP-1' });
    const otherContract = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: other.id, totalCents: 1_000_000, number: 'HT-OTHER-1' });
    const repClient = await rep.client();
    const otherClient = await other.client();
    const pay = async (client: Client, contractId: string, amount: string, extra: Json = {}) => {
      const res = await client.post<Json>('/api/v1/payments', { contractId, amount, paidOn: '2026-03-10', method: 'bank_transfer', ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return String(res.body.id);
    };
    for (let i = 1; i <= 3; i += 1) {
      await pay(repClient, repContract, `${i}00.50`, { remark: `首付款${i}` });
    }
    await pay(otherClient, otherContract, '999.00', { remark: 'not yours' });
    // Paged in twos so the keyset cursor is exercised.
    exportTuning.pageSize = 2;

    // A rep exports only their own (payment:export own, seeded for sales).
    const own = await exportFile(t, repClient, { entity: 'payment', format: 'csv' });
    expect(own.view).toMatchObject({ total: 3, processed: 3 });
    const lines = csvLines(own.body);
    expect(lines[0]).toBe('Contract number,Contract name,Customer,Period,Amount,Currency,Payment date,Method,Status,Collected by,Remark,Approved at,Created at');
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.startsWith('HT-REP-1,'))).toBe(true);
    expect(lines.join('\n')).not.toContain('HT-OTHER-1');
    expect(lines[1]).toContain(',300.50,CNY,2026-03-10,Bank transfer,approved,Rep One,首付款3,');
    // The admin (all) gets everyone's; the list's filters apply.
    const all = await exportFile(t, ws.admin, { entity: 'payment', format: 'csv', filter: { 'amount[gte]': '200', sort: '-createdAt' } });
    expect(all.view.total).toBe(3);
    expect(csvLines(all.body).slice(1).map((l) => l.split(',')[4])).toEqual(['999.00', '300.50', '200.50']);
    const byStatus = await exportFile(t, ws.admin, { entity: 'payment', format: 'csv', filter: { status: 'rejected' } });
    expect(csvLines(byStatus.body)).toHaveLength(1);
    const byCustomer = await exportFile(t, ws.admin, { entity: 'payment', format: 'csv', filter: { customerId, q: 'HT-OTHER' } });
    expect(csvLines(byCustomer.body).slice(1)).toHaveLength(1);

    // Field rules: a masked remark is masked in the file, a hidden method's column is left out.
    const clerk = await createUserWithGrants(
      t.app,
      ws.admin,
      [
        { entity: 'payment', action: 'view' },
        { entity: 'payment', action: 'export' },
      ],
      [
        { entity: 'payment', field: 'remark', access: 'read', masked: true },
        { entity: 'payment', field: 'method', access: 'hidden' },
      ],
    );
    const ruled = await exportFile(t, clerk.session, { entity: 'payment', format: 'xlsx' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(ruled.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const header = (sheet?.getRow(1).values as unknown[]).slice(1);
    expect(header).not.toContain('Method');
    const remarkColumn = header.indexOf('Remark') + 1;
    const remarks = [2, 3, 4, 5].map((r) => sheet?.getRow(r).getCell(remarkColumn).text ?? '');
    expect(remarks.sort()).toEqual([maskText('not yours'), maskText('首付款1'), maskText('首付款2'), maskText('首付款3')].sort());
    expect(remarks).toContain('首***');
    expect(JSON.stringify(remarks)).not.toContain('首付款');
    // Filtering on a hidden field is refused, like the list.
    expectProblem(await clerk.session.post('/api/v1/exports', { entity: 'payment', filter: { method: 'cash' } }), 400, 'unknown_filter');

    // Without payment:export: refused.
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'payment', action: 'view' }]);
    expectProblem(await viewer.session.post('/api/v1/exports', { entity: 'payment' }), 403, 'forbidden');
  });
});
