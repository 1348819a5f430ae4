import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { uploadImport } from '../imports/imports.fixtures';
import { exportTuning } from './exports.job';

interface ExportView {
  id: string;
  status: string;
  total: number;
  processed: number;
  fileName: string;
  size: number | null;
}

/** Requests an export, runs the job, and downloads the file. */
async function exportFile(t: TestApp, client: Client, body: Json): Promise<{ view: ExportView; body: Buffer; headers: Record<string, unknown> }> {
  const created = await client.post<ExportView>('/api/v1/exports', body);
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  expect(created.body.status).toBe('queued');
  await runJobsUntilIdle(t.deps);
  const view = await client.get<ExportView>(`/api/v1/exports/${created.body.id}`);
  expect(view.body.status).toBe('done');
  const download = await client.get(`/api/v1/exports/${created.body.id}/download`);
  expect(download.status).toBe(200);
  return { view: view.body, body: download.raw.rawPayload, headers: download.headers };
}

function csvLines(body: Buffer): string[] {
  const text = body.toString('utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  return text.slice(1).trim().split(/\r?\n/);
}

describe('exports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    exportTuning.pageSize = 1000;
  });

  it('exports exactly what the list shows the caller: data scope, filters, masking, hidden columns', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, {
      fieldRules: [
        { entity: 'customer', field: 'phone', access: 'read', masked: true },
        { entity: 'customer', field: 'email', access: 'hidden' },
      ],
    });
    const tag = await ws.admin.post<Json>('/api/v1/tags', { name: '重点' });
    for (const [name, level] of [
      ['Mine A', 'A'],
      ['Mine B', 'B'],
      ['Mine 中文, "quoted"', 'A'],
    ] as const) {
      const res = await ws.admin.post('/api/v1/customers', { name, level, phone: '13812341234', email: 'x@example.com', ownerId: rep.id, tagIds: [String(tag.body.id)] });
      expect(res.status).toBe(201);
    }
    await ws.admin.post('/api/v1/customers', { name: 'Not mine', phone: '13900000000', level: 'A' });
    const repClient = await rep.client();

    const all = await exportFile(t, repClient, { entity: 'customer', format: 'csv', filter: { sort: 'name' } });
    expect(String(all.headers['content-type'])).toContain('text/csv');
    expect(String(all.headers['content-disposition'])).toMatch(/filename\*=UTF-8''customers-\d{8}-\d{6}\.csv/);
    expect(all.view).toMatchObject({ total: 3, processed: 3 });
    const lines = csvLines(all.body);
    expect(lines[0]?.split(',').slice(0, 8)).toEqual(['Name', 'Kind', 'Phone', 'Website', 'Level', 'Source', 'Industry', 'Lifecycle stage']);
    expect(lines[0]).not.toContain('Email');
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines[1]).toMatch(/^Mine A,company,138\*\*\*\*1234,,A \(key account\),/);
    expect(lines[3]).toMatch(/^"Mine 中文, ""quoted""",company,138\*\*\*\*1234,/);
    expect(lines.join('\n')).not.toContain('13812341234');
    expect(lines.join('\n')).not.toContain('Not mine');
    expect(lines[1]).toContain(',重点,');

    const filtered = await exportFile(t, repClient, { entity: 'customer', format: 'csv', filter: { level: 'A', sort: 'name' }, columns: ['name', 'phone', 'tags'] });
    expect(csvLines(filtered.body)).toEqual(['Name,Phone,Tags', 'Mine A,138****1234,重点', '"Mine 中文, ""quoted""",138****1234,重点']);

    const mineB = (await repClient.get<{ data: Json[] }>('/api/v1/customers?name=Mine%20B')).body.data[0];
    const notMine = (await ws.admin.get<{ data: Json[] }>('/api/v1/customers?name=Not%20mine')).body.data[0];
    const selected = await exportFile(t, repClient, { entity: 'customer', format: 'csv', ids: [String(mineB?.id), String(notMine?.id)], columns: ['name'] });
    expect(csvLines(selected.body)).toEqual(['Name', 'Mine B']);
  });

  it('writes XLSX through the streaming writer, and pages through large sets by keyset', async () => {
    exportTuning.pageSize = 7;
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'rank', label: 'Rank', type: 'number' });
    for (let i = 0; i < 30; i += 1) {
      await ws.admin.post('/api/v1/customers', { name: `Co ${String(i).padStart(2, '0')}`, custom: { rank: i % 4 } });
    }
    const csv = await exportFile(t, ws.admin, { entity: 'customer', format: 'csv', filter: { sort: '-cf.rank' }, columns: ['name', 'cf.rank'] });
    const lines = csvLines(csv.body).slice(1);
    expect(lines).toHaveLength(30);
    expect(new Set(lines).size).toBe(30);
    expect(lines.map((l) => Number(l.split(',')[1]))).toEqual([...lines.map((l) => Number(l.split(',')[1]))].sort((a, b) => b - a));

    const xlsx = await exportFile(t, ws.admin, { entity: 'customer', format: 'xlsx', filter: { sort: 'name' }, columns: ['name', 'cf.rank', 'createdAt'] });
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(31);
    expect(sheet?.getRow(1).values).toEqual([undefined, 'Name', 'Rank', 'Created at']);
    expect(sheet?.getRow(2).getCell(1).value).toBe('Co 00');
    expect(sheet?.getRow(31).getCell(3).text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    exportTuning.pageSize = 1000;
  });

  it('exports a file that imports back with every importable column recognised', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    for (const body of [
      { name: '上海来回科技有限公司', phone: '13800001111', email: 'a@roundtrip.example', level: 'A', source: 'web', industry: 'it', province: '上海', remark: 'r1', contact: { name: '来回先生' } },
      { name: 'Roundtrip Inc', kind: 'person', lifecycleStage: 'intent', city: 'Hangzhou' },
    ]) {
      expect((await ws.admin.post('/api/v1/customers', body)).status).toBe(201);
    }
    const exported = await exportFile(t, ws.admin, { entity: 'customer', format: 'csv', filter: {} });
    const other = await createWorkspaceWithAdmin(t);
    const upload = await uploadImport<{ id: string; guesses: Record<string, string> }>(other.admin, 'back.csv', exported.body);
    expect(Object.values(upload.body.guesses).sort()).toEqual(
      // The primary contact column comes back as the customer import's contact name.
      ['name', 'kind', 'phone', 'email', 'website', 'level', 'source', 'industry', 'lifecycleStage', 'owner', 'province', 'city', 'district', 'address', 'remark', 'tags', 'contactName'].sort(),
    );
    await other.admin.post(`/api/v1/imports/${upload.body.id}/start`, { mapping: upload.body.guesses, duplicateMode: 'skip' });
    await runJobsUntilIdle(t.deps);
    const done = await other.admin.get<Json>(`/api/v1/imports/${upload.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', created: 2, failed: 0 });
    const back = (await other.admin.get<{ data: Json[] }>('/api/v1/customers?sort=name')).body.data;
    expect(back.map((c) => [c.name, c.kind, c.level, c.source, c.lifecycleStage, c.city, c.primaryContactName])).toEqual([
      ['Roundtrip Inc', 'person', null, null, 'intent', 'Hangzhou', null],
      ['上海来回科技有限公司', 'company', 'A', 'web', 'prospect', null, '来回先生'],
    ]);
  });

  it('exports contacts through the same registry: their list filter, scope, masking and hidden columns', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, {
      fieldRules: [
        { entity: 'contact', field: 'phone', access: 'read', masked: true },
        { entity: 'contact', field: 'wechat', access: 'hidden' },
      ],
    });
    const mine = await ws.admin.post<Json>('/api/v1/customers', { name: 'Mine Co', ownerId: rep.id });
    const other = await ws.admin.post<Json>('/api/v1/customers', { name: 'Other Co' });
    for (const [customerId, name] of [
      [mine.body.id, '张三'],
      [mine.body.id, '李四'],
      [other.body.id, '王五'],
    ] as const) {
      expect((await ws.admin.post('/api/v1/contacts', { customerId, name, phone: '13812345678', wechat: 'wx-secret', title: '经理' })).status).toBe(201);
    }
    const repClient = await rep.client();
    const all = await exportFile(t, repClient, { entity: 'contact', format: 'csv', filter: { sort: 'name' } });
    expect(String(all.headers['content-disposition'])).toMatch(/filename\*=UTF-8''contacts-\d{8}-\d{6}\.csv/);
    const lines = csvLines(all.body);
    expect(lines[0]).toBe('Customer,Contact name,Phone,Email,Title,Department,Primary,Decision maker,Remark,Last follow-up,Next follow-up,Created at,Updated at');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual(['Mine Co,张三,138****5678,,经理', 'Mine Co,李四,138****5678,,经理']);
    expect(lines.join('\n')).not.toContain('wx-secret');
    expect(lines.join('\n')).not.toContain('王五');
    const filtered = await exportFile(t, ws.admin, { entity: 'contact', format: 'csv', filter: { name: '王五' }, columns: ['name', 'phone', 'wechat'] });
    expect(csvLines(filtered.body)).toEqual(['Contact name,Phone,WeChat', '王五,13812345678,wx-secret']);
    expectProblem(await ws.admin.post('/api/v1/exports', { entity: 'contact', format: 'csv', filter: { nope: 'x' } }), 400, 'unknown_filter');
  });

  it('checks permissions, filters and columns up front; only the requester sees an export', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }]);
    expectProblem(await viewer.session.post('/api/v1/exports', { entity: 'customer', format: 'csv', filter: {} }), 403, 'forbidden');
    expectProblem(await ws.admin.post('/api/v1/exports', { entity: 'customer', format: 'csv', filter: { nope: 'x' } }), 400, 'unknown_filter');
    expectProblem(await ws.admin.post('/api/v1/exports', { entity: 'customer', format: 'csv', columns: ['name', 'secret'] }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/exports', { entity: 'customer', format: 'pdf' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/exports', { entity: 'gadget', format: 'csv' }), 400, 'validation_failed');
    const queued = await ws.admin.post<ExportView>('/api/v1/exports', { entity: 'customer', format: 'csv' });
    expectProblem(await ws.admin.get(`/api/v1/exports/${queued.body.id}/download`), 422, 'business_rule');
    const colleague = await createUser(t.app, ws.admin, { roleIds: [ws.roles.admin ?? ''] });
    const colleagueClient = await colleague.client();
    expectProblem(await colleagueClient.get(`/api/v1/exports/${queued.body.id}`), 404, 'not_found');
    expectProblem(await colleagueClient.get(`/api/v1/exports/${queued.body.id}/download`), 404, 'not_found');
    const other = await createWorkspaceWithAdmin(t);
    expectProblem(await other.admin.get(`/api/v1/exports/${queued.body.id}`), 404, 'not_found');
    await runJobsUntilIdle(t.deps);
    const mine = await ws.admin.get<{ data: ExportView[] }>('/api/v1/exports');
    expect(mine.body.data.map((e) => [e.id, e.status])).toEqual([[queued.body.id, 'done']]);
    const audit = await ws.admin.get<{ data: Json[] }>('/api/v1/audit-log?limit=100');
    expect(audit.body.data.filter((e) => e.targetId === queued.body.id).map((e) => e.action).sort()).toEqual(['export.finished', 'export.requested']);
  });
});
