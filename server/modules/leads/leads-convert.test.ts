import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipeline } from '../pipelines/pipelines.seed';
import { createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

describe('lead conversion', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function leadWithFollowUps(ws: TestWorkspace, body: Json = {}) {
    const lead = await ws.admin.post('/api/v1/leads', { name: '李雷', company: '北京韩梅梅科技有限公司', phone: '13911112222', email: 'lilei@example.com', title: 'CTO', source: 'exhibition', industry: 'it', ...body });
    expect(lead.status).toBe(201);
    const id = String(lead.body.id);
    const f1 = await ws.admin.post(`/api/v1/leads/${id}/follow-ups`, { type: 'call', content: 'Met at the fair' });
    t.clock.advance(1000);
    const f2 = await ws.admin.post(`/api/v1/leads/${id}/follow-ups`, { type: 'visit', content: 'Demo booked' });
    return { id, followUpIds: [String(f1.body.id), String(f2.body.id)] };
  }

  it('converts to customer + primary contact, moves follow-ups, carries the source, and locks the lead', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { id, followUpIds } = await leadWithFollowUps(ws);
    const preview = await ws.admin.get(`/api/v1/leads/${id}/convert-preview`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ customer: { name: '北京韩梅梅科技有限公司', kind: 'company', source: 'exhibition' }, contact: { name: '李雷', title: 'CTO' }, duplicates: [], followUps: 2 });

    const res = await ws.admin.post(`/api/v1/leads/${id}/convert`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ leadId: id, dealId: null, createdCustomer: true, movedFollowUps: 2 });
    const customerId = String(res.body.customerId);
    const customer = await ws.admin.get(`/api/v1/customers/${customerId}`);
    expect(customer.body).toMatchObject({ name: '北京韩梅梅科技有限公司', source: 'exhibition', industry: 'it', phone: '13911112222', ownerId: ws.adminId, primaryContactId: res.body.contactId, primaryContactName: '李雷', lastFollowupContent: 'Demo booked' });

    const followUps = await ws.admin.get<{ data: Json[] }>(`/api/v1/follow-ups?customerId=${customerId}`);
    expect(followUps.body.data.map((f) => f.id).sort()).toEqual([...followUpIds].sort());
    expect(followUps.body.data.every((f) => f.entity === 'customer' && f.recordId === customerId)).toBe(true);
    expect((await ws.admin.get<{ data: Json[] }>(`/api/v1/leads/${id}/follow-ups`)).body.data).toEqual([]);

    const timeline = await t.deps.db.selectFrom('timelineEvents').select(['kind', 'data']).where('workspaceId', '=', ws.workspaceId).where('customerId', '=', customerId).execute();
    expect(timeline.map((e) => e.kind).sort()).toEqual(['contact_added', 'created', 'follow_up', 'follow_up', 'lead_converted']);

    const lead = await ws.admin.get(`/api/v1/leads/${id}`);
    expect(lead.body).toMatchObject({ status: 'converted', customerId, contactId: res.body.contactId, dealId: null, access: { edit: false, delete: false, assign: false, convert: false } });
    expect(lead.body.convertedAt).toEqual(expect.any(String));
    // Read-only from now on.
    for (const attempt of [
      () => ws.admin.patch(`/api/v1/leads/${id}`, { remark: 'late edit' }),
      () => ws.admin.post(`/api/v1/leads/${id}/assign`, { ownerId: ws.adminId }),
      () => ws.admin.post(`/api/v1/leads/${id}/convert`, { ignoreDuplicates: true }),
      () => ws.admin.post(`/api/v1/leads/${id}/follow-ups`, { type: 'call', content: 'x' }),
      () => ws.admin.delete(`/api/v1/leads/${id}`),
    ]) {
      const r = await attempt();
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('lead_converted');
    }
    const history = await ws.admin.get<{ data: Json[] }>(`/api/v1/leads/${id}/history`);
    expect(history.body.data[0]).toMatchObject({ kind: 'converted', data: { customerId } });
  });

  it('warns about duplicates, lets the user attach to the existing customer instead, or create anyway', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const existing = await ws.admin.post('/api/v1/customers', { name: '北京韩梅梅科技', contact: { name: '韩梅梅' } });
    const existingId = String(existing.body.id);
    const { id } = await leadWithFollowUps(ws, { phone: null, email: null });
    const preview = await ws.admin.get<{ duplicates: Json[] }>(`/api/v1/leads/${id}/convert-preview`);
    expect(preview.body.duplicates).toMatchObject([{ id: existingId, reasons: ['name'], visible: true }]);
    const refused = await ws.admin.post(`/api/v1/leads/${id}/convert`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('duplicate_customer');
    expect((await ws.admin.get(`/api/v1/leads/${id}`)).body.status).not.toBe('converted');

    const attached = await ws.admin.post(`/api/v1/leads/${id}/convert`, { customerId: existingId });
    expect(attached.status).toBe(200);
    expect(attached.body).toMatchObject({ customerId: existingId, createdCustomer: false, movedFollowUps: 2 });
    const contacts = await t.deps.db.selectFrom('contacts').select(['name', 'isPrimary']).where('customerId', '=', existingId).orderBy('createdAt').execute();
    // The existing primary contact stays primary; the lead's person joins as another contact.
    expect(contacts.map((c) => [c.name, c.isPrimary])).toEqual([
      ['韩梅梅', 1],
      ['李雷', 0],
    ]);
    const customers = await ws.admin.get<{ data: Json[] }>('/api/v1/customers');
    expect(customers.body.data).toHaveLength(1);

    const second = await leadWithFollowUps(ws, { phone: null, email: null, name: 'Second' });
    const forced = await ws.admin.post(`/api/v1/leads/${second.id}/convert`, { ignoreDuplicates: true, customerName: '北京韩梅梅科技（二部）' });
    expect(forced.status).toBe(200);
    expect(forced.body.createdCustomer).toBe(true);
    // Attaching to a customer one cannot see is a bad reference.
    const other = await createWorkspaceWithAdmin(t, 'Elsewhere');
    const foreign = await other.admin.post('/api/v1/customers', { name: 'Foreign' });
    const third = await ws.admin.post('/api/v1/leads', { name: 'Third' });
    expect((await ws.admin.post(`/api/v1/leads/${String(third.body.id)}/convert`, { customerId: String(foreign.body.id) })).status).toBe(400);
  });

  it('creates a deal in the chosen pipeline and stage, with the source and the lead on it', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const pipelineId = await ensureDefaultPipeline(t.deps.db, ws.workspaceId, new Date().toISOString());
    const stages = await t.deps.db.selectFrom('pipelineStages').select(['id', 'sort']).where('pipelineId', '=', pipelineId).orderBy('sort').execute();
    const stageId = String(stages[1]?.id);
    const { id } = await leadWithFollowUps(ws);
    const res = await ws.admin.post(`/api/v1/leads/${id}/convert`, { deal: { name: 'Pilot project', pipelineId, stageId, amount: '12500.00', expectedCloseDate: '2026-12-31' } });
    expect(res.status).toBe(200);
    const dealId = String(res.body.dealId);
    const deal = await t.deps.db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirstOrThrow();
    expect(deal).toMatchObject({ name: 'Pilot project', customerId: res.body.customerId, contactId: res.body.contactId, leadId: id, pipelineId, stageId, amountCents: 1_250_000, source: 'exhibition', ownerId: ws.adminId });
    expect((await ws.admin.get(`/api/v1/deals/${dealId}`)).body).toMatchObject({ amount: '12500.00', currency: 'CNY' });
    expect((await ws.admin.get(`/api/v1/leads/${id}`)).body.dealId).toBe(dealId);

    // A bad stage rolls the whole conversion back: no customer, lead still open.
    const second = await leadWithFollowUps(ws, { company: 'Another Co', phone: null, email: null });
    const bad = await ws.admin.post(`/api/v1/leads/${second.id}/convert`, { deal: { pipelineId, stageId: '00000000-0000-7000-8000-000000000000' } });
    expect(bad.status).toBe(400);
    const still = await ws.admin.get(`/api/v1/leads/${second.id}`);
    expect(still.body).toMatchObject({ status: 'contacted', customerId: null });
    expect((await ws.admin.get<{ data: Json[] }>(`/api/v1/leads/${second.id}/follow-ups`)).body.data).toHaveLength(2);
    const customers = await t.deps.db.selectFrom('customers').select('name').where('workspaceId', '=', ws.workspaceId).execute();
    expect(customers.map((c) => c.name)).toEqual(['北京韩梅梅科技有限公司']);
  });

  it("gives a rep's converted lead to the rep, refuses a rep without customer rights, and converts once under concurrency", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const lead = await repClient.post('/api/v1/leads', { name: 'Rep lead', company: 'Rep Co' });
    const id = String(lead.body.id);
    const results = await Promise.all([1, 2, 3].map(() => repClient.post(`/api/v1/leads/${id}/convert`, {})));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const customers = await repClient.get<{ data: Json[] }>('/api/v1/customers');
    expect(customers.body.data.map((c) => [c.name, c.ownerId])).toEqual([['Rep Co', rep.id]]);

    const role = await ws.admin.post('/api/v1/roles', { name: 'Lead only', permissions: [{ entity: 'lead', action: 'view', scope: 'own' }, { entity: 'lead', action: 'create', scope: 'own' }, { entity: 'lead', action: 'edit', scope: 'own' }], fieldRules: [] });
    const leadOnly = await createUser(t.app, ws.admin, { roleIds: [String(role.body.id)] });
    const leadOnlyClient = await leadOnly.client();
    const own = await leadOnlyClient.post('/api/v1/leads', { name: 'Cannot convert' });
    expect(own.body.access).toMatchObject({ edit: true, convert: false });
    expect((await leadOnlyClient.post(`/api/v1/leads/${String(own.body.id)}/convert`, {})).status).toBe(403);
    // Invalid leads are not converted.
    const invalid = await ws.admin.post('/api/v1/leads', { name: 'Spam', status: 'invalid' });
    expect((await ws.admin.post(`/api/v1/leads/${String(invalid.body.id)}/convert`, {})).status).toBe(422);
  });

  it('follows its customer through a merge', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const lead = await ws.admin.post('/api/v1/leads', { name: 'Merged away', company: 'Source Co' });
    const converted = await ws.admin.post(`/api/v1/leads/${String(lead.body.id)}/convert`, {});
    const target = await ws.admin.post('/api/v1/customers', { name: 'Target Co' });
    const merged = await ws.admin.post('/api/v1/customers/merge', { targetId: String(target.body.id), sourceIds: [String(converted.body.customerId)], fields: {} });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect((await ws.admin.get(`/api/v1/leads/${String(lead.body.id)}`)).body.customerId).toBe(target.body.id);
  });

  it('counts leads and conversions per source, within the data scope', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const ids: string[] = [];
    for (const [source, client] of [['web', repClient], ['web', repClient], ['ads', repClient], [null, repClient], ['web', ws.admin]] as const) {
      ids.push(String((await client.post('/api/v1/leads', { name: `L ${ids.length}`, company: `Co ${ids.length}`, source })).body.id));
    }
    expect((await repClient.post(`/api/v1/leads/${ids[0]}/convert`, {})).status).toBe(200);
    expect((await ws.admin.post(`/api/v1/leads/${ids[4]}/convert`, {})).status).toBe(200);
    const mine = await repClient.get<{ data: Json[]; total: number; converted: number }>('/api/v1/leads/conversion-by-source');
    expect(mine.body).toMatchObject({ total: 4, converted: 1 });
    expect(mine.body.data).toEqual([
      { source: 'web', total: 2, converted: 1, invalid: 0, conversionRate: 0.5 },
      { source: 'ads', total: 1, converted: 0, invalid: 0, conversionRate: 0 },
      { source: null, total: 1, converted: 0, invalid: 0, conversionRate: 0 },
    ]);
    const all = await ws.admin.get<{ data: Json[] }>('/api/v1/leads/conversion-by-source?from=2000-01-01');
    expect(all.body.data[0]).toMatchObject({ source: 'web', total: 3, converted: 2 });
    expect((await ws.admin.get('/api/v1/leads/conversion-by-source?from=yesterday')).status).toBe(400);
  });

  it("respects the owner's ownership limit (客户数上限) and rolls back", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const limit = await ws.admin.request('PUT', '/api/v1/ownership-limits', { subjectType: 'user', subjectId: rep.id, maxOwned: 1, maxLocked: null });
    expect(limit.status, JSON.stringify(limit.body)).toBe(200);
    await repClient.post('/api/v1/customers', { name: 'Already mine' });
    const lead = await repClient.post('/api/v1/leads', { name: 'One too many', company: 'Too Many Co' });
    const res = await repClient.post(`/api/v1/leads/${String(lead.body.id)}/convert`, {});
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ownership_limit_reached');
    expect((await repClient.get(`/api/v1/leads/${String(lead.body.id)}`)).body.status).toBe('new');
  });
});
