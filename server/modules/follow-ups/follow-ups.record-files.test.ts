import { describe, expect, it } from 'vitest';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Json, type TestApp } from '../../testing/test-app';
import { uploadFile, useFilesTestApp } from '../files/files.testing';

interface File {
  id: string;
  name: string;
  size: number;
  mime: string;
}

interface FollowUp {
  id: string;
  attachments: File[];
  version: number;
}

interface Entry {
  recordId: string;
  data: Json;
}

describe('attachments on lead and deal follow-ups', () => {
  let t: TestApp;
  useFilesTestApp((app) => (t = app));

  it('a deal follow-up carries files: listed, on the customer timeline, downloadable by who sees the deal, replaced on edit', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: '销售甲', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const customer = await repClient.post<Json>('/api/v1/customers', { name: '附件商机客户' });
    const deal = await repClient.post<Json>('/api/v1/deals', { name: '报价单商机', customerId: customer.body.id, amount: '10.00' });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const base = `/api/v1/deals/${String(deal.body.id)}/follow-ups`;
    const quote = await uploadFile(repClient, '报价单.pdf', '%PDF quote', 'application/pdf');
    const photo = await uploadFile(repClient, 'site.png', 'png bytes', 'image/png');
    expect(quote.status).toBe(201);

    const created = await repClient.post<FollowUp>(base, { type: 'visit', content: '送报价单', attachmentIds: [quote.body.id, photo.body.id] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.attachments).toEqual([quote.body, photo.body]);
    expect((await repClient.get<{ data: FollowUp[] }>(base)).body.data[0]?.attachments.map((a) => a.name)).toEqual(['报价单.pdf', 'site.png']);
    const timeline = await repClient.get<{ data: Entry[] }>(`/api/v1/customers/${String(customer.body.id)}/timeline?kind=follow_up`);
    expect(timeline.body.data.find((e) => e.recordId === created.body.id)?.data).toMatchObject({ dealName: '报价单商机', attachments: [{ id: quote.body.id, name: '报价单.pdf' }, { id: photo.body.id }] });

    // Whoever sees the deal downloads through it; someone who does not see the deal gets a 404.
    const fileUrl = `${base}/${created.body.id}/files/${quote.body.id}`;
    const byAdmin = await ws.admin.get(fileUrl);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.raw.rawPayload.toString('utf8')).toBe('%PDF quote');
    expect(byAdmin.headers['content-disposition']).toContain("filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf");
    const other = await createUser(t.app, ws.admin, { name: '销售乙', roleIds: [ws.roles.sales ?? ''] });
    const otherClient = await other.client();
    expect((await otherClient.get(fileUrl)).status).toBe(404);
    // A file not on that follow-up is not reachable through it.
    const stray = await uploadFile(repClient, 'stray.txt', 'stray');
    expect((await repClient.get(`${base}/${created.body.id}/files/${stray.body.id}`)).status).toBe(404);

    // Another user's upload cannot be attached (it would become downloadable through this deal).
    const foreign = await uploadFile(otherClient, 'foreign.txt', 'not yours');
    const refused = await repClient.post<Json>(base, { type: 'call', content: 'x', attachmentIds: [foreign.body.id] });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.errors)).toContain('attachmentIds');

    // An edit keeps a file already on the follow-up and drops the other; the dropped one is no longer served there.
    const edited = await repClient.patch<FollowUp>(`${base}/${created.body.id}`, { attachmentIds: [quote.body.id] }, { 'if-match': '"1"' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.attachments.map((a) => a.id)).toEqual([quote.body.id]);
    expect((await ws.admin.get(`${base}/${created.body.id}/files/${photo.body.id}`)).status).toBe(404);
    const after = await repClient.get<{ data: Entry[] }>(`/api/v1/customers/${String(customer.body.id)}/timeline?kind=follow_up`);
    expect((after.body.data.find((e) => e.recordId === created.body.id)?.data as { attachments?: File[] }).attachments?.map((a) => a.id)).toEqual([quote.body.id]);
    // A content-only edit leaves the files as they are.
    const contentOnly = await repClient.patch<FollowUp>(`${base}/${created.body.id}`, { content: '送报价单（已签收）' });
    expect(contentOnly.body.attachments.map((a) => a.id)).toEqual([quote.body.id]);
    // Deleted, its files go with it.
    expect((await repClient.delete(`${base}/${created.body.id}`)).status).toBe(204);
    expect((await ws.admin.get(fileUrl)).status).toBe(404);
  });

  it('a lead follow-up carries files, and they stay on it when the lead becomes a customer', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: '销售丙', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const lead = await repClient.post<Json>('/api/v1/leads', { name: '韩梅梅', company: '附件线索有限公司' });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const leadId = String(lead.body.id);
    const card = await uploadFile(repClient, '名片.jpg', 'jpeg bytes', 'image/jpeg');
    const created = await repClient.post<FollowUp>(`/api/v1/leads/${leadId}/follow-ups`, { type: 'visit', content: '展会交换名片', attachmentIds: [card.body.id] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.attachments).toEqual([card.body]);
    const fileUrl = `/api/v1/leads/${leadId}/follow-ups/${created.body.id}/files/${card.body.id}`;
    const download = await ws.admin.get(fileUrl);
    expect(download.status).toBe(200);
    expect(download.raw.rawPayload.toString('utf8')).toBe('jpeg bytes');
    const other = await createUser(t.app, ws.admin, { name: '销售丁', roleIds: [ws.roles.sales ?? ''] });
    expect((await (await other.client()).get(fileUrl)).status).toBe(404);

    const converted = await repClient.post<Json>(`/api/v1/leads/${leadId}/convert`, { ignoreDuplicates: true });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    const customerId = String((converted.body as { customerId?: string }).customerId ?? (converted.body.customer as Json | undefined)?.id);
    const timeline = await repClient.get<{ data: Entry[] }>(`/api/v1/customers/${customerId}/timeline?kind=follow_up`);
    expect(timeline.body.data.find((e) => e.recordId === created.body.id)?.data).toMatchObject({ fromLeadId: leadId, attachments: [{ id: card.body.id, name: '名片.jpg' }] });
    // Now a customer's follow-up: served to whoever sees the customer, as every customer follow-up's files are.
    const moved = await ws.admin.get(`/api/v1/files/${card.body.id}`);
    expect(moved.status).toBe(200);
    expect((await repClient.get<FollowUp>(`/api/v1/follow-ups/${created.body.id}`)).body.attachments.map((a) => a.id)).toEqual([card.body.id]);
  });
});
