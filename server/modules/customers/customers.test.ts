import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface Page {
  data: Json[];
  nextCursor: string | null;
  total?: number;
}

describe('customers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates, reads, edits with history, and deletes to the recycle bin', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const created = await ws.admin.post('/api/v1/customers', {
      name: '上海好客科技有限公司',
      phone: '138-1234-5678',
      level: 'A',
      source: 'web',
      contact: { name: '张三', phone: '13900001111' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '上海好客科技有限公司', level: 'A', ownerId: ws.adminId, primaryContactName: '张三', dealStatus: 'none', locked: false });
    const id = String(created.body.id);

    const bad = await ws.admin.post('/api/v1/customers', { name: 'X', level: 'Z' });
    expect(bad.status).toBe(400);

    const edited = await ws.admin.patch(`/api/v1/customers/${id}`, { level: 'B' }, { 'if-match': String(created.body.version) });
    expect(edited.status).toBe(200);
    expect(edited.body.level).toBe('B');
    const stale = await ws.admin.patch(`/api/v1/customers/${id}`, { level: 'C' }, { 'if-match': String(created.body.version) });
    expect(stale.status).toBe(412);

    const history = await t.deps.db.selectFrom('timelineEvents').select(['kind', 'data']).where('customerId', '=', id).orderBy('createdAt').orderBy('id').execute();
    // The first contact, made with the customer, is on the timeline like one added later.
    expect(history.map((h) => h.kind)).toEqual(['created', 'contact_added', 'field_change']);

    expect((await ws.admin.delete(`/api/v1/customers/${id}`)).status).toBe(204);
    expect((await ws.admin.get(`/api/v1/customers/${id}`)).status).toBe(404);
    const bin = await ws.admin.get<Page>('/api/v1/customers?deleted=true');
    expect(bin.body.data.map((c) => c.id)).toEqual([id]);
    expect((await ws.admin.post(`/api/v1/customers/${id}/restore`)).status).toBe(200);
    expect((await ws.admin.get(`/api/v1/customers/${id}`)).status).toBe(200);
  });

  it('filters and sorts on custom fields, pages with keyset cursors, counts', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const field = await ws.admin.post('/api/v1/custom-fields/customer', { key: 'employees', label: 'Employees', type: 'number' });
    expect(field.status).toBe(201);
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'region', label: 'Region', type: 'singleSelect', options: [{ value: 'east', label: 'East' }, { value: 'west', label: 'West' }] });
    for (let i = 0; i < 12; i += 1) {
      const res = await ws.admin.post('/api/v1/customers', { name: `Co ${i}`, custom: { employees: i * 10, region: i % 2 ? 'east' : 'west' } });
      expect(res.status).toBe(201);
    }
    const rejected = await ws.admin.post('/api/v1/customers', { name: 'Bad', custom: { employees: 'many' } });
    expect(rejected.status).toBe(400);

    const filtered = await ws.admin.get<Page>('/api/v1/customers?cf.employees[gte]=50&cf.region=east&sort=-cf.employees&count=true');
    expect(filtered.status).toBe(200);
    expect(filtered.body.data.map((c) => (c.custom as Json).employees)).toEqual([110, 90, 70, 50]);
    expect(filtered.body.total).toBe(4);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/customers?limit=5&sort=cf.employees${cursor ? `&cursor=${cursor}` : ''}`;
      const res: { body: Page } = await ws.admin.get<Page>(url);
      seen.push(...res.body.data.map((c) => String(c.name)));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `Co ${i}`));

    expect((await ws.admin.get('/api/v1/customers?nope=1')).status).toBe(400);
    expect((await ws.admin.get('/api/v1/customers?cf.employees[contains]=1')).status).toBe(400);
  });

  it('scopes a sales rep to own and shared customers, and masks phones by field rule', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const mine = await repClient.post('/api/v1/customers', { name: 'Mine', phone: '13812341234' });
    expect(mine.status).toBe(201);
    const other = await ws.admin.post('/api/v1/customers', { name: 'Not mine' });
    const shared = await ws.admin.post('/api/v1/customers', { name: 'Shared' });
    await ws.admin.request('PUT', `/api/v1/customers/${String(shared.body.id)}/collaborators`, { collaborators: [{ userId: rep.id, access: 'read' }] });

    const list = await repClient.get<Page>('/api/v1/customers?sort=name');
    expect(list.body.data.map((c) => c.name)).toEqual(['Mine', 'Shared']);
    expect((await repClient.get(`/api/v1/customers/${String(other.body.id)}`)).status).toBe(404);
    const sharedView = await repClient.get(`/api/v1/customers/${String(shared.body.id)}`);
    expect(sharedView.body.access).toEqual({ edit: false, delete: false, transfer: false });
    expect((await repClient.patch(`/api/v1/customers/${String(shared.body.id)}`, { remark: 'x' })).status).toBe(403);

    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, { fieldRules: [{ entity: 'customer', field: 'phone', access: 'read', masked: true }] });
    const masked = await repClient.get(`/api/v1/customers/${String(mine.body.id)}`);
    expect(masked.body.phone).toBe('138****1234');
    // Nor can a filter read it piece by piece: in a list, a count, a bulk action or an export.
    expectProblem(await repClient.get('/api/v1/customers?count=true&phone[contains]=1234'), 400, 'unknown_filter');
    expectProblem(await repClient.get('/api/v1/customers?phone[gte]=13812341234'), 400, 'unknown_filter');
    expectProblem(await repClient.post('/api/v1/customers/bulk', { action: 'setLevel', level: 'B', filter: { 'phone[contains]': '1234' } }), 400, 'unknown_filter');
    expectProblem(await repClient.post('/api/v1/exports', { entity: 'customer', format: 'csv', filter: { 'phone[contains]': '1234' } }), 400, 'unknown_filter');
    expect((await repClient.get<Page>('/api/v1/customers?phone=13812341234')).body.data.map((c) => c.name)).toEqual(['Mine']);
    // A date that does not exist is a 400 naming the filter, never a server error or a rolled-over day.
    for (const bad of ['lastFollowupAt[gte]=2026-13-01', 'createdAt[lt]=2026-02-30', 'nextFollowupAt[lte]=99999-01-01', 'level[empty]=maybe']) {
      expectProblem(await ws.admin.get(`/api/v1/customers?${bad}`), 400, 'unknown_filter');
    }
  });

  it('keeps a locked customer: no delete offered (access.delete false) and a delete refused until unlocked', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const id = String((await ws.admin.post('/api/v1/customers', { name: '锁定测试' })).body.id);
    expect((await ws.admin.post(`/api/v1/customers/${id}/lock`)).body).toMatchObject({ locked: true, access: { delete: false, edit: true } });
    expect((await ws.admin.get<Page>('/api/v1/customers')).body.data.find((c) => c.id === id)?.access).toMatchObject({ delete: false });
    expectProblem(await ws.admin.delete(`/api/v1/customers/${id}`), 422, 'business_rule');
    expect((await ws.admin.post(`/api/v1/customers/${id}/unlock`)).body).toMatchObject({ locked: false, access: { delete: true } });
    expect((await ws.admin.delete(`/api/v1/customers/${id}`)).status).toBe(204);
  });

  it('applies field rules to custom fields (cf.<key>): hidden and masked like built-in ones', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'secret_note', label: 'Secret', type: 'text' });
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'mobile2', label: 'Mobile 2', type: 'phone' });
    const catalog = await ws.admin.get<{ entities: { key: string; fields: { key: string; maskable: boolean; label?: string }[] }[] }>('/api/v1/permissions/catalog');
    const customerFields = catalog.body.entities.find((e) => e.key === 'customer')?.fields ?? [];
    expect(customerFields).toContainEqual({ key: 'cf.mobile2', maskable: true, label: 'Mobile 2' });

    const role = await ws.admin.post('/api/v1/roles', {
      name: 'Limited viewer',
      permissions: [{ entity: 'customer', action: 'view', scope: 'all' }],
      fieldRules: [
        { entity: 'customer', field: 'cf.secret_note', access: 'hidden' },
        { entity: 'customer', field: 'cf.mobile2', access: 'read', masked: true },
      ],
    });
    expect(role.status).toBe(201);
    const viewer = await createUser(t.app, ws.admin, { roleIds: [String(role.body.id)] });
    const created = await ws.admin.post('/api/v1/customers', { name: 'Cf Co', custom: { secret_note: 'top secret', mobile2: '13912345678' } });
    const seen = await (await viewer.client()).get(`/api/v1/customers/${String(created.body.id)}`);
    expect(seen.body.custom).toEqual({ mobile2: '139****5678' });
    const filterHidden = await (await viewer.client()).get('/api/v1/customers?cf.secret_note=top');
    expect(filterHidden.status).toBe(400);
  });
});
