import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface FollowUp {
  id: string;
  dealId: string;
  content: string;
  type: string;
  nextFollowupAt: string | null;
  access: { edit: boolean; delete: boolean };
  version: number;
  createdAt: string;
}

interface Entry {
  kind: string;
  recordId: string;
  data: Json;
}

describe('deal follow-ups: edit and delete', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('the author edits and deletes; the deal, its customer and the timeline follow; others are refused', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: '销售甲', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const customer = await repClient.post<Json>('/api/v1/customers', { name: '跟进商机客户' });
    const person = await repClient.post<Json>('/api/v1/contacts', { customerId: customer.body.id, name: '采购王经理' });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    const deal = await repClient.post<Json>('/api/v1/deals', { name: '年度采购', customerId: customer.body.id, contactId: person.body.id, amount: '100.00' });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const dealId = String(deal.body.id);
    const customerId = String(customer.body.id);
    const base = `/api/v1/deals/${dealId}/follow-ups`;
    const soon = new Date(Date.now() + 86_400_000).toISOString();
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();

    const first = await repClient.post<FollowUp>(base, { type: 'call', content: '电话沟通需求', nextFollowupAt: soon });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.headers.location).toBe(`${base}/${first.body.id}`);
    expect(first.body).toMatchObject({ dealId, content: '电话沟通需求', access: { edit: true, delete: true }, version: 1 });
    const second = await repClient.post<FollowUp>(base, { type: 'visit', content: '上门报价', nextFollowupAt: later });
    expect(second.status).toBe(201);
    // Newest first, in keyset pages.
    const firstPage = await repClient.get<{ data: FollowUp[]; nextCursor: string | null }>(`${base}?limit=1`);
    expect(firstPage.body.data.map((f) => f.id)).toEqual([second.body.id]);
    const nextPage = await repClient.get<{ data: FollowUp[]; nextCursor: string | null }>(`${base}?limit=1&cursor=${encodeURIComponent(firstPage.body.nextCursor ?? '')}`);
    expect(nextPage.body).toEqual({ data: [expect.objectContaining({ id: first.body.id })], nextCursor: null });
    expect((await repClient.get(`${base}?cursor=not-a-cursor`)).status).toBe(400);
    expect((await repClient.get(`${base}?limit=500`)).status).toBe(400);
    const contactUrl = `/api/v1/contacts/${String(person.body.id)}`;
    expect((await repClient.get<Json>(contactUrl)).body).toMatchObject({ lastFollowupAt: second.body.createdAt, nextFollowupAt: later });

    // Edit the newest: the deal's and the customer's summaries and the timeline entry follow it.
    const edited = await repClient.patch<FollowUp>(`${base}/${second.body.id}`, { content: '上门报价，客户要求九折', nextFollowupAt: soon }, { 'if-match': '"1"' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ content: '上门报价，客户要求九折', nextFollowupAt: soon, version: 2 });
    expect((await repClient.get<Json>(`/api/v1/deals/${dealId}`)).body).toMatchObject({ lastFollowupAt: second.body.createdAt, nextFollowupAt: soon });
    expect((await repClient.get<Json>(`/api/v1/customers/${customerId}`)).body).toMatchObject({ lastFollowupContent: '上门报价，客户要求九折' });
    const timeline = await repClient.get<{ data: Entry[] }>(`/api/v1/customers/${customerId}/timeline?kind=follow_up`);
    expect(timeline.body.data.find((e) => e.recordId === second.body.id)?.data).toMatchObject({ content: '上门报价，客户要求九折', dealId, dealName: '年度采购' });

    // A form still at version 1 is refused; an unknown type, an empty change or a bad id is a 400.
    const stale = await repClient.patch<Json>(`${base}/${second.body.id}`, { content: 'x' }, { 'if-match': '"1"' });
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 412, code: 'version_mismatch' });
    expect((await repClient.patch<Json>(`${base}/${second.body.id}`, { type: 'telepathy' })).body.code).toBe('validation_failed');
    expect((await repClient.patch(`${base}/${second.body.id}`, {})).status).toBe(400);
    expect((await repClient.patch(`${base}/not-an-id`, { content: 'x' })).status).toBe(400);

    // Another rep cannot see the deal; the admin sees the rep's follow-ups as editable.
    const other = await createUser(t.app, ws.admin, { name: '销售乙', roleIds: [ws.roles.sales ?? ''] });
    const otherClient = await other.client();
    expect((await otherClient.patch(`${base}/${second.body.id}`, { content: 'hijack' })).status).toBe(404);
    expect((await otherClient.delete(`${base}/${second.body.id}`)).status).toBe(404);
    const adminList = await ws.admin.get<{ data: FollowUp[] }>(base);
    expect(adminList.body.data.map((f) => [f.content, f.access.edit])).toEqual([
      ['上门报价，客户要求九折', true],
      ['电话沟通需求', true],
    ]);
    // The admin's own follow-up is not the rep's to change.
    const adminNote = await ws.admin.post<FollowUp>(base, { type: 'email', content: '管理员补充' });
    const repView = await repClient.get<{ data: FollowUp[] }>(base);
    expect(repView.body.data.find((f) => f.id === adminNote.body.id)?.access).toEqual({ edit: false, delete: false });
    expect((await repClient.patch(`${base}/${adminNote.body.id}`, { content: 'x' })).status).toBe(403);
    expect((await repClient.delete(`${base}/${adminNote.body.id}`)).status).toBe(403);
    expect((await ws.admin.delete(`${base}/${adminNote.body.id}`)).status).toBe(204);

    // A follow-up is addressed through its own deal only.
    const otherDeal = await repClient.post<Json>('/api/v1/deals', { name: '另一个商机', customerId });
    expect((await repClient.delete(`/api/v1/deals/${String(otherDeal.body.id)}/follow-ups/${second.body.id}`)).status).toBe(404);

    // Delete the newest: the summaries go back to the first; its timeline entry goes.
    expect((await repClient.delete(`${base}/${second.body.id}`)).status).toBe(204);
    expect((await repClient.get<Json>(`/api/v1/deals/${dealId}`)).body).toMatchObject({ lastFollowupAt: first.body.createdAt, nextFollowupAt: soon });
    expect((await repClient.get<Json>(`/api/v1/customers/${customerId}`)).body).toMatchObject({ lastFollowupContent: '电话沟通需求', lastFollowupAt: first.body.createdAt });
    const after = await repClient.get<{ data: Entry[] }>(`/api/v1/customers/${customerId}/timeline?kind=follow_up`);
    expect(after.body.data.map((e) => e.recordId)).toEqual([first.body.id]);
    expect((await repClient.get<{ data: FollowUp[] }>(base)).body.data.map((f) => f.id)).toEqual([first.body.id]);
    expect((await repClient.delete(`${base}/${second.body.id}`)).status).toBe(404);

    // The last one gone: no last follow-up, and the next time it set is cleared.
    expect((await repClient.delete(`${base}/${first.body.id}`)).status).toBe(204);
    expect((await repClient.get<Json>(`/api/v1/deals/${dealId}`)).body).toMatchObject({ lastFollowupAt: null, nextFollowupAt: null });
    expect((await repClient.get<Json>(`/api/v1/customers/${customerId}`)).body).toMatchObject({ lastFollowupAt: null, lastFollowupContent: null });
    expect((await repClient.get<Json>(contactUrl)).body).toMatchObject({ lastFollowupAt: null, nextFollowupAt: null });

    // Audited, and invisible from another workspace.
    const audit = await ws.admin.get<{ data: { action: string; targetId: string }[] }>('/api/v1/audit-log?limit=50');
    expect(audit.body.data.filter((e) => e.targetId === second.body.id).map((e) => e.action).sort()).toEqual(['follow_up.deleted', 'follow_up.updated']);
    const stranger = await createWorkspaceWithAdmin(t);
    expect((await stranger.admin.patch(`${base}/${first.body.id}`, { content: 'x' })).status).toBe(404);
  });
});
