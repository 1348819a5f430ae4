import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { csvText, uploadImport } from '../imports/imports.fixtures';

interface Upload {
  id: string;
  guesses: Record<string, string | null>;
}

async function importLeads(t: TestApp, client: Client, rows: string[][], duplicateMode = 'skip') {
  const uploaded = await uploadImport<Upload>(client, 'leads.csv', Buffer.from(csvText(rows), 'utf8'), 'lead');
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const started = await client.post(`/api/v1/imports/${uploaded.body.id}/start`, { mapping: uploaded.body.guesses, duplicateMode });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await runJobsUntilIdle(t.deps);
  return { guesses: uploaded.body.guesses, result: (await client.get<Json>(`/api/v1/imports/${uploaded.body.id}`)).body };
}

describe('lead import and export', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('imports leads from a CSV with Chinese headers: options by label, statuses, duplicates by phone, converted leads untouched', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const first = await importLeads(t, ws.admin, [
      ['姓名', '公司', '手机', '邮箱', '职务', '来源', '状态'],
      ['赵六', '苏州好客', '13800001111', 'zhao@example.com', '经理', '展会', '已联系'],
      ['钱七', '', '13800002222', '', '', 'web', ''],
      ['孙八', '', '', 'bad-email', '', '', ''],
      ['李九', '', '', '', '', '飞鸽传书', ''],
    ]);
    expect(Object.values(first.guesses)).toEqual(['name', 'company', 'phone', 'email', 'title', 'source', 'status']);
    expect(first.result).toMatchObject({ status: 'done', created: 2, failed: 2 });
    const list = await ws.admin.get<{ data: Json[] }>('/api/v1/leads?sort=name');
    const zhao = list.body.data.find((l) => l.name === '赵六');
    expect(zhao).toMatchObject({ company: '苏州好客', source: 'exhibition', status: 'contacted', ownerId: ws.adminId, title: '经理' });
    const history = await ws.admin.get<{ data: Json[] }>(`/api/v1/leads/${String(zhao?.id)}/history`);
    expect(history.body.data.map((e) => e.kind)).toEqual(['created']);

    // Convert one, then import again with "update": the open lead is updated, the converted one is not.
    const qian = list.body.data.find((l) => l.name === '钱七');
    expect((await ws.admin.post(`/api/v1/leads/${String(zhao?.id)}/convert`, { ignoreDuplicates: true })).status).toBe(200);
    const second = await importLeads(
      t,
      ws.admin,
      [
        ['姓名', '手机', '备注'],
        ['赵六', '138-0000-1111', 'late'],
        ['钱七', '+86 138 0000 2222', 'updated'],
      ],
      'update',
    );
    expect(second.result).toMatchObject({ updated: 1 });
    expect((await ws.admin.get(`/api/v1/leads/${String(qian?.id)}`)).body.remark).toBe('updated');
    expect((await ws.admin.get(`/api/v1/leads/${String(zhao?.id)}`)).body.remark ?? null).toBeNull();
  });

  it('needs lead:import; a rep imports leads for themselves only', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const viewer = await createUser(t.app, ws.admin, { roleIds: [ws.roles.service_agent ?? ''] });
    const refused = await uploadImport((await viewer.client()), 'leads.csv', Buffer.from(csvText([['name'], ['X']])), 'lead');
    expect(refused.status).toBe(403);
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const done = await importLeads(t, repClient, [
      ['name', 'owner'],
      ['Mine', ''],
      ['For admin', 'Admin'],
    ]);
    expect(done.result).toMatchObject({ created: 1, failed: 1 });
    const mine = await repClient.get<{ data: Json[] }>('/api/v1/leads');
    expect(mine.body.data.map((l) => [l.name, l.ownerId])).toEqual([['Mine', rep.id]]);
  });

  it('exports leads as CSV within the export scope, and masked by field rule', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    await repClient.post('/api/v1/leads', { name: 'Rep lead', company: 'Rep Co', phone: '13811112222', source: 'web' });
    await ws.admin.post('/api/v1/leads', { name: 'Admin lead' });
    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, { fieldRules: [{ entity: 'lead', field: 'phone', access: 'read', masked: true }] });
    const created = await repClient.post<Json>('/api/v1/exports', { entity: 'lead', format: 'csv', filter: {} });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    await runJobsUntilIdle(t.deps);
    const download = await repClient.get(`/api/v1/exports/${String(created.body.id)}/download`);
    expect(download.status).toBe(200);
    const text = download.raw.rawPayload.toString('utf8').replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('Name');
    expect(lines[1]).toContain('Rep lead');
    expect(lines[1]).toContain('138****2222');
    expect(text).not.toContain('Admin lead');
    expect((await ws.admin.post('/api/v1/exports', { entity: 'lead', format: 'csv', filter: { nope: '1' } })).status).toBe(400);
  });
});
