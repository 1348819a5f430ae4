import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { timelineKinds } from '../../../common/timeline-kinds';
import { appendTimeline } from './timeline.writer';

interface Page {
  data: Json[];
  nextCursor: string | null;
}

describe('timeline and the 360° overview', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('pages newest first with actor names, filters by kind, and takes comments with @mentions', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const colleague = await createUser(t.app, ws.admin, { name: '李经理', roleIds: [ws.roles.sales ?? ''] });
    const created = await ws.admin.post('/api/v1/customers', { name: 'Timeline Co' });
    const id = String(created.body.id);
    let version = Number(created.body.version);
    for (const level of ['A', 'B', 'C']) {
      t.clock.advance(1000);
      const res = await ws.admin.patch(`/api/v1/customers/${id}`, { level }, { 'if-match': String(version) });
      version = Number(res.body.version);
    }
    t.clock.advance(1000);
    const comment = await ws.admin.post(`/api/v1/customers/${id}/comments`, { content: '请 @李经理 跟进报价', mentions: [colleague.id, colleague.id] });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({ kind: 'comment', entity: 'customer', recordId: id, actorUserId: ws.adminId, actorName: 'Admin', data: { content: '请 @李经理 跟进报价', mentions: [colleague.id] } });
    t.clock.advance(1000);
    await ws.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: id, type: 'call', content: 'Called' });

    const all = await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline`);
    expect(all.body.data.map((e) => e.kind)).toEqual(['follow_up', 'comment', 'field_change', 'field_change', 'field_change', 'created']);
    expect(all.body.data.every((e) => e.actorName === 'Admin')).toBe(true);
    expect(all.body.data[2]?.data).toEqual({ changes: { level: { from: 'B', to: 'C' } } });
    expect(all.body.nextCursor).toBeNull();

    const kinds = await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline?kind=comment,follow_up`);
    expect(kinds.body.data.map((e) => e.kind)).toEqual(['follow_up', 'comment']);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/customers/${id}/timeline?limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const res: { body: Page } = await ws.admin.get<Page>(url);
      seen.push(...res.body.data.map((e) => String(e.id)));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(all.body.data.map((e) => e.id));
    const fieldPages = await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline?kind=field_change&limit=2`);
    expect(fieldPages.body.data).toHaveLength(2);
    const rest = await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline?kind=field_change&limit=2&cursor=${fieldPages.body.nextCursor ?? ''}`);
    expect(rest.body.data.map((e) => (e.data as { changes: Json }).changes)).toEqual([{ level: { from: null, to: 'A' } }]);

    expectProblem(await ws.admin.get(`/api/v1/customers/${id}/timeline?kind=DROP TABLE`), 400, 'validation_failed');
    expectProblem(await ws.admin.get(`/api/v1/customers/${id}/timeline?cursor=nope`), 400, 'validation_failed');
    expectProblem(await ws.admin.get(`/api/v1/customers/${id}/timeline?limit=0`), 400, 'validation_failed');
    expectProblem(await ws.admin.post(`/api/v1/customers/${id}/comments`, { content: '' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post(`/api/v1/customers/${id}/comments`, { content: 'hi', mentions: ['0190a000-0000-7000-8000-000000000000'] }), 400, 'validation_failed');
  });

  it('refuses a kind it never writes with a 400 naming the valid ones, and takes kinds comma-separated or repeated', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const id = String((await ws.admin.post('/api/v1/customers', { name: 'Kinds Co' })).body.id);
    t.clock.advance(1000);
    await ws.admin.post(`/api/v1/customers/${id}/comments`, { content: 'hello' });

    // Before: an empty page, as if the customer had no such history.
    for (const query of ['kind=bogus', 'kind=comment,bogus', 'kind=comment&kind=bogus', 'kind=', 'kind=Comment']) {
      const res = await ws.admin.get<{ errors: { path: string; message: string }[] }>(`/api/v1/customers/${id}/timeline?${query}`);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors, query).toHaveLength(1);
      expect(res.body.errors[0]?.path).toBe('querystring.kind');
      expect(res.body.errors[0]?.message).toContain(`must be one of ${timelineKinds.join(', ')}`);
    }
    const named = await ws.admin.get<{ errors: { message: string }[] }>(`/api/v1/customers/${id}/timeline?kind=bogus,follow_up`);
    expect(named.body.errors[0]?.message).toMatch(/^unknown kind "bogus"; must be one of created, /);

    // Every kind the writers use is a valid filter; repeated and comma-separated mean the same.
    const every = await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline?kind=${timelineKinds.join(',')}`);
    expect(every.body.data.map((e) => e.kind)).toEqual(['comment', 'created']);
    const repeated = await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline?kind=comment&kind=created,comment`);
    expect(repeated.body.data.map((e) => e.kind)).toEqual(['comment', 'created']);
    expect((await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline?kind=%20comment%20`)).body.data.map((e) => e.kind)).toEqual(['comment']);

    // The other history routes take no filter at all: any parameter is a 400, never ignored.
    expectProblem(await ws.admin.get(`/api/v1/customers/${id}/ownership-history?kind=bogus`), 400, 'validation_failed');
    expectProblem(await ws.admin.get(`/api/v1/customers/${id}/overview?kind=comment`), 400, 'validation_failed');
    const lead = await ws.admin.post('/api/v1/leads', { name: 'History lead' });
    expect(lead.status).toBe(201);
    expectProblem(await ws.admin.get(`/api/v1/leads/${String(lead.body.id)}/history?kind=bogus`), 400, 'validation_failed');

    // A zh-CN user reads the message in Chinese, the kinds as the API spells them.
    expect((await ws.admin.patch('/api/v1/auth/me', { locale: 'zh-CN' })).status).toBe(200);
    const zh = await ws.admin.get<{ errors: { message: string }[] }>(`/api/v1/customers/${id}/timeline?kind=bogus`);
    expect(zh.body.errors[0]?.message).toMatch(/^未知的类型 "bogus"；必须是以下之一：created, field_change, /);
  });

  it('records a transfer with both owners\' names and the reason', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: '王销售', roleIds: [ws.roles.sales ?? ''] });
    const created = await ws.admin.post('/api/v1/customers', { name: 'Transfer Co' });
    const id = String(created.body.id);
    t.clock.advance(1000);
    expect((await ws.admin.post(`/api/v1/customers/${id}/transfer`, { ownerId: rep.id, reason: '区域调整' })).status).toBe(200);
    const page = await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline?kind=owner_change`);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.data[0]?.data).toMatchObject({ from: ws.adminId, fromName: 'Admin', to: rep.id, toName: '王销售', reason: '区域调整', via: 'transfer' });
  });

  it('leaves out events of record kinds the caller may not view (deals, contracts, payments, leads)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const created = await ws.admin.post('/api/v1/customers', { name: 'Hidden Kinds Co' });
    const id = String(created.body.id);
    const at = t.clock.now.toISOString();
    for (const [entity, kind] of [['contract', 'contract_approved'], ['deal', 'deal_won'], ['payment', 'payment_approved'], ['lead', 'lead_converted']] as const) {
      await appendTimeline(t.deps.db, { workspaceId: ws.workspaceId, customerId: id, entity, recordId: id, kind, actorUserId: ws.adminId, data: {}, at });
    }
    const viewer = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'customer', action: 'view', scope: 'all' },
      { entity: 'deal', action: 'view', scope: 'all' },
    ]);
    const seen = (await viewer.session.get<Page>(`/api/v1/customers/${id}/timeline`)).body.data.map((e) => e.kind);
    expect(seen).toContain('deal_won');
    expect(seen).toContain('created');
    expect(seen).not.toContain('contract_approved');
    expect(seen).not.toContain('payment_approved');
    expect(seen).not.toContain('lead_converted');
    const all = (await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline`)).body.data.map((e) => e.kind);
    expect(all).toEqual(expect.arrayContaining(['contract_approved', 'deal_won', 'payment_approved', 'lead_converted']));
  });

  it('shows a sales rep the timeline only of customers they see, and masks or hides fields in its history', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const own = await repClient.post('/api/v1/customers', { name: 'Own', phone: '13812341234' });
    const ownId = String(own.body.id);
    await repClient.patch(`/api/v1/customers/${ownId}`, { phone: '13900005678', remark: 'private note' });
    const other = String((await ws.admin.post('/api/v1/customers', { name: 'Other' })).body.id);

    expectProblem(await repClient.get(`/api/v1/customers/${other}/timeline`), 404, 'not_found');
    expectProblem(await repClient.post(`/api/v1/customers/${other}/comments`, { content: 'hello?' }), 404, 'not_found');
    expectProblem(await repClient.get(`/api/v1/customers/${other}/overview`), 404, 'not_found');
    expect((await repClient.post(`/api/v1/customers/${ownId}/comments`, { content: 'mine' })).status).toBe(201);

    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, {
      fieldRules: [
        { entity: 'customer', field: 'phone', access: 'read', masked: true },
        { entity: 'customer', field: 'remark', access: 'hidden' },
      ],
    });
    const history = await repClient.get<Page>(`/api/v1/customers/${ownId}/timeline?kind=field_change`);
    expect(history.body.data.map((e) => e.data)).toEqual([{ changes: { phone: { from: '138****1234', to: '139****5678' } } }]);
    const overview = await repClient.get<{ customer: Json; timeline: Page }>(`/api/v1/customers/${ownId}/overview`);
    expect(overview.body.customer.phone).toBe('139****5678');
    expect(JSON.stringify(overview.body)).not.toContain('private note');
    expect(JSON.stringify(overview.body)).not.toContain('13900005678');

    // A role that may see customers but not follow-ups or contacts gets neither in the history.
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view' }]);
    await ws.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: ownId, type: 'call', content: 'Follow-up text' });
    await ws.admin.post('/api/v1/contacts', { customerId: ownId, name: 'Contact name' });
    const limited = await viewer.session.get<{ contacts: Json[]; timeline: Page }>(`/api/v1/customers/${ownId}/overview`);
    expect(limited.status).toBe(200);
    expect(limited.body.contacts).toEqual([]);
    expect(limited.body.timeline.data.map((e) => e.kind)).not.toContain('follow_up');
    expect(limited.body.timeline.data.map((e) => e.kind)).not.toContain('contact_added');
    const full = await ws.admin.get<{ timeline: Page }>(`/api/v1/customers/${ownId}/overview`);
    expect(full.body.timeline.data.map((e) => e.kind).slice(0, 2)).toEqual(['contact_added', 'follow_up']);
  });

  it('answers the 360° overview in one call: customer, contacts primary first, first timeline page', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const created = await ws.admin.post('/api/v1/customers', { name: '360 Co', level: 'A', contact: { name: 'Primary' } });
    const id = String(created.body.id);
    await ws.admin.post('/api/v1/contacts', { customerId: id, name: 'Second' });
    for (let i = 0; i < 3; i += 1) {
      t.clock.advance(1000);
      await ws.admin.post(`/api/v1/customers/${id}/comments`, { content: `Comment ${i}` });
    }
    const overview = await ws.admin.get<{ customer: Json; contacts: Json[]; timeline: Page }>(`/api/v1/customers/${id}/overview?limit=2`);
    expect(overview.status).toBe(200);
    expect(overview.body.customer).toEqual((await ws.admin.get(`/api/v1/customers/${id}`)).body);
    expect(overview.body.contacts.map((c) => [c.name, c.isPrimary])).toEqual([
      ['Primary', true],
      ['Second', false],
    ]);
    expect(overview.body.timeline.data.map((e) => (e.data as Json).content)).toEqual(['Comment 2', 'Comment 1']);
    const next = await ws.admin.get<Page>(`/api/v1/customers/${id}/timeline?limit=2&cursor=${overview.body.timeline.nextCursor ?? ''}`);
    expect(next.body.data.map((e) => e.kind)).toEqual(['comment', 'contact_added']);

    const b = await createWorkspaceWithAdmin(t, 'B');
    expectProblem(await b.admin.get(`/api/v1/customers/${id}/overview`), 404, 'not_found');
    expectProblem(await b.admin.get(`/api/v1/customers/${id}/timeline`), 404, 'not_found');
    expectProblem(await b.admin.post(`/api/v1/customers/${id}/comments`, { content: 'x' }), 404, 'not_found');
    await ws.admin.delete(`/api/v1/customers/${id}`);
    expectProblem(await ws.admin.get(`/api/v1/customers/${id}/overview`), 404, 'not_found');
  });
});
