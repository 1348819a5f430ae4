import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface Page {
  data: Json[];
  nextCursor: string | null;
  total?: number;
}

describe('contacts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates, edits (If-Match), keeps one primary in step with the customer, and soft-deletes', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customer = await ws.admin.post('/api/v1/customers', { name: '好客科技' });
    const customerId = String(customer.body.id);

    const first = await ws.admin.post('/api/v1/contacts', { customerId, name: '张三', phone: '+86 138-1234-5678', email: 'Zhang.San@Example.com', title: '采购经理' });
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe(`/api/v1/contacts/${String(first.body.id)}`);
    // The first contact of a customer without a primary becomes its primary.
    expect(first.body).toMatchObject({ customerId, customerName: '好客科技', ownerId: ws.adminId, name: '张三', email: 'zhang.san@example.com', isPrimary: true, isDecisionMaker: false, access: { edit: true, delete: true }, version: 1 });
    const firstId = String(first.body.id);
    const keys = await t.deps.db.selectFrom('contacts').select(['phoneKey', 'emailKey']).where('id', '=', firstId).executeTakeFirstOrThrow();
    expect(keys).toEqual({ phoneKey: '13812345678', emailKey: 'zhang.san@example.com' });
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body).toMatchObject({ primaryContactId: firstId, primaryContactName: '张三' });

    const second = await ws.admin.post('/api/v1/contacts', { customerId, name: '李四', isPrimary: true, isDecisionMaker: true });
    expect(second.body).toMatchObject({ isPrimary: true, isDecisionMaker: true });
    const secondId = String(second.body.id);
    const listed = await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${customerId}/contacts`);
    expect(listed.body.data.map((c) => [c.name, c.isPrimary])).toEqual([
      ['李四', true],
      ['张三', false],
    ]);
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body.primaryContactId).toBe(secondId);

    // Back to the first as primary, by an edit with the right version; a stale version is refused.
    const edited = await ws.admin.patch(`/api/v1/contacts/${firstId}`, { isPrimary: true, department: '采购部' }, { 'if-match': '1' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ isPrimary: true, department: '采购部', version: 2 });
    expectProblem(await ws.admin.patch(`/api/v1/contacts/${firstId}`, { remark: 'late' }, { 'if-match': '1' }), 412, 'version_mismatch');
    expect((await ws.admin.get(`/api/v1/contacts/${secondId}`)).body.isPrimary).toBe(false);
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body.primaryContactId).toBe(firstId);

    // Un-marking the primary leaves the customer without one.
    await ws.admin.patch(`/api/v1/contacts/${firstId}`, { isPrimary: false });
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body).toMatchObject({ primaryContactId: null, primaryContactName: null });
    await ws.admin.patch(`/api/v1/contacts/${secondId}`, { isPrimary: true });

    // Deleting the primary: soft (deleted_at), gone from lists, the customer has no primary.
    expect((await ws.admin.delete(`/api/v1/contacts/${secondId}`)).status).toBe(204);
    expectProblem(await ws.admin.get(`/api/v1/contacts/${secondId}`), 404, 'not_found');
    const row = await t.deps.db.selectFrom('contacts').select(['deletedAt']).where('id', '=', secondId).executeTakeFirstOrThrow();
    expect(row.deletedAt).not.toBeNull();
    expect((await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${customerId}/contacts`)).body.data.map((c) => c.name)).toEqual(['张三']);
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body.primaryContactId).toBeNull();

    const history = await t.deps.db.selectFrom('timelineEvents').select(['kind', 'entity', 'recordId']).where('customerId', '=', customerId).where('kind', '=', 'contact_added').execute();
    expect(history.map((h) => h.recordId).sort()).toEqual([firstId, secondId].sort());
    expect(history.every((h) => h.entity === 'contact')).toBe(true);
  });

  it('validates input: 400 for bad fields, unknown customers and custom values', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customerId = String((await ws.admin.post('/api/v1/customers', { name: 'C' })).body.id);
    await ws.admin.post('/api/v1/custom-fields/contact', { key: 'birthday', label: 'Birthday', type: 'date' });
    expectProblem(await ws.admin.post('/api/v1/contacts', { customerId }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/contacts', { customerId, name: 'X', email: 'not-an-email' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/contacts', { customerId, name: 'X', phone: 'call me' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/contacts', { customerId, name: 'X', ownerId: ws.adminId }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/contacts', { customerId: '0190a000-0000-7000-8000-000000000000', name: 'X' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/contacts', { customerId, name: 'X', custom: { birthday: 'yesterday' } }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/contacts', { customerId, name: 'X', custom: { nope: 1 } }), 400, 'validation_failed');
    const ok = await ws.admin.post('/api/v1/contacts', { customerId, name: 'X', custom: { birthday: '1990-05-01' } });
    expect(ok.status).toBe(201);
    expect(ok.body.custom).toEqual({ birthday: '1990-05-01' });
    expectProblem(await ws.admin.patch(`/api/v1/contacts/${String(ok.body.id)}`, {}), 400, 'validation_failed');
    expectProblem(await ws.admin.patch(`/api/v1/contacts/${String(ok.body.id)}`, { name: 'Y' }, { 'if-match': 'abc' }), 400, 'validation_failed');
  });

  it('lists with filters, q search on name / phone digits / email, custom fields, sort, keyset pages and counts', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/contact', { key: 'seniority', label: 'Seniority', type: 'number' });
    const a = String((await ws.admin.post('/api/v1/customers', { name: 'Alpha' })).body.id);
    const b = String((await ws.admin.post('/api/v1/customers', { name: 'Beta' })).body.id);
    for (let i = 0; i < 7; i += 1) {
      const res = await ws.admin.post('/api/v1/contacts', {
        customerId: i % 2 ? a : b,
        name: `Person ${i}`,
        phone: `139-0000-${String(1000 + i)}`,
        email: `p${i}@Corp${i % 2}.cn`,
        isDecisionMaker: i < 2,
        custom: { seniority: i },
      });
      expect(res.status).toBe(201);
    }
    const byCustomer = await ws.admin.get<Page>(`/api/v1/contacts?customerId=${a}&sort=name&count=true`);
    expect(byCustomer.body.data.map((c) => c.name)).toEqual(['Person 1', 'Person 3', 'Person 5']);
    expect(byCustomer.body.total).toBe(3);
    expect((await ws.admin.get<Page>('/api/v1/contacts?q=00001004')).body.data.map((c) => c.name)).toEqual(['Person 4']);
    expect((await ws.admin.get<Page>('/api/v1/contacts?q=CORP1&sort=name')).body.data.map((c) => c.name)).toEqual(['Person 1', 'Person 3', 'Person 5']);
    expect((await ws.admin.get<Page>('/api/v1/contacts?q=person%206')).body.data.map((c) => c.name)).toEqual(['Person 6']);
    expect((await ws.admin.get<Page>('/api/v1/contacts?isDecisionMaker=true&sort=name')).body.data.map((c) => c.name)).toEqual(['Person 0', 'Person 1']);
    expect((await ws.admin.get<Page>('/api/v1/contacts?cf.seniority[gte]=4&sort=-cf.seniority')).body.data.map((c) => c.name)).toEqual(['Person 6', 'Person 5', 'Person 4']);
    expect((await ws.admin.get<Page>(`/api/v1/contacts?isPrimary=true&sort=name`)).body.data.map((c) => c.customerId).sort()).toEqual([a, b].sort());

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/contacts?limit=3&sort=name${cursor ? `&cursor=${cursor}` : ''}`;
      const res: { body: Page } = await ws.admin.get<Page>(url);
      seen.push(...res.body.data.map((c) => String(c.name)));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `Person ${i}`));

    expectProblem(await ws.admin.get('/api/v1/contacts?nope=1'), 400, 'unknown_filter');
    expectProblem(await ws.admin.get('/api/v1/contacts?sort=phone'), 400, 'unknown_filter');
    expectProblem(await ws.admin.get('/api/v1/contacts?limit=500'), 400, 'unknown_filter');
  });

  it("scopes a sales rep to contacts of own and shared customers (404 otherwise), and checks the customer on create", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const mine = String((await repClient.post('/api/v1/customers', { name: 'Mine' })).body.id);
    const readShared = String((await ws.admin.post('/api/v1/customers', { name: 'Read shared' })).body.id);
    const writeShared = String((await ws.admin.post('/api/v1/customers', { name: 'Write shared' })).body.id);
    const other = String((await ws.admin.post('/api/v1/customers', { name: 'Other' })).body.id);
    await ws.admin.request('PUT', `/api/v1/customers/${readShared}/collaborators`, { collaborators: [{ userId: rep.id, access: 'read' }] });
    await ws.admin.request('PUT', `/api/v1/customers/${writeShared}/collaborators`, { collaborators: [{ userId: rep.id, access: 'write' }] });
    const ids: Record<string, string> = {};
    for (const [name, customerId] of Object.entries({ mine, readShared, writeShared, other })) {
      const res = await ws.admin.post('/api/v1/contacts', { customerId, name: `${name} contact` });
      ids[name] = String(res.body.id);
    }
    expect((await t.deps.db.selectFrom('contacts').select('ownerId').where('id', '=', ids.mine ?? '').executeTakeFirstOrThrow()).ownerId).toBe(rep.id);

    const list = await repClient.get<Page>('/api/v1/contacts?sort=name');
    expect(list.body.data.map((c) => c.name)).toEqual(['mine contact', 'readShared contact', 'writeShared contact']);
    expect(list.body.data.map((c) => c.access)).toEqual([
      { edit: true, delete: true },
      { edit: false, delete: false },
      { edit: true, delete: false },
    ]);
    expectProblem(await repClient.get(`/api/v1/contacts/${ids.other}`), 404, 'not_found');
    expectProblem(await repClient.get(`/api/v1/customers/${other}/contacts`), 404, 'not_found');
    expectProblem(await repClient.patch(`/api/v1/contacts/${ids.other}`, { remark: 'x' }), 404, 'not_found');
    expectProblem(await repClient.delete(`/api/v1/contacts/${ids.other}`), 404, 'not_found');
    expect((await repClient.get<Page>(`/api/v1/contacts?customerId=${other}`)).body.data).toEqual([]);

    expectProblem(await repClient.patch(`/api/v1/contacts/${ids.readShared}`, { remark: 'x' }), 403, 'forbidden');
    expect((await repClient.patch(`/api/v1/contacts/${ids.writeShared}`, { remark: 'edited by collaborator' })).status).toBe(200);
    expectProblem(await repClient.delete(`/api/v1/contacts/${ids.writeShared}`), 403, 'forbidden');

    // Create: the customer must be visible (else it does not exist: 400) and editable (else 403).
    expect((await repClient.post('/api/v1/contacts', { customerId: mine, name: 'New' })).status).toBe(201);
    expect((await repClient.post('/api/v1/contacts', { customerId: writeShared, name: 'New' })).status).toBe(201);
    expectProblem(await repClient.post('/api/v1/contacts', { customerId: readShared, name: 'New' }), 403, 'forbidden');
    expectProblem(await repClient.post('/api/v1/contacts', { customerId: other, name: 'New' }), 400, 'validation_failed');

    // A role without contact permissions is refused at the door.
    const outsider = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }]);
    expectProblem(await outsider.session.get('/api/v1/contacts'), 403, 'forbidden');
    expectProblem(await outsider.session.get(`/api/v1/customers/${mine}/contacts`), 403, 'forbidden');
  });

  it('hides and masks fields by field rule, in lists and details, and refuses writes to them', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/contact', { key: 'mobile2', label: 'Second mobile', type: 'phone' });
    const viewer = await createUserWithGrants(
      t.app,
      ws.admin,
      [
        { entity: 'customer', action: 'view' },
        { entity: 'contact', action: 'view' },
        { entity: 'contact', action: 'edit' },
        { entity: 'customer', action: 'create' },
      ],
      [
        { entity: 'contact', field: 'phone', access: 'read', masked: true },
        { entity: 'contact', field: 'email', access: 'read', masked: true },
        { entity: 'contact', field: 'remark', access: 'hidden' },
        { entity: 'contact', field: 'cf.mobile2', access: 'read', masked: true },
      ],
    );
    const customerId = String((await ws.admin.post('/api/v1/customers', { name: 'Masked Co' })).body.id);
    const created = await ws.admin.post('/api/v1/contacts', { customerId, name: '王五', phone: '13812341234', email: 'wangwu@example.com', remark: 'secret', custom: { mobile2: '13900001111' } });
    const id = String(created.body.id);

    const detail = await viewer.session.get(`/api/v1/contacts/${id}`);
    expect(detail.body).toMatchObject({ phone: '138****1234', email: 'w***@example.com', custom: { mobile2: '139****1111' } });
    expect(detail.body).not.toHaveProperty('remark');
    const list = await viewer.session.get<Page>('/api/v1/contacts');
    expect(list.body.data[0]).toMatchObject({ phone: '138****1234', email: 'w***@example.com' });
    expect(list.body.data[0]).not.toHaveProperty('remark');
    const byCustomer = await viewer.session.get<{ data: Json[] }>(`/api/v1/customers/${customerId}/contacts`);
    expect(byCustomer.body.data[0]?.phone).toBe('138****1234');

    expectProblem(await viewer.session.patch(`/api/v1/contacts/${id}`, { phone: '13700000000' }), 403, 'field_forbidden');
    expectProblem(await viewer.session.patch(`/api/v1/contacts/${id}`, { custom: { mobile2: '13700000000' } }), 403, 'field_forbidden');
    // A new customer's first contact is a contact too: its field rules apply there.
    expectProblem(await viewer.session.post('/api/v1/customers', { name: 'With contact Co', contact: { name: '赵一', phone: '13700000001' } }), 403, 'field_forbidden');
    expect((await viewer.session.post('/api/v1/customers', { name: 'With contact Co', contact: { name: '赵一' } })).status).toBe(201);
    expectProblem(await viewer.session.get('/api/v1/contacts?remark=secret'), 400, 'unknown_filter');
    // A masked phone or email matches a list's q or filter only as a whole: fragments would reveal it digit by digit.
    const found = async (query: string) => (await viewer.session.get<Page>(`/api/v1/contacts?${query}`)).body.data.map((c) => c.id);
    expect(await found('q=1234')).toEqual([]);
    expect(await found('q=wangwu')).toEqual([]);
    expect(await found('q=13812341234')).toEqual([id]);
    expect(await found('q=WangWu@Example.com')).toEqual([id]);
    expect(await found('phone=13812341234')).toEqual([id]);
    expectProblem(await viewer.session.get('/api/v1/contacts?phone[contains]=1234'), 400, 'unknown_filter');
    expectProblem(await viewer.session.get('/api/v1/contacts?email[contains]=wang'), 400, 'unknown_filter');
    // Unmasked, the same fragments find it.
    expect((await ws.admin.get<Page>('/api/v1/contacts?q=1234')).body.data.map((c) => c.id)).toEqual([id]);
    expect((await ws.admin.get<Page>('/api/v1/contacts?phone[contains]=1234')).body.data.map((c) => c.id)).toEqual([id]);
    expect((await viewer.session.patch(`/api/v1/contacts/${id}`, { department: 'Sales' })).status).toBe(200);
    // The edit left the masked values as they were.
    expect((await ws.admin.get(`/api/v1/contacts/${id}`)).body).toMatchObject({ phone: '13812341234', remark: 'secret', department: 'Sales' });
  });

  it("answers 404 for another workspace's contacts and customers", async () => {
    const a = await createWorkspaceWithAdmin(t, 'A');
    const b = await createWorkspaceWithAdmin(t, 'B');
    const customerId = String((await a.admin.post('/api/v1/customers', { name: 'A Co' })).body.id);
    const contactId = String((await a.admin.post('/api/v1/contacts', { customerId, name: 'A person' })).body.id);
    expectProblem(await b.admin.get(`/api/v1/contacts/${contactId}`), 404, 'not_found');
    expectProblem(await b.admin.patch(`/api/v1/contacts/${contactId}`, { name: 'Stolen' }), 404, 'not_found');
    expectProblem(await b.admin.delete(`/api/v1/contacts/${contactId}`), 404, 'not_found');
    expectProblem(await b.admin.get(`/api/v1/customers/${customerId}/contacts`), 404, 'not_found');
    expectProblem(await b.admin.post('/api/v1/contacts', { customerId, name: 'Sneaky' }), 400, 'validation_failed');
    expect((await b.admin.get<Page>(`/api/v1/contacts?customerId=${customerId}`)).body.data).toEqual([]);
    expect((await a.admin.get(`/api/v1/contacts/${contactId}`)).body.name).toBe('A person');
  });

  it('keeps global search in step: a new contact is found, an edited one by its new name, a deleted one no more', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customer = await ws.admin.post<Json>('/api/v1/customers', { name: '搜索测试公司' });
    const created = await ws.admin.post<Json>('/api/v1/contacts', { customerId: customer.body.id, name: '欧阳娜娜', phone: '13700001234' });
    expect(created.status).toBe(201);
    const names = async (q: string) =>
      (await ws.admin.get<{ contacts: { name: string }[] }>(`/api/v1/search?q=${encodeURIComponent(q)}`)).body.contacts.map((c) => c.name);
    expect(await names('欧阳')).toEqual(['欧阳娜娜']);
    expect(await names('0001234')).toEqual(['欧阳娜娜']);
    await ws.admin.patch(`/api/v1/contacts/${String(created.body.id)}`, { name: '司马娜娜' });
    expect(await names('欧阳')).toEqual([]);
    expect(await names('司马')).toEqual(['司马娜娜']);
    await ws.admin.delete(`/api/v1/contacts/${String(created.body.id)}`);
    expect(await names('司马')).toEqual([]);
  });
});
