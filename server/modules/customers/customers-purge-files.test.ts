import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspaceWithAdmin } from '../../testing/factories';
import { type Json, type TestApp } from '../../testing/test-app';
import { uploadFile, useFilesTestApp } from '../files/files.testing';

describe('a customer deleted for good takes its attachments along', () => {
  let t: TestApp;
  useFilesTestApp((app) => (t = app));

  it("removes the files of its, its contacts' and its deals' follow-ups, rows and contents, but not a file another customer's follow-up still carries", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const gone = await ws.admin.post<Json>('/api/v1/customers', { name: '彻底删除有限公司' });
    const kept = await ws.admin.post<Json>('/api/v1/customers', { name: '保留客户有限公司' });
    const contact = await ws.admin.post<Json>('/api/v1/contacts', { customerId: gone.body.id, name: '张三' });
    const deal = await ws.admin.post<Json>('/api/v1/deals', { name: '要删的商机', customerId: gone.body.id, amount: '1.00' });
    const own = await uploadFile(ws.admin, 'own.txt', 'customer file');
    const onContact = await uploadFile(ws.admin, 'contact.txt', 'contact file');
    const onDeal = await uploadFile(ws.admin, 'deal.txt', 'deal file');
    const shared = await uploadFile(ws.admin, 'shared.txt', 'shared file');
    const post = async (url: string, body: Json) => {
      const res = await ws.admin.post<Json>(url, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await post('/api/v1/follow-ups', { entity: 'customer', recordId: gone.body.id, type: 'call', content: 'a', attachmentIds: [own.body.id, shared.body.id] });
    await post('/api/v1/follow-ups', { entity: 'contact', recordId: contact.body.id, type: 'call', content: 'b', attachmentIds: [onContact.body.id] });
    await post(`/api/v1/deals/${String(deal.body.id)}/follow-ups`, { type: 'call', content: 'c', attachmentIds: [onDeal.body.id] });
    await post('/api/v1/follow-ups', { entity: 'customer', recordId: kept.body.id, type: 'call', content: 'd', attachmentIds: [shared.body.id] });
    const onDisk = (id: string) => fs.existsSync(path.join(t.deps.config.dataDir, 'files', ws.workspaceId, id));
    expect([own, onContact, onDeal, shared].map((f) => onDisk(f.body.id))).toEqual([true, true, true, true]);

    expect((await ws.admin.delete(`/api/v1/customers/${String(gone.body.id)}`)).status).toBe(204);
    expect((await ws.admin.delete(`/api/v1/customers/${String(gone.body.id)}/purge`)).status).toBe(204);

    const rows = await t.deps.db.selectFrom('files').select('id').where('workspaceId', '=', ws.workspaceId).execute();
    expect(rows.map((r) => r.id)).toEqual([shared.body.id]);
    expect([own, onContact, onDeal, shared].map((f) => onDisk(f.body.id))).toEqual([false, false, false, true]);
    const links = await t.deps.db.selectFrom('followUpFiles').select('fileId').where('workspaceId', '=', ws.workspaceId).execute();
    expect(links.map((l) => l.fileId)).toEqual([shared.body.id]);
    expect((await ws.admin.get(`/api/v1/files/${shared.body.id}`)).status).toBe(200);
  });
});
