import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import type { TestApp } from '../../testing/test-app';
import { contentDisposition } from './files.service';
import { multipartBody, uploadFile, useFilesTestApp } from './files.testing';

describe('files', () => {
  let t: TestApp;
  useFilesTestApp((app) => (t = app));

  it('stores an upload on disk with its sha256 and gives it back with a UTF-8 Content-Disposition', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const content = Buffer.from('合同草稿 v1\n'.repeat(1000), 'utf8');
    const uploaded = await uploadFile(ws.admin, '../../合同 草稿(最终).pdf', content, 'application/pdf');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({ id: expect.any(String) as string, name: '合同 草稿(最终).pdf', size: content.length, mime: 'application/pdf' });
    expect(uploaded.headers.location).toBe(`/api/v1/files/${uploaded.body.id}`);

    const row = await t.deps.db.selectFrom('files').selectAll().where('id', '=', uploaded.body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ workspaceId: ws.workspaceId, storageKey: `${ws.workspaceId}/${uploaded.body.id}`, createdBy: ws.adminId, size: content.length });
    expect(row.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    const onDisk = path.join(t.deps.config.dataDir, 'files', ws.workspaceId, uploaded.body.id);
    expect(fs.readFileSync(onDisk).equals(content)).toBe(true);

    const download = await ws.admin.get(`/api/v1/files/${uploaded.body.id}`);
    expect(download.status).toBe(200);
    expect(download.raw.rawPayload.equals(content)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-length']).toBe(String(content.length));
    expect(download.headers['content-disposition']).toBe(`attachment; filename="__ __(__).pdf"; filename*=UTF-8''${encodeURIComponent('合同 草稿')}%28${encodeURIComponent('最终')}%29.pdf`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(contentDisposition('a"b\\c.txt')).toBe(`attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`);
  });

  it('lets others download only through a follow-up they can see', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const stranger = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const [repClient, strangerClient] = [await rep.client(), await stranger.client()];
    const file = await uploadFile(ws.admin, 'notes.txt', 'meeting notes');
    expectProblem(await repClient.get(`/api/v1/files/${file.body.id}`), 404, 'not_found');

    // Attached to a follow-up on the rep's customer: the rep (who sees the customer) may download it.
    const customer = await ws.admin.post('/api/v1/customers', { name: 'Rep customer', ownerId: rep.id });
    const followUp = await ws.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: customer.body.id, type: 'visit', content: 'Visited', attachmentIds: [file.body.id] });
    expect(followUp.status).toBe(201);
    const viaFollowUp = await repClient.get(`/api/v1/files/${file.body.id}`);
    expect(viaFollowUp.status).toBe(200);
    expect(viaFollowUp.raw.body).toBe('meeting notes');
    expectProblem(await strangerClient.get(`/api/v1/files/${file.body.id}`), 404, 'not_found');

    // Once the follow-up is deleted, the file is no longer reachable through it.
    expect((await ws.admin.delete(`/api/v1/follow-ups/${String(followUp.body.id)}`)).status).toBe(204);
    expectProblem(await repClient.get(`/api/v1/files/${file.body.id}`), 404, 'not_found');
    expect((await ws.admin.get(`/api/v1/files/${file.body.id}`)).status).toBe(200);

    // Uploaders always get their own files back.
    const own = await uploadFile(strangerClient, 'mine.txt', 'mine');
    expect((await strangerClient.get(`/api/v1/files/${own.body.id}`)).raw.body).toBe('mine');

    // Without follow-up permissions there is no upload or download at all.
    const nobody = await (await createUser(t.app, ws.admin, { roleIds: [] })).client();
    expectProblem(await uploadFile(nobody, 'x.txt', 'x'), 403, 'forbidden');
    expectProblem(await nobody.get(`/api/v1/files/${own.body.id}`), 403, 'forbidden');
  });

  it('refuses what is not one file in the field "file": 415, 400, and 413 above 20 MB', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    expectProblem(await ws.admin.post('/api/v1/files', { name: 'x' }), 415, 'unsupported_media_type');
    expectProblem(await uploadFile(ws.admin, 'x.txt', 'x', 'text/plain', 'attachment'), 400, 'validation_failed');
    const empty = multipartBody('file', 'x', '');
    const onlyField = `--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--b--\r\n`;
    expectProblem(await ws.admin.request('POST', '/api/v1/files', onlyField, { 'content-type': 'multipart/form-data; boundary=b' }), 400, 'validation_failed');
    const emptyUpload = await ws.admin.request('POST', '/api/v1/files', empty.body, { 'content-type': empty.contentType });
    expect(emptyUpload.body).toMatchObject({ size: 0, mime: 'application/octet-stream' });

    const big = await uploadFile(ws.admin, 'big.bin', Buffer.alloc(20 * 1024 * 1024 + 1, 1));
    expectProblem(big, 413, 'payload_too_large');
    const dir = path.join(t.deps.config.dataDir, 'files', ws.workspaceId);
    expect(fs.readdirSync(dir)).toEqual([String(emptyUpload.body.id)]);
    const rows = await t.deps.db.selectFrom('files').select('id').where('workspaceId', '=', ws.workspaceId).execute();
    expect(rows.map((r) => r.id)).toEqual([emptyUpload.body.id]);
  });

  it("answers 404 for another workspace's file", async () => {
    const a = await createWorkspaceWithAdmin(t, 'A');
    const b = await createWorkspaceWithAdmin(t, 'B');
    const file = await uploadFile(a.admin, 'a.txt', 'A secret');
    expectProblem(await b.admin.get(`/api/v1/files/${file.body.id}`), 404, 'not_found');
    const { customerId } = { customerId: String((await b.admin.post('/api/v1/customers', { name: 'B Co' })).body.id) };
    expectProblem(await b.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: customerId, type: 'call', content: 'x', attachmentIds: [file.body.id] }), 400, 'validation_failed');
    expect((await a.admin.get(`/api/v1/files/${file.body.id}`)).raw.body).toBe('A secret');
  });
});
