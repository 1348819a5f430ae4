import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type TestApp } from '../../testing/test-app';
import { uploadImport } from './imports.fixtures';
import { importAdapter } from './imports.registry';
import './imports.entities';

interface Upload {
  guesses: Record<string, string>;
  columns: { index: number; header: string }[];
}

const entities = ['customer', 'contact', 'lead', 'product'] as const;

async function template(client: Client, entity: string, format: 'csv' | 'xlsx') {
  const res = await client.request('GET', `/api/v1/imports/template?entity=${entity}&format=${format}`);
  expect(res.status, res.raw.body.slice(0, 500)).toBe(200);
  return { headers: res.headers, text: res.raw.body, rawPayload: res.raw.rawPayload };
}

/** The first sheet's header row of an xlsx, and the instructions sheet's rows. */
async function readXlsx(content: Buffer): Promise<{ book: ExcelJS.Workbook; headers: string[]; help: string[][] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(content as unknown as ArrayBuffer);
  const [first, second] = book.worksheets;
  const headers = ((first?.getRow(1).values ?? []) as unknown[]).slice(1).map(String);
  const help: string[][] = [];
  second?.eachRow((row) => help.push(((row.values ?? []) as unknown[]).slice(1).map((v) => (typeof v === 'string' ? v : ''))));
  return { book, headers, help };
}

describe('import templates (下载导入模板)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives every entity a file whose every column the mapping step recognises, in Chinese and in English', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    expect((await ws.admin.post('/api/v1/custom-fields/customer', { key: 'region', label: '区域', type: 'singleSelect', options: [{ value: 'east', label: '华东' }] })).status).toBe(201);
    for (const locale of ['zh-CN', 'en'] as const) {
      expect((await ws.admin.patch('/api/v1/auth/me', { locale })).status).toBe(200);
      for (const entity of entities) {
        const adapter = importAdapter(entity);
        const fields = [...(adapter?.templateFields ?? adapter?.fields ?? []), ...(entity === 'customer' ? ['cf.region'] : [])];
        const csv = await template(ws.admin, entity, 'csv');
        expect(String(csv.headers['content-type'])).toContain('text/csv');
        expect(String(csv.headers['content-disposition'])).toContain(locale === 'zh-CN' ? encodeURIComponent('导入模板') : 'import%20template');
        const text = csv.text;
        expect(text.startsWith('\ufeff')).toBe(true);
        const headers = text.slice(1).trim().split(',');
        expect(headers).toHaveLength(fields.length);
        // Uploaded back with a row, every column is guessed to the field it was made for.
        const row = headers.map(() => '');
        row[0] = 'x';
        const uploaded = await uploadImport<Upload>(ws.admin, `${entity}.csv`, Buffer.from(`${text}${row.join(',')}\r\n`, 'utf8'), entity);
        expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
        expect(Object.keys(uploaded.body.guesses), `${locale} ${entity}: ${JSON.stringify(uploaded.body.columns.map((c) => c.header))}`).toHaveLength(fields.length);
        expect(Object.values(uploaded.body.guesses)).toEqual(fields);

        const xlsx = await template(ws.admin, entity, 'xlsx');
        expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
        const read = await readXlsx(xlsx.rawPayload);
        expect(read.headers).toEqual(headers);
        // The instructions sheet: one line per column (after its header row).
        expect(read.help.slice(1, fields.length + 1).map((r) => r[0])).toEqual(headers.map((h) => h.replace(/\*$/, '')));
        const sheet = read.book.worksheets[0];
        sheet?.addRow(row.map((c, i) => (i === 0 ? 'x' : c)));
        const filled = Buffer.from(await read.book.xlsx.writeBuffer());
        const back = await uploadImport<Upload>(ws.admin, `${entity}.xlsx`, filled, entity);
        expect(back.status, JSON.stringify(back.body)).toBe(201);
        expect(Object.values(back.body.guesses)).toEqual(fields);
      }
    }
    // What each column takes: the workspace's options, the custom field's options, the required marker.
    const { book, headers, help } = await readXlsx((await template(ws.admin, 'customer', 'xlsx')).rawPayload);
    expect(headers[0]).toBe('Customer name*');
    const hintOf = (column: string) => help.find((r) => r[0] === column)?.[2] ?? '';
    expect(hintOf('Level')).toContain('A (key account)');
    expect(hintOf('区域')).toContain('华东');
    expect(hintOf('Owner')).toContain('email');
    // Option columns are dropdowns over a hidden sheet of their values (another value only warns).
    const options = book.getWorksheet('Options');
    expect(options?.state).toBe('hidden');
    const listOf = (header: string) => {
      const cell = book.worksheets[0]?.getRow(2).getCell(headers.indexOf(header) + 1);
      const rule = cell?.dataValidation;
      const range = /^'Options'!\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)$/.exec(String(rule?.formulae[0] ?? ''));
      expect(rule, header).toMatchObject({ type: 'list', allowBlank: true, errorStyle: 'warning' });
      const column = options?.getColumn(range?.[1] ?? 'A');
      return ((column?.values ?? []) as unknown[]).slice(2, Number(range?.[2] ?? 0) + 1);
    };
    expect(listOf('Level')).toEqual(['A (key account)', 'B (regular)', 'C (low priority)', 'D (unrated)']);
    expect(listOf('区域')).toEqual(['华东']);
    expect(book.worksheets[0]?.getRow(2).getCell(headers.indexOf('Phone') + 1).dataValidation).toBeUndefined();
  });

  it('leaves out the columns a user may not fill, and is refused without the import permission', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const masked = await createUserWithGrants(
      t.app,
      ws.admin,
      [
        { entity: 'customer', action: 'view' },
        { entity: 'customer', action: 'create' },
        { entity: 'customer', action: 'import' },
        { entity: 'contact', action: 'view' },
      ],
      [
        { entity: 'customer', field: 'email', access: 'read', masked: true },
        { entity: 'contact', field: 'phone', access: 'hidden' },
      ],
    );
    const csv = (await template(masked.session, 'customer', 'csv')).text;
    const headers = csv.slice(1).trim().split(',');
    expect(headers).toContain('Customer name*');
    expect(headers).toContain('Phone');
    expect(headers).not.toContain('Email');
    expect(headers).not.toContain('Contact phone');

    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }]);
    expectProblem(await viewer.session.get('/api/v1/imports/template?entity=customer'), 403, 'forbidden');
    expectProblem(await ws.admin.get('/api/v1/imports/template?entity=deal'), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/imports/template?entity=customer&format=pdf'), 400, 'validation_failed');
  });
});
