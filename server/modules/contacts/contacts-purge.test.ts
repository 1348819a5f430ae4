import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

const day = 86_400_000;

/**
 * The daily recycle-bin job purges contacts deleted longer ago than the workspace retention, through
 * the real scheduler and the test clock, and lets go of everything that pointed at them.
 */
describe('contact purge after the recycle-bin retention', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ sessionIdleMinutes: 100_000, sessionAbsoluteHours: 10_000 });
  });
  afterAll(async () => {
    await t.close();
  });

  const contactIdsOf = async (workspaceId: string) =>
    (await t.deps.db.selectFrom('contacts').select('name').where('workspaceId', '=', workspaceId).orderBy('name').execute()).map((r) => r.name);

  async function contact(ws: TestWorkspace, customerId: string, name: string): Promise<string> {
    return String((await ws.admin.post('/api/v1/contacts', { customerId, name })).body.id);
  }

  it('deletes expired contacts for good, keeps younger ones, and clears or re-homes what referred to them', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const patient = await createWorkspaceWithAdmin(t, 'Patient Co');
    await ws.admin.patch('/api/v1/workspace', { settings: { recycleBinDays: 7 } });

    const customerId = String((await ws.admin.post('/api/v1/customers', { name: 'Purge Co' })).body.id);
    const primary = await contact(ws, customerId, 'Primary');
    const old = await contact(ws, customerId, 'Old');
    const young = await contact(ws, customerId, 'Young');
    const keeper = await contact(ws, customerId, 'Keeper');
    // Everything that can point at a contact points at `old`.
    const deal = await ws.admin.post<Json>('/api/v1/deals', { name: 'Deal via Old', customerId, contactId: old, amount: '10.00' });
    expect(deal.status).toBe(201);
    const lead = String((await ws.admin.post('/api/v1/leads', { name: 'Lead of Old', company: 'Purge Co' })).body.id);
    await t.deps.db.updateTable('leads').set({ contactId: old }).where('id', '=', lead).execute();
    const onContact = await ws.admin.post<Json>('/api/v1/follow-ups', { entity: 'contact', recordId: old, type: 'call', content: 'Called Old' });
    expect(onContact.status).toBe(201);
    const onCustomer = String((await ws.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: customerId, type: 'call', content: 'Met them' })).body.id);
    await t.deps.db.updateTable('followUps').set({ contactId: old }).where('id', '=', onCustomer).execute();

    const patientCustomer = String((await patient.admin.post('/api/v1/customers', { name: 'Patient customer' })).body.id);
    const patientContact = await contact(patient, patientCustomer, 'Patient contact');

    expect((await ws.admin.post('/api/v1/contacts/bulk', { action: 'delete', ids: [primary, old] })).status).toBe(200);
    expect((await patient.admin.delete(`/api/v1/contacts/${patientContact}`)).status).toBe(204);
    // An older state of the data (or a race) may have left the customer's primary pointing at a binned contact.
    await t.deps.db.updateTable('customers').set({ primaryContactId: old }).where('id', '=', customerId).execute();
    t.clock.advance(3 * day);
    expect((await ws.admin.delete(`/api/v1/contacts/${young}`)).status).toBe(204);

    // Day 6: nothing has been in the bin for 7 days yet.
    t.clock.advance(3 * day);
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(await contactIdsOf(ws.workspaceId)).toEqual(['Keeper', 'Old', 'Primary', 'Young']);

    // Day 8: the two deleted on day 0 are past the 7 days; the one deleted on day 3 is not.
    t.clock.advance(2 * day);
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(await contactIdsOf(ws.workspaceId)).toEqual(['Keeper', 'Young']);
    expect((await ws.admin.get<{ data: Json[] }>('/api/v1/contacts?deleted=true')).body.data.map((c) => c.id)).toEqual([young]);
    expect((await ws.admin.post('/api/v1/contacts/restore', { ids: [old] })).status).toBe(404);

    // The deal and the lead stay, without the contact.
    const dealAfter = await ws.admin.get<Json>(`/api/v1/deals/${String(deal.body.id)}`);
    expect(dealAfter.body).toMatchObject({ id: deal.body.id, contactId: null });
    expect((await t.deps.db.selectFrom('leads').select('contactId').where('id', '=', lead).executeTakeFirstOrThrow()).contactId).toBeNull();
    // The follow-up logged on the contact is now the customer's; the one naming it lost the name only.
    const followUps = await ws.admin.get<{ data: Json[] }>(`/api/v1/follow-ups?customerId=${customerId}`);
    expect(followUps.body.data.map((f) => ({ entity: f.entity, recordId: f.recordId, contactId: f.contactId, content: f.content })).sort((a, b) => String(a.content).localeCompare(String(b.content)))).toEqual([
      { entity: 'customer', recordId: customerId, contactId: null, content: 'Called Old' },
      { entity: 'customer', recordId: customerId, contactId: null, content: 'Met them' },
    ]);
    const customer = await ws.admin.get<Json>(`/api/v1/customers/${customerId}`);
    expect(customer.status).toBe(200);
    expect(customer.body.primaryContactId ?? null).toBeNull();
    const overview = await ws.admin.get<Json>(`/api/v1/customers/${customerId}/overview`);
    expect(overview.status).toBe(200);
    // The other workspace keeps its bin for 30 days.
    expect(await contactIdsOf(patient.workspaceId)).toEqual(['Patient contact']);

    // Day 11: the day-3 contact is past the retention too.
    t.clock.advance(3 * day);
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(await contactIdsOf(ws.workspaceId)).toEqual(['Keeper']);
    expect(keeper).toBeTruthy();
    const purged = await t.deps.db.selectFrom('auditLog').select('detail').where('workspaceId', '=', ws.workspaceId).where('action', '=', 'contact.purged').execute();
    expect(purged).toHaveLength(2);
  });
});
