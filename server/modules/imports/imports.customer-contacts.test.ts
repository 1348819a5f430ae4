import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { csvText, uploadImport } from './imports.fixtures';

/** A customer file's 联系人 columns give each customer its primary contact (imports.customer-contacts.ts). */

interface Upload {
  id: string;
  guesses: Record<string, string>;
  fields: string[];
}

interface Preview {
  rows: { rowNumber: number; errors: { field: string; message: string }[]; action: string }[];
}

interface ImportView {
  status: string;
  created: number;
  updated: number;
  failed: number;
}

interface Contact {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  title: string | null;
  wechat: string | null;
  isPrimary: boolean;
  ownerId: string | null;
}

interface Customer {
  id: string;
  name: string;
  phone: string | null;
  ownerId: string | null;
  primaryContactId: string | null;
  primaryContactName: string | null;
}

async function upload(client: Client, rows: readonly (readonly string[])[]): Promise<Upload> {
  const res = await uploadImport<Upload>(client, '客户.csv', Buffer.from(csvText(rows), 'utf8'));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function run(t: TestApp, client: Client, file: Upload, duplicateMode: string): Promise<ImportView> {
  const started = await client.post<ImportView>(`/api/v1/imports/${file.id}/start`, { mapping: file.guesses, duplicateMode });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await runJobsUntilIdle(t.deps);
  return (await client.get<ImportView>(`/api/v1/imports/${file.id}`)).body;
}

async function customerNamed(client: Client, name: string): Promise<Customer> {
  const res = await client.get<{ data: Customer[] }>(`/api/v1/customers?name=${encodeURIComponent(name)}`);
  expect(res.body.data, name).toHaveLength(1);
  return res.body.data[0] as Customer;
}

async function contactsOf(client: Client, customerId: string): Promise<Contact[]> {
  const res = await client.get<{ data: Contact[] }>(`/api/v1/contacts?customerId=${customerId}&limit=50`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.sort((a, b) => a.name.localeCompare(b.name));
}

describe('customer import with contact columns', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('guesses the 联系人 columns, gives new customers a primary contact, and reports bad contact cells per row', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const file = await upload(ws.admin, [
      ['客户名称', '联系电话', '联系人', '联系人手机', '联系人邮箱', '职务', '微信'],
      ['甲子科技有限公司', '021-55550001', '张三丰', '138 0013 9001', 'zhang@jiazi.example', '采购经理', 'zsf_wx'],
      ['乙丑贸易有限公司', '021-55550002', '', '', '', '', ''],
      ['丙寅实业', '', '', '13800139003', '', '', ''],
      ['丁卯物流', '', '李四', '', 'not-an-email', '', ''],
      ['甲子科技有限公司', '', '王五', '13800139005', '', '', ''],
    ]);
    expect(file.fields).toEqual(expect.arrayContaining(['contactName', 'contactPhone', 'contactEmail', 'contactTitle', 'contactWechat']));
    // 联系电话 stays the customer's own phone; 联系人手机 is the contact's.
    expect(file.guesses).toEqual({ '0': 'name', '1': 'phone', '2': 'contactName', '3': 'contactPhone', '4': 'contactEmail', '5': 'contactTitle', '6': 'contactWechat' });

    const preview = await ws.admin.post<Preview>(`/api/v1/imports/${file.id}/preview`, { mapping: file.guesses, duplicateMode: 'update' });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rows.map((r) => [r.rowNumber, r.action, r.errors.map((e) => e.field)])).toEqual([
      [2, 'create', []],
      [3, 'create', []],
      [4, 'fail', ['contactName']],
      [5, 'fail', ['contactEmail']],
      // The same customer again: in "update" mode it fills in the row above's pending customer.
      [6, 'update', []],
    ]);

    const done = await run(t, ws.admin, file, 'update');
    expect(done).toMatchObject({ status: 'done', created: 2, updated: 1, failed: 2 });

    const jiazi = await customerNamed(ws.admin, '甲子科技有限公司');
    expect(jiazi.phone).toBe('021-55550001');
    const contacts = await contactsOf(ws.admin, jiazi.id);
    expect(contacts.map((c) => [c.name, c.phone, c.isPrimary])).toEqual([
      ['张三丰', '138 0013 9001', true],
      ['王五', '13800139005', false],
    ]);
    const primary = contacts.find((c) => c.isPrimary);
    expect(primary).toMatchObject({ email: 'zhang@jiazi.example', title: '采购经理', wechat: 'zsf_wx', ownerId: jiazi.ownerId });
    expect(jiazi.primaryContactId).toBe(primary?.id);
    expect(jiazi.primaryContactName).toBe('张三丰');
    // A row without contact cells makes no contact.
    const yichou = await customerNamed(ws.admin, '乙丑贸易有限公司');
    expect(yichou.primaryContactId).toBeNull();
    expect(await contactsOf(ws.admin, yichou.id)).toEqual([]);
    // The failed rows wrote nothing.
    expect((await ws.admin.get<{ data: Json[] }>(`/api/v1/customers?name=${encodeURIComponent('丙寅实业')}`)).body.data).toEqual([]);

    // Searchable when the import ends: by the contact's name and by part of its phone.
    const byName = await ws.admin.get<{ contacts: { id: string }[] }>(`/api/v1/search?q=${encodeURIComponent('张三丰')}`);
    expect(byName.body.contacts.map((c) => c.id)).toEqual([primary?.id]);
    const byPhone = await ws.admin.get<{ contacts: { id: string }[] }>('/api/v1/search?q=00139005');
    expect(byPhone.body.contacts.map((c) => c.id)).toEqual(contacts.filter((c) => c.name === '王五').map((c) => c.id));
  });

  it('takes several people from one row: 联系人2 / 第三联系人 columns, the first primary, errors under the slot', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const file = await upload(ws.admin, [
      ['客户名称', '联系人1', '联系人1手机', '联系人2', '联系人2手机', '联系人2职务', '第三联系人', '第三联系人邮箱'],
      ['戊辰电子有限公司', '赵一', '13900000001', '钱二', '13900000002', '财务', '孙三', 'sun@wuchen.example'],
      ['己巳设计', '', '', '周四', '13900000004', '', '', ''],
      ['庚午食品', '吴五', '', '', '13900000006', '', '', ''],
      ['辛未建材', '郑六', '', '王七', '', '', '冯八', 'bad-email'],
    ]);
    expect(file.fields).toEqual(expect.arrayContaining(['contact2Name', 'contact3Email']));
    expect(file.guesses).toEqual({ '0': 'name', '1': 'contactName', '2': 'contactPhone', '3': 'contact2Name', '4': 'contact2Phone', '5': 'contact2Title', '6': 'contact3Name', '7': 'contact3Email' });

    const preview = await ws.admin.post<Preview>(`/api/v1/imports/${file.id}/preview`, { mapping: file.guesses, duplicateMode: 'skip' });
    expect(preview.body.rows.map((r) => [r.rowNumber, r.action, r.errors.map((e) => e.field)])).toEqual([
      [2, 'create', []],
      [3, 'create', []],
      [4, 'fail', ['contact2Name']],
      [5, 'fail', ['contact3Email']],
    ]);
    expect(await run(t, ws.admin, file, 'skip')).toMatchObject({ status: 'done', created: 2, failed: 2 });

    const wuchen = await customerNamed(ws.admin, '戊辰电子有限公司');
    const people = await contactsOf(ws.admin, wuchen.id);
    expect(people.map((c) => [c.name, c.phone, c.email, c.title, c.isPrimary])).toEqual(
      [
        ['赵一', '13900000001', null, null, true],
        ['钱二', '13900000002', null, '财务', false],
        ['孙三', null, 'sun@wuchen.example', null, false],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(wuchen.primaryContactName).toBe('赵一');
    // Only the second slot filled: that person is the customer's primary contact.
    const jisi = await customerNamed(ws.admin, '己巳设计');
    expect(jisi.primaryContactName).toBe('周四');
    // Every one of them is searchable when the import ends.
    const found = await ws.admin.get<{ contacts: { id: string }[] }>(`/api/v1/search?q=${encodeURIComponent('孙三')}`);
    expect(found.body.contacts.map((c) => c.id)).toEqual(people.filter((c) => c.name === '孙三').map((c) => c.id));

    // The template still lists one person's columns.
    const template = await ws.admin.get('/api/v1/imports/template?entity=customer&format=csv');
    expect(template.status).toBe(200);
    expect(template.raw.body).toContain('Contact phone');
    expect(template.raw.body).not.toMatch(/contact2|Contact 2 /i);
  });

  it('updates an existing customer’s contact of the same name, adds a new one as primary where there is none', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const withContact = await ws.admin.post<Customer>('/api/v1/customers', { name: '戊辰电子', contact: { name: '赵六', phone: '13900000006' } });
    expect(withContact.status).toBe(201);
    const without = await ws.admin.post<Customer>('/api/v1/customers', { name: '己巳食品' });
    expect(without.status).toBe(201);
    const before = (await contactsOf(ws.admin, withContact.body.id))[0];

    const file = await upload(ws.admin, [
      ['客户名称', '联系人', '联系人手机', '联系人职务'],
      ['戊辰电子', '赵六', '13900000007', '总经理'],
      ['己巳食品', '钱七', '13900000008', ''],
    ]);
    // "skip" leaves existing customers and their contacts alone.
    const skipped = await upload(ws.admin, [
      ['客户名称', '联系人', '联系人手机'],
      ['戊辰电子', '孙八', '13900000009'],
    ]);
    expect(await run(t, ws.admin, skipped, 'skip')).toMatchObject({ status: 'done', created: 0, updated: 0 });
    expect(await contactsOf(ws.admin, withContact.body.id)).toHaveLength(1);

    expect(await run(t, ws.admin, file, 'update')).toMatchObject({ status: 'done', created: 0, updated: 2, failed: 0 });
    const updated = await contactsOf(ws.admin, withContact.body.id);
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ id: before?.id, name: '赵六', phone: '13900000007', title: '总经理', isPrimary: true });
    const added = await contactsOf(ws.admin, without.body.id);
    expect(added.map((c) => [c.name, c.phone, c.isPrimary])).toEqual([['钱七', '13900000008', true]]);
    expect((await customerNamed(ws.admin, '己巳食品')).primaryContactId).toBe(added[0]?.id);
    // The search entry follows the edit.
    const hit = await ws.admin.get<{ contacts: { id: string }[] }>('/api/v1/search?q=13900000007');
    expect(hit.body.contacts.map((c) => c.id)).toEqual([before?.id]);
  });

  it('needs contact permissions to change existing customers’ contacts, and the contact field rules for its columns', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rows = [
      ['客户名称', '联系人', '联系人手机'],
      ['庚午建材', '周九', '13900000010'],
    ];
    const importer = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'customer', action: 'view' },
      { entity: 'customer', action: 'create' },
      { entity: 'customer', action: 'edit' },
      { entity: 'customer', action: 'import' },
    ]);
    const file = await upload(importer.session, rows);
    // New customers' first contacts come with creating them…
    expect((await importer.session.post(`/api/v1/imports/${file.id}/preview`, { mapping: file.guesses, duplicateMode: 'skip' })).status).toBe(200);
    // …changing existing customers' contacts needs contact:create and contact:edit, said before a job is queued.
    expectProblem(await importer.session.post(`/api/v1/imports/${file.id}/preview`, { mapping: file.guesses, duplicateMode: 'update' }), 403, 'forbidden');
    expectProblem(await importer.session.post(`/api/v1/imports/${file.id}/start`, { mapping: file.guesses, duplicateMode: 'update' }), 403, 'forbidden');

    // A contact phone the importer may only read (or sees masked) cannot be imported.
    const masked = await createUserWithGrants(
      t.app,
      ws.admin,
      [
        { entity: 'customer', action: 'view' },
        { entity: 'customer', action: 'create' },
        { entity: 'customer', action: 'import' },
        { entity: 'contact', action: 'view' },
      ],
      [{ entity: 'contact', field: 'phone', access: 'read', masked: true }],
    );
    const maskedFile = await upload(masked.session, rows);
    expectProblem(await masked.session.post(`/api/v1/imports/${maskedFile.id}/start`, { mapping: maskedFile.guesses, duplicateMode: 'skip' }), 403, 'field_forbidden');
    // Unmapping the column lets the rest through.
    const done = await run(t, masked.session, { ...maskedFile, guesses: { '0': 'name', '1': 'contactName' } }, 'skip');
    expect(done).toMatchObject({ status: 'done', created: 1 });
    const created = await customerNamed(ws.admin, '庚午建材');
    expect((await contactsOf(ws.admin, created.id)).map((c) => [c.name, c.phone])).toEqual([['周九', null]]);
  });
});
