import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface Page {
  data: Json[];
  nextCursor: string | null;
  total?: number;
}

describe('leads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates, reads, edits with history, deletes to the recycle bin and restores', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const created = await ws.admin.post('/api/v1/leads', { name: '王五', company: '杭州好客有限公司', phone: '138-1234-5678', email: 'Wang@Example.com', source: 'web', industry: 'it', title: '采购经理' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/leads/${String(created.body.id)}`);
    expect(created.body).toMatchObject({ name: '王五', company: '杭州好客有限公司', email: 'wang@example.com', status: 'new', ownerId: ws.adminId, source: 'web', convertedAt: null });
    const id = String(created.body.id);

    const edited = await ws.admin.patch(`/api/v1/leads/${id}`, { status: 'qualified', remark: '有预算' }, { 'if-match': String(created.body.version) });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'qualified', remark: '有预算' });
    const stale = await ws.admin.patch(`/api/v1/leads/${id}`, { remark: 'x' }, { 'if-match': String(created.body.version) });
    expect(stale.status).toBe(412);

    const history = await ws.admin.get<{ data: Json[] }>(`/api/v1/leads/${id}/history`);
    expect(history.body.data.map((e) => e.kind)).toEqual(['field_change', 'created']);
    expect((history.body.data[0]?.data as Json).changes).toMatchObject({ status: { from: 'new', to: 'qualified' } });

    expect((await ws.admin.delete(`/api/v1/leads/${id}`)).status).toBe(204);
    expect((await ws.admin.get(`/api/v1/leads/${id}`)).status).toBe(404);
    const bin = await ws.admin.get<Page>('/api/v1/leads?deleted=true');
    expect(bin.body.data.map((l) => l.id)).toEqual([id]);
    expect((await ws.admin.get<Page>('/api/v1/leads')).body.data).toEqual([]);
    expect((await ws.admin.post(`/api/v1/leads/${id}/restore`)).status).toBe(200);
    expect((await ws.admin.get(`/api/v1/leads/${id}`)).status).toBe(200);
  });

  it('validates input: picklists, statuses, emails, unknown fields, converted status by hand', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const cases: Json[] = [
      {},
      { name: '' },
      { name: 'A', source: 'carrier-pigeon' },
      { name: 'A', industry: 'nope' },
      { name: 'A', email: 'not-an-email' },
      { name: 'A', phone: 'call me' },
      { name: 'A', status: 'converted' },
      { name: 'A', nope: 1 },
      { name: 'A', ownerId: 'x' },
    ];
    for (const body of cases) {
      const res = await ws.admin.post('/api/v1/leads', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const ok = await ws.admin.post('/api/v1/leads', { name: 'A' });
    expect((await ws.admin.patch(`/api/v1/leads/${String(ok.body.id)}`, {})).status).toBe(400);
    expect((await ws.admin.patch(`/api/v1/leads/${String(ok.body.id)}`, { status: 'converted' })).status).toBe(400);
  });

  it('lists with filters, sort, keyset paging, search and counts; unknown filters are 400', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/lead', { key: 'budget', label: 'Budget', type: 'number' });
    for (let i = 0; i < 12; i += 1) {
      const res = await ws.admin.post('/api/v1/leads', { name: `Lead ${String(i).padStart(2, '0')}`, company: i % 3 === 0 ? `Acme ${i}` : null, source: i % 2 ? 'web' : 'ads', custom: { budget: i * 100 } });
      expect(res.status).toBe(201);
    }
    const web = await ws.admin.get<Page>('/api/v1/leads?source=web&count=true&sort=name');
    expect(web.body.total).toBe(6);
    expect(web.body.data.map((l) => l.name)).toEqual(['Lead 01', 'Lead 03', 'Lead 05', 'Lead 07', 'Lead 09', 'Lead 11']);
    const rich = await ws.admin.get<Page>('/api/v1/leads?cf.budget[gte]=900&sort=-cf.budget');
    expect(rich.body.data.map((l) => (l.custom as Json).budget)).toEqual([1100, 1000, 900]);
    const search = await ws.admin.get<Page>('/api/v1/leads?q=acme&sort=name');
    expect(search.body.data.map((l) => l.name)).toEqual(['Lead 00', 'Lead 03', 'Lead 06', 'Lead 09']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await ws.admin.get<Page>(`/api/v1/leads?limit=5&sort=name${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.data.map((l) => String(l.name)));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `Lead ${String(i).padStart(2, '0')}`));

    expect((await ws.admin.get('/api/v1/leads?nope=1')).status).toBe(400);
    expect((await ws.admin.get('/api/v1/leads?sort=phone')).status).toBe(400);
    expect((await ws.admin.get('/api/v1/leads?status[gt]=new')).status).toBe(400);
  });

  it('scopes a sales rep to own leads, masks phone and email by field rule, and hides another workspace', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const mine = await repClient.post('/api/v1/leads', { name: 'Mine', phone: '13812341234', email: 'alice@example.com' });
    expect(mine.status).toBe(201);
    expect(mine.body.ownerId).toBe(rep.id);
    const other = await ws.admin.post('/api/v1/leads', { name: 'Not mine' });

    const list = await repClient.get<Page>('/api/v1/leads?sort=name');
    expect(list.body.data.map((l) => l.name)).toEqual(['Mine']);
    expect((await repClient.get(`/api/v1/leads/${String(other.body.id)}`)).status).toBe(404);
    expect((await repClient.patch(`/api/v1/leads/${String(other.body.id)}`, { remark: 'x' })).status).toBe(404);
    expect((await repClient.delete(`/api/v1/leads/${String(other.body.id)}`)).status).toBe(404);
    // A rep may not create leads for someone else.
    expect((await repClient.post('/api/v1/leads', { name: 'For admin', ownerId: ws.adminId })).status).toBe(403);

    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, {
      fieldRules: [
        { entity: 'lead', field: 'phone', access: 'read', masked: true },
        { entity: 'lead', field: 'email', access: 'read', masked: true },
        { entity: 'lead', field: 'remark', access: 'hidden' },
      ],
    });
    const masked = await repClient.get(`/api/v1/leads/${String(mine.body.id)}`);
    expect(masked.body.phone).toBe('138****1234');
    expect(masked.body.email).toMatch(/^a\*+@example\.com$/);
    expect(masked.body).not.toHaveProperty('remark');
    const maskedList = await repClient.get<Page>('/api/v1/leads');
    expect(maskedList.body.data[0]?.phone).toBe('138****1234');
    // Masked fields are not writable, hidden ones not filterable.
    expect((await repClient.patch(`/api/v1/leads/${String(mine.body.id)}`, { phone: '13900000000' })).status).toBe(403);
    expect((await repClient.get('/api/v1/leads?remark=x')).status).toBe(400);
    // A list's q matches a masked phone or email only as a whole.
    const idsFor = async (client: typeof repClient, q: string) => (await client.get<Page>(`/api/v1/leads?q=${encodeURIComponent(q)}`)).body.data.map((l) => l.id);
    expect(await idsFor(repClient, '1234')).toEqual([]);
    expect(await idsFor(repClient, '13812341234')).toEqual([mine.body.id]);
    expect(await idsFor(ws.admin, '1234')).toEqual([mine.body.id]);
    expect((await repClient.get('/api/v1/leads?phone[contains]=1234')).status).toBe(400);

    const other2 = await createWorkspaceWithAdmin(t, 'Other Co');
    expect((await other2.admin.get(`/api/v1/leads/${String(mine.body.id)}`)).status).toBe(404);
    expect((await other2.admin.patch(`/api/v1/leads/${String(mine.body.id)}`, { remark: 'x' })).status).toBe(404);
    expect((await other2.admin.post(`/api/v1/leads/${String(mine.body.id)}/assign`, { ownerId: other2.adminId })).status).toBe(404);
    expect((await other2.admin.get<Page>('/api/v1/leads')).body.data).toEqual([]);
  });

  it('checks permissions: no lead grant → 403; view-only cannot edit, delete, assign or convert', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const lead = await ws.admin.post('/api/v1/leads', { name: 'Guarded' });
    const id = String(lead.body.id);
    const nobody = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }]);
    expect((await nobody.session.get('/api/v1/leads')).status).toBe(403);
    expect((await nobody.session.post('/api/v1/leads', { name: 'x' })).status).toBe(403);
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'lead', action: 'view' }]);
    const seen = await viewer.session.get(`/api/v1/leads/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.access).toEqual({ edit: false, delete: false, assign: false, convert: false });
    expect((await viewer.session.patch(`/api/v1/leads/${id}`, { remark: 'x' })).status).toBe(403);
    expect((await viewer.session.delete(`/api/v1/leads/${id}`)).status).toBe(403);
    expect((await viewer.session.post(`/api/v1/leads/${id}/assign`, { ownerId: viewer.id })).status).toBe(403);
    expect((await viewer.session.post(`/api/v1/leads/${id}/convert`, {})).status).toBe(403);
    expect((await viewer.session.request('PUT', '/api/v1/leads/settings', { autoAssignDepartmentId: null, autoAssignOnCreate: false })).status).toBe(403);
  });

  it('logs follow-ups on a lead: summary, new → contacted, edit and delete rules', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const lead = await repClient.post('/api/v1/leads', { name: 'Follow me' });
    const id = String(lead.body.id);
    const next = new Date(Date.now() + 86_400_000).toISOString();
    const f1 = await repClient.post(`/api/v1/leads/${id}/follow-ups`, { type: 'call', content: 'First call', nextFollowupAt: next });
    expect(f1.status).toBe(201);
    expect(f1.body).toMatchObject({ leadId: id, type: 'call', content: 'First call', ownerId: rep.id, access: { edit: true, delete: true } });
    expect((await repClient.post(`/api/v1/leads/${id}/follow-ups`, { type: 'telepathy', content: 'x' })).status).toBe(400);
    const after = await repClient.get(`/api/v1/leads/${id}`);
    expect(after.body).toMatchObject({ status: 'contacted', lastFollowupContent: 'First call', nextFollowupAt: next });

    const f2 = await ws.admin.post(`/api/v1/leads/${id}/follow-ups`, { type: 'email', content: 'Admin mail' });
    expect(f2.status).toBe(201);
    const list = await repClient.get<Page>(`/api/v1/leads/${id}/follow-ups`);
    expect(list.body.data.map((f) => f.content)).toEqual(['Admin mail', 'First call']);
    // The rep may not edit the admin's follow-up; the admin may edit anyone's.
    expect((await repClient.patch(`/api/v1/leads/${id}/follow-ups/${String(f2.body.id)}`, { content: 'hijack' })).status).toBe(403);
    expect((await repClient.delete(`/api/v1/leads/${id}/follow-ups/${String(f2.body.id)}`)).status).toBe(403);
    expect(f1.body.version).toBe(1);
    const edited = await ws.admin.patch(`/api/v1/leads/${id}/follow-ups/${String(f1.body.id)}`, { content: 'First call (edited)' }, { 'if-match': '"1"' });
    expect(edited.body).toMatchObject({ content: 'First call (edited)', version: 2 });
    // The rep's form still shows version 1: refused (412), the admin's text stays.
    const stale = await repClient.patch(`/api/v1/leads/${id}/follow-ups/${String(f1.body.id)}`, { content: 'First call' }, { 'if-match': '"1"' });
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 412, code: 'version_mismatch' });
    expect((await ws.admin.delete(`/api/v1/leads/${id}/follow-ups/${String(f2.body.id)}`)).status).toBe(204);
    // A type retired since stays on the follow-ups that have it: an edit that keeps it is accepted, choosing it is not.
    const lists = await ws.admin.get<{ lists: Record<string, Json[]> }>('/api/v1/picklists');
    const options = (lists.body.lists['followUp.type'] ?? []).map((o) => ({ value: o.value, label: o.label, active: o.value !== 'call' }));
    expect((await ws.admin.request('PUT', '/api/v1/picklists/followUp.type', { options })).status).toBe(200);
    const kept = await repClient.patch(`/api/v1/leads/${id}/follow-ups/${String(f1.body.id)}`, { type: 'call', content: 'First call (edited)' });
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    expect((await repClient.post(`/api/v1/leads/${id}/follow-ups`, { type: 'call', content: 'x' })).status).toBe(400);
    const summary = await repClient.get(`/api/v1/leads/${id}`);
    expect(summary.body.lastFollowupContent).toBe('First call (edited)');
    // Someone who cannot see the lead cannot see or add its follow-ups.
    const rep2 = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const rep2Client = await rep2.client();
    expect((await rep2Client.get(`/api/v1/leads/${id}/follow-ups`)).status).toBe(404);
    expect((await rep2Client.post(`/api/v1/leads/${id}/follow-ups`, { type: 'call', content: 'x' })).status).toBe(404);
  });

  it('counts my open leads in the to-do center', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    await repClient.post('/api/v1/leads', { name: 'One' });
    await repClient.post('/api/v1/leads', { name: 'Two', status: 'qualified' });
    await repClient.post('/api/v1/leads', { name: 'Dead', status: 'invalid' });
    await ws.admin.post('/api/v1/leads', { name: 'Admin own' });
    const todo = await repClient.get<{ data: Json[] }>('/api/v1/todo');
    expect(todo.body.data.find((i) => i.key === 'leadsAssigned')).toMatchObject({ count: 2, link: '/leads?mine=open' });
  });

  it('finds leads in global search within the data scope, masked, renamed, binned and assigned', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const mine = await repClient.post('/api/v1/leads', { name: '周一线索', company: '星辰科技', phone: '13712345678' });
    const other = await ws.admin.post('/api/v1/leads', { name: '周二线索', company: '星辰贸易' });
    const search = async (client: typeof repClient, q: string) => ((await client.get<{ leads?: Json[] }>(`/api/v1/search?q=${encodeURIComponent(q)}`)).body.leads ?? []).map((h) => h.id);
    expect((await search(ws.admin, '星辰')).sort()).toEqual([String(mine.body.id), String(other.body.id)].sort());
    expect(await search(repClient, '星辰')).toEqual([String(mine.body.id)]);
    expect(await search(repClient, '5678')).toEqual([String(mine.body.id)]);
    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, { fieldRules: [{ entity: 'lead', field: 'phone', access: 'read', masked: true }] });
    const hit = (await repClient.get<{ leads?: Json[] }>('/api/v1/search?q=%E5%91%A8%E4%B8%80')).body.leads?.[0];
    expect(hit?.phone).toBe('137****5678');
    await ws.admin.patch(`/api/v1/leads/${String(other.body.id)}`, { name: '吴三线索' });
    expect(await search(ws.admin, '周二')).toEqual([]);
    expect(await search(ws.admin, '吴三')).toEqual([String(other.body.id)]);
    await ws.admin.post(`/api/v1/leads/${String(other.body.id)}/assign`, { ownerId: rep.id });
    expect((await search(repClient, '星辰')).sort()).toEqual([String(mine.body.id), String(other.body.id)].sort());
    await ws.admin.delete(`/api/v1/leads/${String(other.body.id)}`);
    expect(await search(ws.admin, '吴三')).toEqual([]);
  });
});
