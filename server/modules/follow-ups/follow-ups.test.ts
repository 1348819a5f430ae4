import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createDepartment, createUser, createUserWithGrants, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, type Json, type TestApp } from '../../testing/test-app';
import { uploadFile, useFilesTestApp } from '../files/files.testing';

interface Page {
  data: Json[];
  nextCursor: string | null;
}
interface Mine extends Page {
  counts: { today: number; overdue: number; upcoming: number };
}

describe('follow-ups', () => {
  let t: TestApp;
  useFilesTestApp((app) => (t = app));

  async function customerWithContact(client: Client, name: string) {
    const customer = await client.post('/api/v1/customers', { name, contact: { name: `${name} 联系人` } });
    return { customerId: String(customer.body.id), contactId: String(customer.body.primaryContactId) };
  }

  it("logs a follow-up with attachments and updates the parent's last / next follow-up and the timeline", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId, contactId } = await customerWithContact(ws.admin, '好客');
    const file = await uploadFile(ws.admin, '报价单.txt', 'price list');
    expect(file.status).toBe(201);

    const created = await ws.admin.post('/api/v1/follow-ups', {
      entity: 'customer',
      recordId: customerId,
      type: 'call',
      content: '电话沟通，客户对报价有兴趣',
      nextFollowupAt: '2030-01-02T03:00:00+08:00',
      attachmentIds: [file.body.id],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      entity: 'customer',
      recordId: customerId,
      customerId,
      customerName: '好客',
      contactId: null,
      type: 'call',
      nextFollowupAt: '2030-01-01T19:00:00.000Z',
      attachments: [{ id: file.body.id, name: '报价单.txt', size: 10, mime: 'text/plain' }],
      ownerId: ws.adminId,
      ownerName: 'Admin',
      access: { edit: true, delete: true },
    });
    const customer = await ws.admin.get(`/api/v1/customers/${customerId}`);
    expect(customer.body).toMatchObject({ lastFollowupAt: created.body.createdAt, lastFollowupContent: '电话沟通，客户对报价有兴趣', nextFollowupAt: '2030-01-01T19:00:00.000Z' });

    // On a contact: the contact and its customer both move.
    t.clock.advance(1000);
    const onContact = await ws.admin.post('/api/v1/follow-ups', { entity: 'contact', recordId: contactId, type: 'wechat', content: '微信发了资料' });
    expect(onContact.body).toMatchObject({ entity: 'contact', customerId, contactId, contactName: '好客 联系人', nextFollowupAt: null });
    expect((await ws.admin.get(`/api/v1/contacts/${contactId}`)).body).toMatchObject({ lastFollowupAt: onContact.body.createdAt, nextFollowupAt: null });
    // Without a next time of its own it leaves the customer's next contact, still ahead, in place.
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body).toMatchObject({ lastFollowupContent: '微信发了资料', nextFollowupAt: '2030-01-01T19:00:00.000Z' });
    const summary = await t.deps.db.selectFrom('contacts').select('lastFollowupContent').where('id', '=', contactId).executeTakeFirstOrThrow();
    expect(summary.lastFollowupContent).toBe('微信发了资料');

    const timeline = await ws.admin.get<Page>(`/api/v1/customers/${customerId}/timeline?kind=follow_up`);
    expect(timeline.body.data.map((e) => e.data)).toEqual([
      { followUpId: onContact.body.id, type: 'wechat', content: '微信发了资料', contactId },
      { followUpId: created.body.id, type: 'call', content: '电话沟通，客户对报价有兴趣', attachments: [{ id: file.body.id, name: '报价单.txt', size: 10, mime: 'text/plain' }] },
    ]);

    // Deleting the newest follow-up hands the summary back to the one before it.
    expect((await ws.admin.delete(`/api/v1/follow-ups/${String(onContact.body.id)}`)).status).toBe(204);
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body).toMatchObject({ lastFollowupAt: created.body.createdAt, nextFollowupAt: '2030-01-01T19:00:00.000Z' });
    expect((await ws.admin.get(`/api/v1/contacts/${contactId}`)).body).toMatchObject({ lastFollowupAt: null, nextFollowupAt: null });
    expect((await ws.admin.get<Page>(`/api/v1/customers/${customerId}/timeline?kind=follow_up`)).body.data).toHaveLength(1);
    expectProblem(await ws.admin.get(`/api/v1/follow-ups/${String(onContact.body.id)}`), 404, 'not_found');

    // Editing the newest one moves the parent's next time with it, and the timeline entry follows.
    const edited = await ws.admin.patch(`/api/v1/follow-ups/${String(created.body.id)}`, { content: '改：已发报价', nextFollowupAt: '2030-02-01T00:00:00Z', attachmentIds: [] });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ content: '改：已发报价', attachments: [] });
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body).toMatchObject({ lastFollowupContent: '改：已发报价', nextFollowupAt: '2030-02-01T00:00:00.000Z' });
    const entry = (await ws.admin.get<Page>(`/api/v1/customers/${customerId}/timeline?kind=follow_up`)).body.data[0];
    expect(entry?.data).toMatchObject({ content: '改：已发报价' });
    // The attachments were removed in the edit: the timeline no longer lists them.
    expect(entry?.data).not.toHaveProperty('attachments');

    // A next contact already due is what a follow-up without a next time fulfils: it is cleared.
    expect((await ws.admin.patch(`/api/v1/customers/${customerId}`, { nextFollowupAt: '2020-01-01T00:00:00Z' })).status).toBe(200);
    await ws.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: customerId, type: 'call', content: '按计划回电' });
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body).toMatchObject({ lastFollowupContent: '按计划回电', nextFollowupAt: null });
  });

  it('validates type, parent and attachments (400)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerWithContact(ws.admin, 'V');
    const base = { entity: 'customer', recordId: customerId, type: 'call', content: 'x' };
    expectProblem(await ws.admin.post('/api/v1/follow-ups', { ...base, type: 'telepathy' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/follow-ups', { ...base, content: '   ' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/follow-ups', { ...base, entity: 'deal' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/follow-ups', { ...base, recordId: '0190a000-0000-7000-8000-000000000000' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/follow-ups', { ...base, entity: 'contact' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/follow-ups', { ...base, nextFollowupAt: 'tomorrow' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/follow-ups', { ...base, attachmentIds: ['0190a000-0000-7000-8000-000000000000'] }), 400, 'validation_failed');
    // A deactivated type is refused on new follow-ups.
    const lists = await ws.admin.get<{ lists: Record<string, Json[]> }>('/api/v1/picklists');
    const options = (lists.body.lists['followUp.type'] ?? []).map((o) => ({ value: o.value, label: o.label, active: o.value !== 'sms' }));
    expect((await ws.admin.request('PUT', '/api/v1/picklists/followUp.type', { options })).status).toBe(200);
    expectProblem(await ws.admin.post('/api/v1/follow-ups', { ...base, type: 'sms' }), 400, 'validation_failed');
    // Someone else's upload cannot be attached (it would become downloadable through my record).
    const colleague = await createUser(t.app, ws.admin, { roleIds: [ws.roles.admin ?? ''] });
    const theirs = await uploadFile(await colleague.client(), 'theirs.txt', 'private');
    expectProblem(await ws.admin.post('/api/v1/follow-ups', { ...base, attachmentIds: [theirs.body.id] }), 400, 'validation_failed');
    expect((await ws.admin.post('/api/v1/follow-ups', base)).status).toBe(201);
  });

  it('lists with filters and keyset pages; reps see follow-ups of customers they see; edit and delete by author or scope', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const department = await createDepartment(ws.admin, 'Sales');
    const manager = await createUser(t.app, ws.admin, { name: 'Manager', roleIds: [ws.roles.sales_manager ?? ''], departmentId: department });
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''], managerId: manager.id, departmentId: department });
    const other = await createUser(t.app, ws.admin, { name: 'Other', roleIds: [ws.roles.sales ?? ''] });
    const [repClient, managerClient, otherClient] = [await rep.client(), await manager.client(), await other.client()];
    const mine = await customerWithContact(repClient, 'Rep customer');
    const foreign = await customerWithContact(ws.admin, 'Admin customer');

    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      t.clock.advance(1000);
      const res = await repClient.post('/api/v1/follow-ups', { entity: i % 2 ? 'contact' : 'customer', recordId: i % 2 ? mine.contactId : mine.customerId, type: i < 3 ? 'call' : 'visit', content: `Note ${i}` });
      expect(res.status).toBe(201);
      ids.push(String(res.body.id));
    }
    t.clock.advance(1000);
    const byManager = await managerClient.post('/api/v1/follow-ups', { entity: 'customer', recordId: mine.customerId, type: 'meeting', content: 'Manager joined' });
    expect(byManager.status).toBe(201);
    const adminOnly = await ws.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: foreign.customerId, type: 'call', content: 'Not for reps' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/follow-ups?customerId=${mine.customerId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res: { status: number; body: Page } = await repClient.get<Page>(url);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((f) => String(f.content)));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Manager joined', 'Note 4', 'Note 3', 'Note 2', 'Note 1', 'Note 0']);
    expect((await repClient.get<Page>(`/api/v1/follow-ups?entity=contact&recordId=${mine.contactId}`)).body.data.map((f) => f.content)).toEqual(['Note 3', 'Note 1']);
    expect((await repClient.get<Page>(`/api/v1/follow-ups?type=visit`)).body.data.map((f) => f.content)).toEqual(['Note 4', 'Note 3']);
    expect((await repClient.get<Page>(`/api/v1/follow-ups?ownerId=${manager.id}`)).body.data.map((f) => f.content)).toEqual(['Manager joined']);
    expect((await repClient.get<Page>('/api/v1/follow-ups')).body.data.map((f) => f.id)).not.toContain(adminOnly.body.id);
    expectProblem(await repClient.get(`/api/v1/follow-ups/${String(adminOnly.body.id)}`), 404, 'not_found');
    expectProblem(await repClient.get('/api/v1/follow-ups?bogus=1'), 400, 'unknown_filter');
    expectProblem(await repClient.get('/api/v1/follow-ups?cursor=garbage'), 400, 'validation_failed');
    // By id (what a timeline page names): comma-separated or repeated, only those the caller sees, newest first.
    const wanted = [ids[0], ids[3], String(adminOnly.body.id)].join(',');
    expect((await repClient.get<Page>(`/api/v1/follow-ups?id=${wanted}`)).body.data.map((f) => f.content)).toEqual(['Note 3', 'Note 0']);
    expect((await ws.admin.get<Page>(`/api/v1/follow-ups?id=${ids[1] ?? ''}&id=${String(adminOnly.body.id)}`)).body.data.map((f) => f.content)).toEqual(['Not for reps', 'Note 1']);
    expectProblem(await repClient.get('/api/v1/follow-ups?id=not-an-id'), 400, 'validation_failed');
    const manyIds = (n: number) => Array.from({ length: n }, (_, i) => `${String(ids[0]).slice(0, -3)}${String(i).padStart(3, '0')}`).join(',');
    expect((await repClient.get(`/api/v1/follow-ups?id=${manyIds(100)}`)).status).toBe(200);
    expectProblem(await repClient.get(`/api/v1/follow-ups?id=${manyIds(101)}`), 400, 'validation_failed');

    // Another rep sees none of it; a follow-up on a customer they cannot see is refused as a bad reference.
    expect((await otherClient.get<Page>('/api/v1/follow-ups')).body.data).toEqual([]);
    expectProblem(await otherClient.patch(`/api/v1/follow-ups/${ids[0] ?? ''}`, { content: 'x' }), 404, 'not_found');
    expectProblem(await otherClient.post('/api/v1/follow-ups', { entity: 'customer', recordId: mine.customerId, type: 'call', content: 'x' }), 400, 'validation_failed');

    // The rep sees the manager's follow-up on their customer but may not change it; the manager may change the rep's.
    const managerEntry = (await repClient.get(`/api/v1/follow-ups/${String(byManager.body.id)}`)).body;
    expect(managerEntry.access).toEqual({ edit: false, delete: false });
    expectProblem(await repClient.patch(`/api/v1/follow-ups/${String(byManager.body.id)}`, { content: 'x' }), 403, 'forbidden');
    expectProblem(await repClient.delete(`/api/v1/follow-ups/${String(byManager.body.id)}`), 403, 'forbidden');
    expect((await managerClient.patch(`/api/v1/follow-ups/${ids[0] ?? ''}`, { content: 'Note 0 (corrected)' })).status).toBe(200);
    expect((await repClient.patch(`/api/v1/follow-ups/${ids[1] ?? ''}`, { type: 'email' })).body.type).toBe('email');
    expect((await repClient.delete(`/api/v1/follow-ups/${ids[2] ?? ''}`)).status).toBe(204);
    expect((await managerClient.delete(`/api/v1/follow-ups/${ids[3] ?? ''}`)).status).toBe(204);
    expectProblem(await ws.admin.get(`/api/v1/follow-ups/${ids[3] ?? ''}`), 404, 'not_found');
  });

  it('GET /follow-ups/mine also holds my open deals and open leads with a next follow-up time', async () => {
    t.clock.now = new Date('2026-04-01T02:00:00.000Z');
    const ws: TestWorkspace = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const overdueAt = '2026-03-31T02:00:00.000Z';
    const upcomingAt = '2026-04-05T02:00:00.000Z';
    const customer = await repClient.post<Json>('/api/v1/customers', { name: '议程客户' });
    const open = await repClient.post<Json>('/api/v1/deals', { name: '续约商机', customerId: customer.body.id, nextFollowupAt: overdueAt });
    expect(open.status, JSON.stringify(open.body)).toBe(201);
    const won = await repClient.post<Json>('/api/v1/deals', { name: '已赢商机', customerId: customer.body.id, nextFollowupAt: overdueAt });
    expect((await repClient.post(`/api/v1/deals/${String(won.body.id)}/close`, { status: 'won' })).status).toBe(200);
    const lead = await repClient.post<Json>('/api/v1/leads', { name: '展会线索', company: '星辰贸易', nextFollowupAt: upcomingAt });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const dropped = await repClient.post<Json>('/api/v1/leads', { name: '无效线索', nextFollowupAt: upcomingAt });
    expect((await repClient.patch(`/api/v1/leads/${String(dropped.body.id)}`, { status: 'invalid' })).status).toBe(200);

    const overdue = await repClient.get<Mine>('/api/v1/follow-ups/mine?bucket=overdue');
    expect(overdue.body.counts).toEqual({ today: 0, overdue: 1, upcoming: 1 });
    expect(overdue.body.data).toEqual([
      { entity: 'deal', recordId: open.body.id, name: '续约商机', customerId: customer.body.id, customerName: '议程客户', nextFollowupAt: overdueAt, lastFollowupAt: null, lastFollowupContent: null },
    ]);
    const upcoming = await repClient.get<Mine>('/api/v1/follow-ups/mine?bucket=upcoming');
    expect(upcoming.body.data).toEqual([
      { entity: 'lead', recordId: lead.body.id, name: '展会线索', customerId: null, customerName: '星辰贸易', nextFollowupAt: upcomingAt, lastFollowupAt: null, lastFollowupContent: null },
    ]);

    // Someone who may not see deals or leads has none of theirs on the agenda.
    const viewer = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'followUp', action: 'view' },
      { entity: 'customer', action: 'view' },
    ]);
    const theirs = await ws.admin.post<Json>('/api/v1/deals', { name: '别人的商机', customerId: customer.body.id, ownerId: viewer.id, nextFollowupAt: overdueAt });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    expect((await viewer.session.get<Mine>('/api/v1/follow-ups/mine?bucket=overdue')).body).toMatchObject({ data: [], counts: { overdue: 0 } });
  });

  it("GET /follow-ups/mine buckets my records by next follow-up time in the workspace's time zone, on a controlled clock", async () => {
    // 2026-03-10 10:00 in Shanghai.
    t.clock.now = new Date('2026-03-10T02:00:00.000Z');
    const ws: TestWorkspace = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const at = {
      overdue: '2026-03-09T06:00:00.000Z', // yesterday
      laterToday: '2026-03-10T08:00:00.000Z', // 16:00 Shanghai
      lateTonight: '2026-03-10T15:30:00.000Z', // 23:30 Shanghai: still today there (not in UTC terms tomorrow either)
      tomorrow: '2026-03-10T16:30:00.000Z', // 00:30 on the 11th in Shanghai
    };
    const overdue = String((await repClient.post('/api/v1/customers', { name: 'Overdue', nextFollowupAt: at.overdue })).body.id);
    const today = await customerWithContact(repClient, 'Today');
    await repClient.post('/api/v1/follow-ups', { entity: 'customer', recordId: today.customerId, type: 'call', content: 'Call again at four', nextFollowupAt: at.laterToday });
    await repClient.post('/api/v1/follow-ups', { entity: 'contact', recordId: today.contactId, type: 'call', content: 'Ping late', nextFollowupAt: at.lateTonight });
    // The contact follow-up moved the customer's next time too: set it back by hand.
    await repClient.patch(`/api/v1/customers/${today.customerId}`, { nextFollowupAt: at.laterToday });
    await repClient.post('/api/v1/customers', { name: 'Tomorrow', nextFollowupAt: at.tomorrow });
    await repClient.post('/api/v1/customers', { name: 'Undated' });
    await ws.admin.post('/api/v1/customers', { name: "Admin's", nextFollowupAt: at.laterToday });

    const todayPage = await repClient.get<Mine>('/api/v1/follow-ups/mine?bucket=today');
    expect(todayPage.status).toBe(200);
    expect(todayPage.body.counts).toEqual({ today: 2, overdue: 1, upcoming: 1 });
    expect(todayPage.body.data).toEqual([
      { entity: 'customer', recordId: today.customerId, name: 'Today', customerId: today.customerId, customerName: 'Today', nextFollowupAt: at.laterToday, lastFollowupAt: expect.any(String) as string, lastFollowupContent: 'Ping late' },
      { entity: 'contact', recordId: today.contactId, name: 'Today 联系人', customerId: today.customerId, customerName: 'Today', nextFollowupAt: at.lateTonight, lastFollowupAt: expect.any(String) as string, lastFollowupContent: 'Ping late' },
    ]);
    expect((await repClient.get<Mine>('/api/v1/follow-ups/mine?bucket=overdue')).body.data.map((r) => r.recordId)).toEqual([overdue]);
    expect((await repClient.get<Mine>('/api/v1/follow-ups/mine?bucket=upcoming')).body.data.map((r) => r.name)).toEqual(['Tomorrow']);

    // Keyset pages of one.
    const first = await repClient.get<Mine>('/api/v1/follow-ups/mine?bucket=today&limit=1');
    expect(first.body.data.map((r) => r.name)).toEqual(['Today']);
    const second = await repClient.get<Mine>(`/api/v1/follow-ups/mine?bucket=today&limit=1&cursor=${first.body.nextCursor ?? ''}`);
    expect(second.body.data.map((r) => r.name)).toEqual(['Today 联系人']);
    expect(second.body.nextCursor).toBeNull();

    // 17:00 in Shanghai: the four o'clock call is overdue now.
    t.clock.now = new Date('2026-03-10T09:00:00.000Z');
    expect((await repClient.get<Mine>('/api/v1/follow-ups/mine?bucket=overdue')).body.counts).toEqual({ today: 1, overdue: 2, upcoming: 1 });
    // The workspace's time zone decides where today ends: in UTC, 00:30 Shanghai is still "today".
    await t.deps.db.updateTable('workspaces').set({ timezone: 'UTC' }).where('id', '=', ws.workspaceId).execute();
    expect((await repClient.get<Mine>('/api/v1/follow-ups/mine?bucket=today')).body.counts).toEqual({ today: 2, overdue: 2, upcoming: 0 });
    // Logging a follow-up without a next time clears the reminder.
    await repClient.post('/api/v1/follow-ups', { entity: 'customer', recordId: overdue, type: 'call', content: 'Done' });
    expect((await repClient.get<Mine>('/api/v1/follow-ups/mine')).body.counts.overdue).toBe(1);

    expectProblem(await repClient.get('/api/v1/follow-ups/mine?bucket=someday'), 400, 'validation_failed');
    const noRole = await createUser(t.app, ws.admin, { roleIds: [] });
    expectProblem(await (await noRole.client()).get('/api/v1/follow-ups/mine'), 403, 'forbidden');
    t.clock.now = new Date();
  });

  it('refuses an edit of a follow-up someone else changed meanwhile (If-Match, 412): the text and the summary stay theirs', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerWithContact(ws.admin, 'Versioned Co');
    const created = await ws.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: customerId, type: 'call', content: 'Called' });
    expect(created.body.version).toBe(1);
    const id = String(created.body.id);
    const first = await ws.admin.patch(`/api/v1/follow-ups/${id}`, { content: 'Called, they want a quote' }, { 'if-match': '"1"' });
    expect(first.body).toMatchObject({ content: 'Called, they want a quote', version: 2 });
    expectProblem(await ws.admin.patch(`/api/v1/follow-ups/${id}`, { content: 'Called' }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    expect((await ws.admin.get(`/api/v1/follow-ups/${id}`)).body).toMatchObject({ content: 'Called, they want a quote', version: 2 });
    expect((await ws.admin.get(`/api/v1/customers/${customerId}`)).body.lastFollowupContent).toBe('Called, they want a quote');
    expectProblem(await ws.admin.patch(`/api/v1/follow-ups/${id}`, { content: 'x' }, { 'if-match': 'yesterday' }), 400, 'validation_failed');
  });

  it("answers 404 for another workspace's follow-ups", async () => {
    const a = await createWorkspaceWithAdmin(t, 'A');
    const b = await createWorkspaceWithAdmin(t, 'B');
    const { customerId } = await customerWithContact(a.admin, 'A Co');
    const followUp = await a.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: customerId, type: 'call', content: 'A only' });
    const id = String(followUp.body.id);
    expectProblem(await b.admin.get(`/api/v1/follow-ups/${id}`), 404, 'not_found');
    expectProblem(await b.admin.patch(`/api/v1/follow-ups/${id}`, { content: 'B was here' }), 404, 'not_found');
    expectProblem(await b.admin.delete(`/api/v1/follow-ups/${id}`), 404, 'not_found');
    expectProblem(await b.admin.post('/api/v1/follow-ups', { entity: 'customer', recordId: customerId, type: 'call', content: 'x' }), 400, 'validation_failed');
    expect((await b.admin.get<Page>(`/api/v1/follow-ups?customerId=${customerId}`)).body.data).toEqual([]);
    expect((await a.admin.get(`/api/v1/follow-ups/${id}`)).body.content).toBe('A only');
  });
  it('lists lead follow-ups in /follow-ups but leaves changing them to /leads/:id/follow-ups', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const lead = await ws.admin.post('/api/v1/leads', { name: '线索甲', company: 'Lead Only Co' });
    expect(lead.status).toBe(201);
    const note = await ws.admin.post(`/api/v1/leads/${String(lead.body.id)}/follow-ups`, { type: 'call', content: 'lead call' });
    expect(note.status).toBe(201);
    const all = await ws.admin.get<Page>('/api/v1/follow-ups');
    expect(all.body.data.map((f) => [f.content, (f as unknown as { entity: string }).entity])).toContainEqual(['lead call', 'lead']);
    expectProblem(await ws.admin.get(`/api/v1/follow-ups/${String(note.body.id)}`), 404, 'not_found');
    const own = await ws.admin.get<Page>(`/api/v1/leads/${String(lead.body.id)}/follow-ups`);
    expect(own.body.data.map((f) => f.content)).toContain('lead call');
  });
});
