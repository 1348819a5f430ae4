import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface TimelineItem extends Json {
  kind: string;
  entity: string;
  recordId: string;
  actorName: string | null;
  data: Json | null;
}

/** The customer 360 shows where a converted customer came from: "converted from lead <name>", with the source. */
describe('lead conversion on the customer timeline', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('puts "converted from lead <name>" with its source on the new customer\'s timeline, for those who may view leads', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const lead = await ws.admin.post('/api/v1/leads', { name: '韩梅梅', company: '上海展会科技有限公司', phone: '13922223333', source: 'exhibition' });
    expect(lead.status).toBe(201);
    const leadId = String(lead.body.id);
    t.clock.advance(1000);
    const converted = await ws.admin.post(`/api/v1/leads/${leadId}/convert`, {});
    expect(converted.status).toBe(200);
    const customerId = String(converted.body.customerId);

    const page = await ws.admin.get<{ data: TimelineItem[] }>(`/api/v1/customers/${customerId}/timeline`);
    expect(page.status).toBe(200);
    const entry = page.body.data.find((e) => e.kind === 'lead_converted');
    expect(entry).toMatchObject({ entity: 'lead', recordId: leadId, actorName: 'Admin', data: { leadId, leadName: '韩梅梅', source: 'exhibition', attached: false } });
    // The creation entry points back at the lead too, so the origin survives for viewers without lead rights.
    expect(page.body.data.find((e) => e.kind === 'created')?.data).toMatchObject({ name: '上海展会科技有限公司', fromLeadId: leadId });
    expect((await ws.admin.get<{ data: TimelineItem[] }>(`/api/v1/customers/${customerId}/timeline?kind=lead_converted`)).body.data).toHaveLength(1);

    // Someone who may see customers but not leads sees the customer's creation, not the lead's details.
    const viewer = await createUserWithGrants(t.app, ws.admin, [{ entity: 'customer', action: 'view', scope: 'all' }]);
    const kinds = (await viewer.session.get<{ data: TimelineItem[] }>(`/api/v1/customers/${customerId}/timeline`)).body.data.map((e) => e.kind);
    expect(kinds).toContain('created');
    expect(kinds).not.toContain('lead_converted');
  });

  it('marks a lead attached to an existing customer as attached, without a second creation entry', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const existing = await ws.admin.post('/api/v1/customers', { name: '已有客户有限公司' });
    const customerId = String(existing.body.id);
    const lead = await ws.admin.post('/api/v1/leads', { name: '李雷', company: '已有客户有限公司', source: 'referral' });
    expect(lead.status).toBe(201);
    const leadId = String(lead.body.id);
    const converted = await ws.admin.post(`/api/v1/leads/${leadId}/convert`, { customerId });
    expect(converted.status).toBe(200);
    expect(converted.body).toMatchObject({ customerId, createdCustomer: false });

    const items = (await ws.admin.get<{ data: TimelineItem[] }>(`/api/v1/customers/${customerId}/timeline`)).body.data;
    expect(items.find((e) => e.kind === 'lead_converted')?.data).toMatchObject({ leadId, leadName: '李雷', source: 'referral', attached: true });
    expect(items.filter((e) => e.kind === 'created')).toHaveLength(1);
    expect(items.find((e) => e.kind === 'created')?.data).not.toHaveProperty('fromLeadId');
  });
});
