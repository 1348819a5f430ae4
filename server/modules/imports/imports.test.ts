import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { csvText, uploadImport } from './imports.fixtures';
import { importTuning } from './imports.job';

interface Upload {
  id: string;
  encoding: string;
  format: string;
  rowCount: number;
  rowCountExact: boolean;
  columns: { index: number; header: string; sample: string[] }[];
  guesses: Record<string, string>;
  fields: string[];
  requiredFields: string[];
}

interface Preview {
  rows: { rowNumber: number; values: Record<string, string>; errors: { field: string; message: string }[]; duplicateOf?: Json; action: string }[];
  validCount: number;
  errorCount: number;
}

interface ImportView {
  id: string;
  status: string;
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
}

interface Page<T = Json> {
  data: T[];
  nextCursor: string | null;
}

const bom = Buffer.from([0xef, 0xbb, 0xbf]);

function utf8Bom(text: string): Buffer {
  return Buffer.concat([bom, Buffer.from(text, 'utf8')]);
}

/** Uploads, starts with the guessed mapping (or one given), runs the job, and returns the finished import. */
async function importFile(t: TestApp, client: Client, name: string, content: Buffer, options: { entity?: string; duplicateMode?: string; mapping?: Record<string, string | null> } = {}) {
  const uploaded = await uploadImport<Upload>(client, name, content, options.entity ?? 'customer');
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const started = await client.post<ImportView>(`/api/v1/imports/${uploaded.body.id}/start`, {
    mapping: options.mapping ?? uploaded.body.guesses,
    duplicateMode: options.duplicateMode ?? 'skip',
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.body.status).toBe('queued');
  await runJobsUntilIdle(t.deps);
  const done = await client.get<ImportView>(`/api/v1/imports/${uploaded.body.id}`);
  return { upload: uploaded.body, result: done.body };
}

async function customerNames(ws: TestWorkspace): Promise<string[]> {
  const res = await ws.admin.get<Page>('/api/v1/customers?limit=200&sort=name');
  // Sorted here: the databases' collations order Chinese differently.
  return res.body.data.map((c) => String(c.name)).sort();
}

describe('imports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('imports a UTF-8 CSV with BOM and Chinese headers: guesses, preview with errors and duplicates, job, errors file, audit', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'code', label: '客户编号', type: 'text', unique: true });
    const existing = await ws.admin.post<Json>('/api/v1/customers', { name: '已存在科技', phone: '13900000001' });
    expect(existing.status).toBe(201);
    const rep = await createUser(t.app, ws.admin, { name: '王销售', email: `wang-${Date.now()}@example.com`, roleIds: [ws.roles.sales ?? ''] });
    const file = csvText([
      ['客户名称*', '手机', '邮箱', '级别', '来源', '行业', '省份', '城市', '地址', '备注', '负责人', '标签', '客户编号', '无关列'],
      ['上海好客科技有限公司', '138-1234-5678', 'Hello@Example.com', 'A', '官网', 'IT/互联网', '上海', '上海', '浦东新区1号', '重要客户', rep.email, 'VIP, 华东', 'C001', 'x'],
      ['北京示例有限公司', '+86 139 0000 0001', '', 'B（普通客户）', 'referral', '', '北京', '北京', '', '', '王销售', '', 'C002', ''],
      ['坏电话公司', 'abc', 'not-an-email', 'Z', '', '', '', '', '', '', '不存在的人', '', 'C003', ''],
      ['上海好客科技', '', '', '', '', '', '', '', '', '', '', '', 'C004', ''],
      ['', '', '', '', '', '', '', '', '', '', '', '', '', ''],
      ['广州新客户', '020-12345678', '', '', '', '', '广东', '广州', '', '', '', '展会', 'C001', ''],
    ]);
    const uploaded = await uploadImport<Upload>(ws.admin, '客户导入.csv', utf8Bom(file));
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body).toMatchObject({ encoding: 'utf-8-bom', format: 'csv', rowCount: 5, rowCountExact: true });
    expect(uploaded.body.columns[0]).toEqual({ index: 0, header: '客户名称*', sample: ['上海好客科技有限公司', '北京示例有限公司', '坏电话公司', '上海好客科技', '广州新客户'] });
    // The entity's fields come from its import adapter (the wizard offers them).
    expect(uploaded.body).toMatchObject({ requiredFields: ['name'] });
    expect(uploaded.body.fields).toEqual(expect.arrayContaining(['name', 'phone', 'owner', 'tags']));
    expect(uploaded.body.guesses).toEqual({
      '0': 'name',
      '1': 'phone',
      '2': 'email',
      '3': 'level',
      '4': 'source',
      '5': 'industry',
      '6': 'province',
      '7': 'city',
      '8': 'address',
      '9': 'remark',
      '10': 'owner',
      '11': 'tags',
      '12': 'cf.code',
    });
    const mapping = uploaded.body.guesses;

    const preview = await ws.admin.post<Preview>(`/api/v1/imports/${uploaded.body.id}/preview`, { mapping, duplicateMode: 'skip' });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rows.map((r) => [r.rowNumber, r.action])).toEqual([
      [2, 'create'],
      [3, 'skip'],
      [4, 'fail'],
      [5, 'skip'],
      [7, 'fail'],
    ]);
    const [first, second, bad, sameAsFirst, taken] = preview.body.rows;
    expect(first?.values).toMatchObject({ name: '上海好客科技有限公司', phone: '138-1234-5678', owner: rep.email });
    // +86 139 0000 0001 is the existing customer's phone 13900000001.
    expect(second?.duplicateOf).toEqual({ id: existing.body.id, name: '已存在科技', rowNumber: null, reason: 'phone', visible: true });
    expect(bad?.errors.map((e) => e.field).sort()).toEqual(['email', 'level', 'owner', 'phone']);
    // 上海好客科技 = 上海好客科技有限公司 once the legal suffix is dropped: a duplicate of row 2.
    expect(sameAsFirst?.duplicateOf).toMatchObject({ rowNumber: 2, reason: 'name' });
    expect(taken?.errors).toEqual([{ field: 'cf.code', message: 'same value as row 2' }]);
    expect([preview.body.validCount, preview.body.errorCount]).toEqual([3, 2]);

    const started = await ws.admin.post<ImportView>(`/api/v1/imports/${uploaded.body.id}/start`, { mapping, duplicateMode: 'skip' });
    expect(started.status).toBe(202);
    expect((await ws.admin.post(`/api/v1/imports/${uploaded.body.id}/start`, { mapping, duplicateMode: 'skip' })).status).toBe(422);
    expect(await runJobsUntilIdle(t.deps)).toBe(1);
    const done = await ws.admin.get<ImportView>(`/api/v1/imports/${uploaded.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', total: 5, processed: 5, created: 1, updated: 0, skipped: 2, failed: 2, etaSeconds: 0 });
    expect(done.body.rowsPerSecond).toBeGreaterThan(0);

    const list = await ws.admin.get<Page>('/api/v1/customers?limit=50&sort=name');
    const created = list.body.data.find((c) => c.name === '上海好客科技有限公司');
    expect(created).toMatchObject({
      phone: '138-1234-5678',
      email: 'hello@example.com',
      level: 'A',
      source: 'web',
      industry: 'it',
      province: '上海',
      remark: '重要客户',
      ownerId: rep.id,
      custom: { code: 'C001' },
    });
    expect((created?.tags as { name: string }[]).map((tg) => tg.name).sort()).toEqual(['VIP', '华东']);
    expect(list.body.data).toHaveLength(2);

    const errors = await ws.admin.get(`/api/v1/imports/${uploaded.body.id}/errors`);
    expect(errors.status).toBe(200);
    expect(String(errors.headers['content-type'])).toContain('text/csv');
    expect(String(errors.headers['content-disposition'])).toContain("filename*=UTF-8''");
    const text = errors.raw.body;
    expect(text.startsWith('\ufeff')).toBe(true);
    const lines = text.slice(1).trim().split(/\r?\n/);
    expect(lines[0]).toBe('Row,Reason,客户名称*,手机,邮箱,级别,来源,行业,省份,城市,地址,备注,负责人,标签,客户编号,无关列');
    expect(lines).toHaveLength(3);
    // Each field under the file's own header.
    expect(lines[1]).toMatch(/^4,"?[^"]*手机: must be a phone number[^"]*"?,坏电话公司,abc,not-an-email,Z,/);
    expect(lines[2]).toMatch(/^7,客户编号: same value as row 2,广州新客户,020-12345678/);

    const audit = await ws.admin.get<Page>(`/api/v1/audit-log?limit=50`);
    const actions = audit.body.data.filter((e) => e.targetId === uploaded.body.id).map((e) => e.action);
    expect(actions.sort()).toEqual(['import.finished', 'import.started', 'import.uploaded']);

    const mine = await ws.admin.get<Page<ImportView>>('/api/v1/imports');
    expect(mine.body.data.map((i) => i.id)).toEqual([uploaded.body.id]);
  });

  it('reads GBK (GB18030) CSVs as Excel in China saves them, and tab-separated UTF-16 text', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const gbk = iconv.encode(csvText([['公司名称', '联系电话', '所属行业'], ['深圳华强电子有限公司', '0755-88886666', '制造业'], ['杭州西湖茶叶', '0571-12345678', '']]), 'gbk');
    const { upload, result } = await importFile(t, ws.admin, 'gbk.csv', gbk);
    expect(upload.encoding).toBe('gb18030');
    expect(upload.columns.map((c) => c.header)).toEqual(['公司名称', '联系电话', '所属行业']);
    expect(result).toMatchObject({ status: 'done', created: 2, failed: 0 });
    expect(await customerNames(ws)).toEqual(['杭州西湖茶叶', '深圳华强电子有限公司']);
    const shenzhen = (await ws.admin.get<Page>('/api/v1/customers?industry=manufacturing')).body.data;
    expect(shenzhen.map((c) => c.name)).toEqual(['深圳华强电子有限公司']);

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('客户名称\t电话\r\n成都熊猫科技\t028-87654321\r\n', 'utf16le')]);
    const second = await importFile(t, ws.admin, 'unicode.txt', utf16);
    expect(second.upload.encoding).toBe('utf-16le');
    expect(second.result).toMatchObject({ status: 'done', created: 1 });
    expect(await customerNames(ws)).toContain('成都熊猫科技');
  });

  it('imports an .xlsx written by exceljs: numbers, dates, rich text and formulas become text', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'signed', label: 'Signed on', type: 'date' });
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'employees', label: 'Employees', type: 'number' });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('客户');
    sheet.addRow(['Company Name', 'Mobile', 'E-mail', 'Signed on', 'Employees', 'Notes']);
    sheet.addRow(['Acme Trading Co., Ltd.', 13812345678, 'sales@acme.example', new Date(Date.UTC(2025, 2, 14)), 120, { richText: [{ text: 'bold ' }, { text: 'note' }] }]);
    sheet.addRow([]);
    sheet.addRow(['Globex', '021-5555 1234', null, null, { formula: '6*7', result: 42 }, null]);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const { upload, result } = await importFile(t, ws.admin, 'customers.xlsx', content);
    expect(upload).toMatchObject({ format: 'xlsx', rowCount: 2 });
    expect(upload.guesses).toEqual({ '0': 'name', '1': 'phone', '2': 'email', '3': 'cf.signed', '4': 'cf.employees', '5': 'remark' });
    expect(result, (await ws.admin.get(`/api/v1/imports/${upload.id}/errors`)).raw.body).toMatchObject({ status: 'done', created: 2, failed: 0 });
    const rows = (await ws.admin.get<Page>('/api/v1/customers?sort=name')).body.data;
    expect(rows.map((c) => [c.name, c.phone, c.remark, c.custom])).toEqual([
      ['Acme Trading Co., Ltd.', '13812345678', 'bold note', { signed: '2025-03-14', employees: 120 }],
      ['Globex', '021-5555 1234', null, { employees: 42 }],
    ]);
  });

  it('keeps quoted newlines inside a cell, skips empty lines and numbers rows as a spreadsheet does', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const text = 'name,remark,phone\r\n"Multi Line Co","first line\nsecond line, with comma",13800000000\r\n\r\n\r\n"He said ""hi""",ok,abc\r\nLast Co,,\r\n';
    const { result, upload } = await importFile(t, ws.admin, 'lines.csv', Buffer.from(text));
    expect(upload.rowCount).toBe(3);
    expect(result).toMatchObject({ status: 'done', created: 2, failed: 1 });
    const rows = (await ws.admin.get<Page>('/api/v1/customers?sort=name')).body.data;
    expect(rows.find((c) => c.name === 'Multi Line Co')?.remark).toBe('first line\nsecond line, with comma');
    const errors = (await ws.admin.get(`/api/v1/imports/${upload.id}/errors`)).raw.body;
    // Header is row 1, the quoted record row 2, two empty lines rows 3–4: the bad row is row 5.
    expect(errors).toContain('5,phone: must be a phone number,"He said ""hi""",ok,abc');
    // A reader who chose Chinese gets the file in Chinese (the preview's messages too).
    expect((await ws.admin.patch('/api/v1/auth/me', { locale: 'zh-CN' })).status).toBe(200);
    const zh = (await ws.admin.get(`/api/v1/imports/${upload.id}/errors`)).raw.body;
    expect(zh).toContain('行号,错误原因,name,remark,phone');
    expect(zh).toContain('5,phone: 必须是电话号码,"He said ""hi""",ok,abc');
  });

  it('imports 10,000 rows in batches with exact counts', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rows = [['客户名称', '电话', '邮箱', '级别']];
    for (let i = 0; i < 10_000; i += 1) {
      rows.push([`批量客户${i}号`, `139${String(i).padStart(8, '0')}`, `bulk${i}@example.com`, ['A', 'B', 'C'][i % 3] ?? 'A']);
    }
    const { result, upload } = await importFile(t, ws.admin, 'bulk.csv', utf8Bom(csvText(rows)));
    expect(upload.rowCount).toBe(10_000);
    expect(result).toMatchObject({ status: 'done', total: 10_000, processed: 10_000, created: 10_000, failed: 0, skipped: 0 });
    const counted = await ws.admin.get<{ total: number }>('/api/v1/customers?count=true&limit=1');
    expect(counted.body.total).toBe(10_000);
    const levelB = await ws.admin.get<{ total: number }>('/api/v1/customers?count=true&limit=1&level=B');
    expect(levelB.body.total).toBe(3333);
    const jobs = await ws.admin.get<Page>('/api/v1/jobs?kind=import');
    expect(jobs.body.data[0]).toMatchObject({ status: 'done', attempts: 1, progress: { processed: 10_000, created: 10_000 } });
  });

  it('handles duplicates by mode: skip, update existing (empty cells keep data), create anyway', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'region', label: '区域', type: 'singleSelect', options: [{ value: 'east', label: '华东' }, { value: 'west', label: '华西' }] });
    const a = await ws.admin.post<Json>('/api/v1/customers', { name: '甲公司', phone: '13800000001', email: 'a@jia.example', remark: 'keep me', custom: { region: 'west' } });
    const b = await ws.admin.post<Json>('/api/v1/customers', { name: '乙公司', email: 'b@yi.example' });
    const file = utf8Bom(
      csvText([
        ['客户名称', '电话', '邮箱', '区域', '备注'],
        ['甲公司有限公司', '', '', '华东', ''],
        ['Unknown name', '', 'B@YI.example', '', 'by email'],
        ['丙公司', '13800000003', '', '', ''],
        ['丙公司', '', '', '', 'second row about 丙'],
      ]),
    );
    const skip = await importFile(t, ws.admin, 'dups.csv', file, { duplicateMode: 'skip' });
    expect(skip.result).toMatchObject({ created: 1, skipped: 3, updated: 0 });

    const update = await importFile(t, ws.admin, 'dups.csv', file, { duplicateMode: 'update' });
    expect(update.result).toMatchObject({ created: 0, updated: 4, skipped: 0 });
    const jia = await ws.admin.get<Json>(`/api/v1/customers/${String(a.body.id)}`);
    expect(jia.body).toMatchObject({ name: '甲公司有限公司', phone: '13800000001', remark: 'keep me', custom: { region: 'east' }, version: 2 });
    const yi = await ws.admin.get<Json>(`/api/v1/customers/${String(b.body.id)}`);
    expect(yi.body).toMatchObject({ name: 'Unknown name', remark: 'by email' });
    const bing = (await ws.admin.get<Page>('/api/v1/customers?name=丙公司')).body.data;
    expect(bing.map((c) => c.remark)).toEqual(['second row about 丙']);

    const create = await importFile(t, ws.admin, 'dups.csv', file, { duplicateMode: 'create' });
    expect(create.result).toMatchObject({ created: 4, updated: 0, skipped: 0 });
    expect((await ws.admin.get<{ total: number }>('/api/v1/customers?count=true')).body.total).toBe(7);
  });

  it('remembers the mapping a workspace chose for a header, and a column left unmapped', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'erp_id', label: 'ERP ID', type: 'text' });
    const file = utf8Bom(csvText([['Firma', 'Kundennummer', 'Telefon', '备注'], ['Muster GmbH', 'K-1', '+49 30 1234567', 'x']]));
    const first = await uploadImport<Upload>(ws.admin, 'de.csv', file);
    expect(first.body.guesses).toEqual({ '3': 'remark' });
    const mapping = { '0': 'name', '1': 'cf.erp_id', '2': 'phone', '3': null };
    expect((await ws.admin.post(`/api/v1/imports/${first.body.id}/start`, { mapping, duplicateMode: 'skip' })).status).toBe(202);
    const second = await uploadImport<Upload>(ws.admin, 'de2.csv', file);
    expect(second.body.guesses).toEqual({ '0': 'name', '1': 'cf.erp_id', '2': 'phone' });
    // Another workspace has its own memory.
    const other = await createWorkspaceWithAdmin(t);
    expect((await uploadImport<Upload>(other.admin, 'de.csv', file)).body.guesses).toEqual({ '3': 'remark' });
    expect((await ws.admin.post<ImportView>(`/api/v1/imports/${first.body.id}/cancel`)).body.status).toBe('cancelled');
  });

  it('checks permissions: customer:import, field rules, assignment, and only the importer sees an import', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const file = utf8Bom(csvText([['客户名称', '电话', '负责人'], ['Rep Co', '13811112222', '']]));
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }]);
    expectProblem(await uploadImport(viewer.session, 'a.csv', file), 403, 'forbidden');
    expectProblem(await uploadImport(viewer.session, 'a.csv', file, 'contact'), 403, 'forbidden');
    expectProblem(await uploadImport(ws.admin, 'a.csv', file, 'deal'), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/imports', { entity: 'customer' }), 415, 'unsupported_media_type');

    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const { result } = await importFile(t, repClient, 'rep.csv', file);
    expect(result).toMatchObject({ created: 1 });
    const owned = (await ws.admin.get<Page>('/api/v1/customers?name=Rep%20Co')).body.data;
    expect(owned.map((c) => c.ownerId)).toEqual([rep.id]);

    // A rep may not assign to someone else: the row fails with the reason.
    const assigned = utf8Bom(csvText([['客户名称', '负责人'], ['Given Away Co', 'Admin']]));
    const given = await importFile(t, repClient, 'assign.csv', assigned);
    expect(given.result).toMatchObject({ created: 0, failed: 1 });
    const reasons = (await repClient.get(`/api/v1/imports/${given.upload.id}/errors`)).raw.body;
    expect(reasons).toContain('负责人: you may not assign customers to this user');

    // A field the role may only read cannot be imported into.
    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, { fieldRules: [{ entity: 'customer', field: 'phone', access: 'read' }] });
    const upload = await uploadImport<Upload>(repClient, 'phones.csv', file);
    expectProblem(await repClient.post(`/api/v1/imports/${upload.body.id}/preview`, { mapping: { '0': 'name', '1': 'phone' } }), 403, 'field_forbidden');
    expectProblem(await repClient.post(`/api/v1/imports/${upload.body.id}/start`, { mapping: { '0': 'name' }, duplicateMode: 'nope' }), 400, 'validation_failed');
    expectProblem(await repClient.post(`/api/v1/imports/${upload.body.id}/preview`, { mapping: { '0': 'phone' } }), 400, 'validation_failed');
    expectProblem(await repClient.post(`/api/v1/imports/${upload.body.id}/preview`, { mapping: { '0': 'name', '9': 'remark' } }), 400, 'validation_failed');

    // Someone else's import is 404 — in this workspace and in another.
    for (const path of ['', '/errors']) {
      expectProblem(await ws.admin.get(`/api/v1/imports/${upload.body.id}${path}`), 404, 'not_found');
    }
    expectProblem(await ws.admin.post(`/api/v1/imports/${upload.body.id}/cancel`), 404, 'not_found');
    const other = await createWorkspaceWithAdmin(t);
    expectProblem(await other.admin.get(`/api/v1/imports/${upload.body.id}`), 404, 'not_found');
    expect((await ws.admin.get<Page>('/api/v1/imports')).body.data).toEqual([]);
  });

  it('imports contacts under the customers named in the rows, making the first one primary', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const acme = await ws.admin.post<Json>('/api/v1/customers', { name: 'Acme 有限公司' });
    await ws.admin.post<Json>('/api/v1/customers', { name: 'Twin Co' });
    await ws.admin.post<Json>('/api/v1/customers', { name: 'Twin Co.' });
    const file = utf8Bom(
      csvText([
        ['客户名称', '联系人', '手机', '职务', '关键决策人'],
        ['ACME', '张三', '13811110000', '经理', '是'],
        ['acme有限公司', '李四', '13811110001', '', '否'],
        ['Acme', '张三', '13811110000', 'CEO', ''],
        ['Nobody Inc', '王五', '', '', ''],
        ['Twin Co', '赵六', '', '', ''],
        ['Acme', '钱七', '', '', 'maybe'],
      ]),
    );
    const { upload, result } = await importFile(t, ws.admin, 'contacts.csv', file, { entity: 'contact' });
    expect(upload.guesses).toEqual({ '0': 'customer', '1': 'name', '2': 'phone', '3': 'title', '4': 'isDecisionMaker' });
    expect(result).toMatchObject({ created: 2, skipped: 1, failed: 3 });
    const customer = await ws.admin.get<Json>(`/api/v1/customers/${String(acme.body.id)}`);
    expect(customer.body.primaryContactName).toBe('张三');
    const contacts = await t.deps.db.selectFrom('contacts').select(['name', 'title', 'isDecisionMaker', 'isPrimary', 'customerId']).where('workspaceId', '=', ws.workspaceId).execute();
    expect(contacts.sort((x, y) => (x.name < y.name ? -1 : 1))).toEqual([
      { name: '张三', title: '经理', isDecisionMaker: 1, isPrimary: 1, customerId: acme.body.id },
      { name: '李四', title: null, isDecisionMaker: 0, isPrimary: 0, customerId: acme.body.id },
    ]);
    // Searchable once the import is done (entries written by the indexing stage, or its lane), with
    // the customer's name as the company, each contact once.
    const found = await ws.admin.get<{ contacts: { name: string; customerName: string }[] }>(`/api/v1/search?q=${encodeURIComponent('李四')}`);
    expect(found.body.contacts).toEqual([expect.objectContaining({ name: '李四', customerName: 'Acme 有限公司' })]);
    expect((await ws.admin.get<{ contacts: { name: string }[] }>('/api/v1/search?q=13811110000')).body.contacts.map((c) => c.name)).toEqual(['张三']);
    const docs = await t.deps.db.selectFrom('searchDocs').select('recordId').where('workspaceId', '=', ws.workspaceId).where('entity', '=', 'contact').execute();
    expect(docs).toHaveLength(2);
    const reasons = (await ws.admin.get(`/api/v1/imports/${upload.id}/errors`)).raw.body;
    expect(reasons).toContain('客户名称: no customer with this name');
    expect(reasons).toContain('客户名称: several customers have this name');
    expect(reasons).toContain('关键决策人: must be yes or no');
  });

  it('cancels a queued import: it never runs', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const upload = await uploadImport<Upload>(ws.admin, 'c.csv', utf8Bom(csvText([['name'], ['Never Co']])));
    await ws.admin.post(`/api/v1/imports/${upload.body.id}/start`, { mapping: upload.body.guesses });
    const cancelled = await ws.admin.post<ImportView>(`/api/v1/imports/${upload.body.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await runJobsUntilIdle(t.deps)).toBe(0);
    expect(await customerNames(ws)).toEqual([]);
    const jobs = await ws.admin.get<Page>('/api/v1/jobs?status=cancelled');
    expect(jobs.body.data).toHaveLength(1);
    expect((await ws.admin.post(`/api/v1/imports/${upload.body.id}/start`, { mapping: upload.body.guesses })).status).toBe(422);
  });

  it('cancels a running import after its current batch: committed rows stay, the rest never comes', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rows = [['name']];
    for (let i = 0; i < 200; i += 1) {
      rows.push([`Cancel Co ${i}`]);
    }
    const upload = await uploadImport<Upload>(ws.admin, 'c.csv', utf8Bom(csvText(rows)));
    await ws.admin.post(`/api/v1/imports/${upload.body.id}/start`, { mapping: upload.body.guesses });
    const batchSize = importTuning.batchSize;
    importTuning.batchSize = 10;
    try {
      const running = runJobsUntilIdle(t.deps);
      let view = (await ws.admin.get<ImportView>(`/api/v1/imports/${upload.body.id}`)).body;
      while (view.processed === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        view = (await ws.admin.get<ImportView>(`/api/v1/imports/${upload.body.id}`)).body;
      }
      expect(view.status).toBe('running');
      expect((await ws.admin.post<ImportView>(`/api/v1/imports/${upload.body.id}/cancel`)).body.status).toBe('cancelled');
      await running;
    } finally {
      importTuning.batchSize = batchSize;
    }
    const done = (await ws.admin.get<ImportView>(`/api/v1/imports/${upload.body.id}`)).body;
    expect(done.status).toBe('cancelled');
    expect(done.processed).toBeGreaterThan(0);
    expect(done.processed).toBeLessThan(200);
    expect((await ws.admin.get<{ total: number }>('/api/v1/customers?count=true&limit=1')).body.total).toBe(done.processed);
    // What was committed before the cancel still went through the indexing stage.
    const indexed = await t.deps.db
      .selectFrom('searchDocs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspaceId', '=', ws.workspaceId)
      .where('entity', '=', 'customer')
      .executeTakeFirstOrThrow();
    expect(Number(indexed.n)).toBe(done.processed);
    const job = (await ws.admin.get<Page>('/api/v1/jobs?kind=import')).body.data[0];
    expect(job).toMatchObject({ status: 'cancelled' });
  });

  it('refuses files it cannot read', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]);
    expectProblem(await uploadImport(ws.admin, 'old.xls', xls), 415, 'unsupported_media_type');
    expectProblem(await uploadImport(ws.admin, 'empty.csv', Buffer.from('')), 400, 'validation_failed');
    expectProblem(await uploadImport(ws.admin, 'blank.csv', Buffer.from('\r\n\r\n')), 400, 'validation_failed');
    const none = await ws.admin.request('POST', '/api/v1/imports', Buffer.from('--b\r\nContent-Disposition: form-data; name="entity"\r\n\r\ncustomer\r\n--b--\r\n'), { 'content-type': 'multipart/form-data; boundary=b' });
    expectProblem(none, 400, 'validation_failed');
  });
});
