import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';

async function customer(client: Client, body: Json): Promise<Json> {
  const res = await client.post('/api/v1/customers', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('merging customers (合并)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function followUp(ws: TestWorkspace, customerId: string, content: string) {
    const now = new Date().toISOString();
    await t.deps.db
      .insertInto('followUps')
      .values({ id: newId(), workspaceId: ws.workspaceId, entity: 'customer', recordId: customerId, customerId, contactId: null, type: 'call', content, nextFollowupAt: null, attachments: null, ownerId: ws.adminId, createdAt: now, updatedAt: now, deletedAt: null })
      .execute();
  }

  it('previews, then merges everything into the target with the chosen field values, audited', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await ws.admin.post('/api/v1/custom-fields/customer', { key: 'region', label: 'Region', type: 'text' });
    const vip = await ws.admin.post('/api/v1/tags', { name: 'VIP' });
    const hot = await ws.admin.post('/api/v1/tags', { name: 'Hot' });
    const helper = await createUser(t.app, ws.admin, { name: 'Helper' });
    const target = await customer(ws.admin, { name: '好客科技', phone: '13800000001', level: 'A', custom: { region: 'east' }, tagIds: [vip.body.id], contact: { name: '甲' } });
    const source = await customer(ws.admin, { name: '好客科技有限公司', phone: '13800000002', email: 'hi@haoke.cn', level: 'A', custom: { region: 'west' }, tagIds: [vip.body.id, hot.body.id], contact: { name: '乙' } });
    const tid = String(target.id);
    const sid = String(source.id);
    await ws.admin.request('PUT', `/api/v1/customers/${tid}/collaborators`, { collaborators: [{ userId: helper.id, access: 'read' }] });
    await ws.admin.request('PUT', `/api/v1/customers/${sid}/collaborators`, { collaborators: [{ userId: helper.id, access: 'write' }] });
    await followUp(ws, sid, '电话沟通');

    const preview = await ws.admin.post<Json>('/api/v1/customers/merge/preview', { targetId: tid, sourceIds: [sid] });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect((preview.body.target as Json).id).toBe(tid);
    expect((preview.body.sources as Json[]).map((s) => s.id)).toEqual([sid]);
    const fields = preview.body.fields as { field: string; values: { customerId: string; value: unknown }[] }[];
    expect(fields.map((f) => f.field)).toEqual(['name', 'phone', 'email', 'cf.region']);
    expect(fields.find((f) => f.field === 'cf.region')?.values).toEqual([
      { customerId: tid, value: 'east' },
      { customerId: sid, value: 'west' },
    ]);
    expect(preview.body.counts).toMatchObject({ contacts: 1, followUps: 1, tags: 1 });
    expect((preview.body.counts as Json).timeline).toBeGreaterThanOrEqual(2);

    const merged = await ws.admin.post<Json>('/api/v1/customers/merge', {
      targetId: tid,
      sourceIds: [sid],
      fields: { email: sid, 'cf.region': sid, phone: tid },
      versions: { [tid]: Number(target.version), [sid]: Number(source.version) },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ id: tid, name: '好客科技', phone: '13800000001', email: 'hi@haoke.cn', level: 'A', custom: { region: 'west' }, primaryContactName: '甲' });
    expect((merged.body.tags as Json[]).map((g) => g.name).sort()).toEqual(['Hot', 'VIP']);

    const db = t.deps.db;
    const contacts = await db.selectFrom('contacts').select(['name', 'customerId', 'isPrimary']).where('workspaceId', '=', ws.workspaceId).orderBy('name').execute();
    expect(contacts).toEqual([
      { name: '乙', customerId: tid, isPrimary: 0 },
      { name: '甲', customerId: tid, isPrimary: 1 },
    ]);
    expect(await db.selectFrom('followUps').select(['customerId', 'recordId']).where('workspaceId', '=', ws.workspaceId).execute()).toEqual([{ customerId: tid, recordId: tid }]);
    const timeline = await db.selectFrom('timelineEvents').select(['customerId', 'recordId', 'kind', 'data']).where('workspaceId', '=', ws.workspaceId).execute();
    expect(timeline.every((e) => e.customerId === tid)).toBe(true);
    // The source's own history moved with it and still says which record it was about.
    expect(timeline.filter((e) => e.recordId === sid).map((e) => e.kind)).toContain('created');
    expect(timeline.some((e) => e.kind === 'merged' && JSON.stringify(e.data).includes(sid))).toBe(true);
    const collaborators = await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${tid}/collaborators`);
    expect(collaborators.body.data).toEqual([{ userId: helper.id, userName: 'Helper', access: 'write', expiresAt: null }]);

    // The source is in the recycle bin, marked merged, and cannot come back on its own.
    expect((await ws.admin.get(`/api/v1/customers/${sid}`)).status).toBe(404);
    expect((await db.selectFrom('customers').select(['mergedInto', 'deletedAt']).where('id', '=', sid).executeTakeFirstOrThrow()).mergedInto).toBe(tid);
    expectProblem(await ws.admin.post(`/api/v1/customers/${sid}/restore`), 422, 'business_rule');

    // Search follows: the source is gone, its contact is found under the target's name.
    const hits = await ws.admin.get<{ customers: Json[]; contacts: Json[] }>(`/api/v1/search?q=${encodeURIComponent('好客')}`);
    expect(hits.body.customers.map((c) => c.id)).toEqual([tid]);
    expect(hits.body.contacts.map((c) => [c.name, c.customerId]).sort()).toEqual([
      ['乙', tid],
      ['甲', tid],
    ]);

    const audit = await ws.admin.get<{ data: Json[] }>('/api/v1/audit-log?action=customer.merged');
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({ targetId: tid, detail: { sourceIds: [sid], fields: { email: sid, 'cf.region': sid } } });
  });

  it('moves deals, contracts, payments and ownership history of the merged customers to the survivor', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const target = await customer(ws.admin, { name: 'Survivor Co' });
    const source = await customer(ws.admin, { name: 'Survivor Company' });
    const deal = await ws.admin.post<Json>('/api/v1/deals', { name: 'Deal on the source', customerId: source.id });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const contract = await ws.admin.post<Json>('/api/v1/contracts', { name: 'Contract on the source', customerId: source.id, total: '500.00' });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    const merged = await ws.admin.post<Json>('/api/v1/customers/merge', {
      targetId: target.id,
      sourceIds: [source.id],
      fields: {},
      versions: { [String(target.id)]: Number(target.version), [String(source.id)]: Number(source.version) },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect((await ws.admin.get<Json>(`/api/v1/deals/${String(deal.body.id)}`)).body.customerId).toBe(target.id);
    expect((await ws.admin.get<Json>(`/api/v1/contracts/${String(contract.body.id)}`)).body.customerId).toBe(target.id);
  });

  it('refuses merges the caller may not do, and stale or invalid ones', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const mine1 = String((await customer(repClient, { name: 'Mine One' })).id);
    const mine2 = await customer(repClient, { name: 'Mine Two', phone: '13900000000' });
    const theirs = String((await customer(ws.admin, { name: 'Theirs' })).id);
    const merge = (client: Client, body: Json) => client.post('/api/v1/customers/merge', body);

    // Not visible: 404, as for any record outside the scope.
    expectProblem(await merge(repClient, { targetId: mine1, sourceIds: [theirs] }), 404, 'not_found');
    expectProblem(await merge(repClient, { targetId: theirs, sourceIds: [mine1] }), 404, 'not_found');
    // Visible through a read-write share, but not deletable: 403.
    await ws.admin.request('PUT', `/api/v1/customers/${theirs}/collaborators`, { collaborators: [{ userId: rep.id, access: 'write' }] });
    expectProblem(await merge(repClient, { targetId: mine1, sourceIds: [theirs] }), 403, 'forbidden');
    expectProblem(await repClient.post('/api/v1/customers/merge/preview', { targetId: mine1, sourceIds: [theirs] }), 403, 'forbidden');
    // Edit without delete.
    const editor = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'customer', action: 'view' },
      { entity: 'customer', action: 'edit' },
    ]);
    expectProblem(await merge(editor.session, { targetId: mine1, sourceIds: [String(mine2.id)] }), 403, 'forbidden');
    // Field rules: taking another customer's value writes that field.
    await ws.admin.patch(`/api/v1/roles/${ws.roles.sales}`, { fieldRules: [{ entity: 'customer', field: 'phone', access: 'read' }] });
    expectProblem(await merge(repClient, { targetId: mine1, sourceIds: [String(mine2.id)], fields: { phone: String(mine2.id) } }), 403, 'field_forbidden');
    // Choosing another owner is a transfer.
    const other = await createUser(t.app, ws.admin, {});
    const third = String((await customer(ws.admin, { name: 'Third', ownerId: other.id })).id);
    const noTransfer = await createUserWithGrants(t.app, ws.admin, ['view', 'edit', 'delete'].map((action) => ({ entity: 'customer', action })));
    expectProblem(await merge(noTransfer.session, { targetId: theirs, sourceIds: [third], fields: { ownerId: third } }), 403, 'forbidden');

    // Invalid choices and requests.
    expectProblem(await merge(ws.admin, { targetId: mine1, sourceIds: [mine1] }), 400, 'validation_failed');
    expectProblem(await merge(ws.admin, { targetId: mine1, sourceIds: [String(mine2.id)], fields: { name: theirs } }), 400, 'validation_failed');
    expectProblem(await merge(ws.admin, { targetId: mine1, sourceIds: [String(mine2.id)], fields: { nonsense: mine1 } }), 400, 'validation_failed');
    // Stale: the source changed since the caller looked.
    expectProblem(await merge(ws.admin, { targetId: mine1, sourceIds: [String(mine2.id)], versions: { [String(mine2.id)]: Number(mine2.version) - 1 } }), 412, 'version_mismatch');
    // A locked customer cannot be merged away.
    await ws.admin.post(`/api/v1/customers/${String(mine2.id)}/lock`);
    expectProblem(await merge(ws.admin, { targetId: mine1, sourceIds: [String(mine2.id)] }), 422, 'business_rule');
    await ws.admin.post(`/api/v1/customers/${String(mine2.id)}/unlock`);

    // Nothing was merged by any of it.
    const live = await t.deps.db.selectFrom('customers').select('id').where('workspaceId', '=', ws.workspaceId).where('deletedAt', 'is', null).execute();
    expect(live).toHaveLength(4);

    // The admin may, and may choose another owner (recorded as an owner change).
    const done = await merge(ws.admin, { targetId: theirs, sourceIds: [third, mine1], fields: { ownerId: third } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ id: theirs, ownerId: other.id });
    const kinds = await t.deps.db.selectFrom('timelineEvents').select('kind').where('customerId', '=', theirs).where('recordId', '=', theirs).execute();
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['merged', 'owner_change']));
  });
});
