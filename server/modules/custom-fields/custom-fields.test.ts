import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

describe('custom fields and option lists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('defines fields of every type and validates values against them', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const fields = [
      { key: 'note', type: 'text' },
      { key: 'story', type: 'longText' },
      { key: 'staff', type: 'number' },
      { key: 'budget', type: 'money' },
      { key: 'founded', type: 'date' },
      { key: 'met_at', type: 'datetime' },
      { key: 'tier', type: 'singleSelect', options: [{ value: 'gold', label: '金牌' }, { value: 'silver', label: 'Silver' }] },
      { key: 'channels', type: 'multiSelect', options: [{ value: 'web', label: 'Web' }, { value: 'shop', label: 'Shop' }] },
      { key: 'advisor', type: 'user' },
      { key: 'vip', type: 'boolean' },
      { key: 'fax', type: 'phone' },
      { key: 'billing', type: 'email' },
      { key: 'site', type: 'url' },
      { key: 'tax_no', type: 'text', unique: true, required: true },
    ];
    for (const f of fields) {
      const res = await ws.admin.post('/api/v1/custom-fields/customer', { label: f.key, ...f });
      expect(res.status, f.key).toBe(201);
    }
    expect((await ws.admin.post('/api/v1/custom-fields/customer', { key: 'note', label: 'again', type: 'text' })).status).toBe(409);
    expect((await ws.admin.post('/api/v1/custom-fields/customer', { key: 'Bad Key', label: 'x', type: 'text' })).status).toBe(400);
    expect((await ws.admin.post('/api/v1/custom-fields/customer', { key: 'sel', label: 'x', type: 'singleSelect' })).status).toBe(400);

    const good = {
      note: 'hello',
      story: '很长的故事',
      staff: 120,
      budget: '1234.5',
      founded: '2001-02-03',
      met_at: '2026-11-01T08:00:00+08:00',
      tier: 'gold',
      channels: ['web', 'shop'],
      advisor: ws.adminId,
      vip: true,
      fax: '010-65521234',
      billing: 'AP@Example.com',
      site: 'https://example.com',
      tax_no: '91310000X',
    };
    const created = await ws.admin.post<Json>('/api/v1/customers', { name: 'All types', custom: good });
    expect(created.status).toBe(201);
    expect(created.body.custom).toEqual({ ...good, budget: '1234.50', met_at: '2026-11-01T00:00:00.000Z', billing: 'ap@example.com' });

    const bad = await ws.admin.post<{ errors: { path: string }[] }>('/api/v1/customers', {
      name: 'Bad types',
      custom: { staff: 'many', budget: '1.234', founded: '2001-13-45', tier: 'bronze', channels: ['tv'], vip: 'maybe', billing: 'nope', site: 'ftp://x', tax_no: '91310000X', unknown: 1 },
    });
    expect(bad.status).toBe(400);
    // The taken tax_no is not among them: a clash is a 409 once the rest is valid (custom-fields-unique.test.ts).
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual(
      ['custom.billing', 'custom.budget', 'custom.channels', 'custom.founded', 'custom.site', 'custom.staff', 'custom.tier', 'custom.unknown', 'custom.vip'].sort(),
    );
    const missingRequired = await ws.admin.post<{ errors: { path: string }[] }>('/api/v1/customers', { name: 'No tax no' });
    expect(missingRequired.body.errors.map((e) => e.path)).toEqual(['custom.tax_no']);

    const list = await ws.admin.get<{ data: { key: string }[] }>('/api/v1/custom-fields/customer');
    expect(list.body.data.map((f) => f.key)).toEqual(fields.map((f) => f.key));
  });

  it('edits labels and options, deletes fields, and is admin-only and per workspace', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const field = await ws.admin.post<Json>('/api/v1/custom-fields/contact', { key: 'hobby', label: 'Hobby', type: 'text' });
    const id = String(field.body.id);
    expect((await ws.admin.patch<Json>(`/api/v1/custom-fields/contact/${id}`, { label: '爱好' }, { 'if-match': String(field.body.version) })).body.label).toBe('爱好');
    // Another admin's change since this version was read: 412, and the field keeps the newer label.
    expectProblem(await ws.admin.patch(`/api/v1/custom-fields/contact/${id}`, { label: 'Stale' }, { 'if-match': String(field.body.version) }), 412, 'version_mismatch');
    expect((await ws.admin.get<{ data: Json[] }>('/api/v1/custom-fields/contact')).body.data[0]?.label).toBe('爱好');
    expect((await ws.admin.patch(`/api/v1/custom-fields/contact/${id}`, { options: [{ value: 'a', label: 'A' }] })).status).toBe(400);
    expect((await other.admin.patch(`/api/v1/custom-fields/contact/${id}`, { label: 'x' })).status).toBe(404);
    expect((await other.admin.get<{ data: Json[] }>('/api/v1/custom-fields/contact')).body.data).toEqual([]);
    const rep = await (await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] })).client();
    expect((await rep.get<{ data: Json[] }>('/api/v1/custom-fields/contact')).body.data).toHaveLength(1);
    expect((await rep.post('/api/v1/custom-fields/contact', { key: 'x', label: 'x', type: 'text' })).status).toBe(403);
    expect((await ws.admin.delete(`/api/v1/custom-fields/contact/${id}`)).status).toBe(204);
    expect((await ws.admin.get<{ data: Json[] }>('/api/v1/custom-fields/contact')).body.data).toEqual([]);
  });

  it('seeds option lists per workspace language and lets admins edit them without losing used values', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const lists = await ws.admin.get<{ lists: Record<string, { value: string; label: string; active: boolean }[]> }>('/api/v1/picklists');
    expect(Object.keys(lists.body.lists).sort()).toEqual(['customer.industry', 'customer.level', 'customer.source', 'followUp.type', 'payment.method']);
    expect(lists.body.lists['customer.level']?.map((o) => o.value)).toEqual(['A', 'B', 'C', 'D']);
    // Seeded labels read in the reader's language (this workspace was set up in English).
    type Lists = { lists: Record<string, { value: string; label: string }[]> };
    const reader = await (await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] })).client();
    const levelLabels = async (language: string) => (await reader.request<Lists>('GET', '/api/v1/picklists', undefined, { 'accept-language': language })).body.lists['customer.level']?.map((o) => o.label);
    expect(await levelLabels('en')).toEqual(['A (key account)', 'B (regular)', 'C (low priority)', 'D (unrated)']);
    expect(await levelLabels('zh-CN')).toEqual(['A（重点客户）', 'B（普通客户）', 'C（非优先客户）', 'D（待评估）']);
    // A user's own language setting wins over the browser's.
    expect((await reader.patch('/api/v1/auth/me', { locale: 'zh-CN' })).status).toBe(200);
    expect((await levelLabels('en'))?.[0]).toBe('A（重点客户）');

    await ws.admin.post('/api/v1/customers', { name: 'Level D Co', level: 'D' });
    const replaced = await ws.admin.request<{ options: { value: string; active: boolean }[] }>('PUT', '/api/v1/picklists/customer.level', {
      options: [{ value: 'A', label: 'Key' }, { value: 'S', label: 'Strategic', color: 'purple' }],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.options.map((o) => [o.value, o.active])).toEqual([['A', true], ['S', true], ['B', false], ['C', false], ['D', false]]);
    // A label an admin wrote is shown as written, in every language.
    expect((await levelLabels('en'))?.slice(0, 2)).toEqual(['Key', 'Strategic']);
    // Deactivated values stay on old records but cannot be chosen any more.
    expect((await ws.admin.get<{ data: Json[] }>('/api/v1/customers?level=D')).body.data).toHaveLength(1);
    expect((await ws.admin.post('/api/v1/customers', { name: 'New D', level: 'D' })).status).toBe(400);
    expect((await ws.admin.post('/api/v1/customers', { name: 'New S', level: 'S' })).status).toBe(201);
    expect((await ws.admin.request('PUT', '/api/v1/picklists/customer.nope', { options: [{ value: 'a', label: 'a' }] })).status).toBe(400);
    const rep = await (await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] })).client();
    expect((await rep.request('PUT', '/api/v1/picklists/customer.level', { options: [{ value: 'A', label: 'A' }] })).status).toBe(403);
  });
});
