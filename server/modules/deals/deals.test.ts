import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { expectProblem } from '../../testing/expect-problem';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';

interface Stage {
  id: string;
  name: string;
  winProbability: number;
}
interface Pipeline {
  id: string;
  isDefault: boolean;
  stages: Stage[];
}
interface Page {
  data: Json[];
  nextCursor: string | null;
  total?: number;
}
interface Column {
  stageId: string;
  count: number;
  amount?: string;
  deals: Json[];
  nextCursor: string | null;
}

describe('deals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates with product lines, moves through stages with history, wins, and shows on the timeline', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customer = await ws.admin.post('/api/v1/customers', { name: 'Acme' });
    const customerId = String(customer.body.id);
    const product = await ws.admin.post('/api/v1/products', { name: 'CRM seat', code: 'SEAT', unit: 'seat', price: '123.45' });
    expect(product.status).toBe(201);
    const pipelines = await ws.admin.get<{ data: Pipeline[] }>('/api/v1/pipelines');
    const [pipeline] = pipelines.body.data;
    expect(pipeline?.isDefault).toBe(true);
    const stages = pipeline?.stages ?? [];
    expect(stages.map((s) => s.winProbability)).toEqual([10, 30, 50, 70, 90]);

    const created = await ws.admin.post('/api/v1/deals', {
      name: 'Acme rollout',
      customerId,
      expectedCloseDate: '2026-12-31',
      lines: [
        { productId: product.body.id, quantity: 10, discountPercent: 12.5 },
        { name: 'Training', price: '500.00', quantity: 1.5 },
      ],
    });
    expect(created.status).toBe(201);
    // 123.45 × 10 × 0.875 = 1080.19 (1080.1875 rounded), + 500 × 1.5 = 750 → 1830.19
    expect(created.body).toMatchObject({ amount: '1830.19', currency: 'CNY', status: 'open', stageId: stages[0]?.id, customerName: 'Acme' });
    expect(created.body.lines).toMatchObject([
      { name: 'CRM seat', unit: 'seat', price: '123.45', quantity: 10, amount: '1080.19' },
      { name: 'Training', amount: '750.00' },
    ]);
    const id = String(created.body.id);

    t.clock.advance(60_000);
    const moved = await ws.admin.post(`/api/v1/deals/${id}/move`, { stageId: stages[2]?.id }, { 'if-match': String(created.body.version) });
    expect(moved.status).toBe(200);
    const stale = await ws.admin.post(`/api/v1/deals/${id}/move`, { stageId: stages[1]?.id }, { 'if-match': String(created.body.version) });
    expect(stale.status).toBe(412);
    expect((await ws.admin.post(`/api/v1/deals/${id}/close`, { status: 'lost' })).status).toBe(400);

    t.clock.advance(120_000);
    const won = await ws.admin.post(`/api/v1/deals/${id}/close`, { status: 'won' });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ status: 'won' });
    expect(won.body.closedAt).not.toBeNull();
    const history = won.body.stageHistory as Json[];
    expect(history.map((h) => [h.stageId, h.exitKind, h.durationMs])).toEqual([
      [stages[0]?.id, 'moved', 60_000],
      [stages[2]?.id, 'won', 120_000],
    ]);
    expect((await ws.admin.post(`/api/v1/deals/${id}/move`, { stageId: stages[3]?.id })).status).toBe(422);

    const timeline = await t.deps.db.selectFrom('timelineEvents').select('kind').where('customerId', '=', customerId).orderBy('createdAt').orderBy('id').execute();
    expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['deal_created', 'deal_stage_changed', 'deal_won']));
    const after = await ws.admin.get(`/api/v1/customers/${customerId}`);
    // A won deal shows intent; only an approved contract makes the customer dealt.
    expect(after.body).toMatchObject({ lifecycleStage: 'intent', dealStatus: 'none' });

    const reopened = await ws.admin.post(`/api/v1/deals/${id}/reopen`);
    expect(reopened.body).toMatchObject({ status: 'open', closedAt: null });
    expect((reopened.body.stageHistory as Json[]).length).toBe(3);
  });

  it("creates a workspace's first deals at once: the default pipeline is seeded with its stages in one go", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customerId = String((await ws.admin.post('/api/v1/customers', { name: 'First deals Co' })).body.id);
    // Before: a second writer could see the new pipeline before its stages (400 stageId).
    const created = await Promise.all(Array.from({ length: 4 }, (_, i) => ws.admin.post('/api/v1/deals', { name: `First ${i}`, customerId })));
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(created.map((r) => String(r.body.pipelineId))).size).toBe(1);
  });

  it('serves the kanban paged per column, with counts and sums, and continues a column through the list', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customer = await ws.admin.post('/api/v1/customers', { name: 'Board Co' });
    const customerId = String(customer.body.id);
    const pipeline = (await ws.admin.get<{ data: Pipeline[] }>('/api/v1/pipelines')).body.data[0] as Pipeline;
    const [first, second] = pipeline.stages;
    for (let i = 0; i < 7; i += 1) {
      t.clock.advance(1000);
      const res = await ws.admin.post('/api/v1/deals', { name: `Deal ${i}`, customerId, amount: `${10 * (i + 1)}.00`, stageId: i < 5 ? first?.id : second?.id });
      expect(res.status).toBe(201);
    }
    const lost = await ws.admin.post('/api/v1/deals', { name: 'Lost one', customerId, amount: '0.99', stageId: first?.id });
    await ws.admin.post(`/api/v1/deals/${String(lost.body.id)}/close`, { status: 'invalid', reason: 'Duplicate' });

    const board = await ws.admin.get<{ columns: Column[] }>(`/api/v1/deals/board?pipelineId=${pipeline.id}&perColumn=2`);
    expect(board.status).toBe(200);
    const [c1, c2, c3] = board.body.columns;
    expect([c1?.count, c1?.amount, c2?.count, c2?.amount, c3?.count]).toEqual([5, '150.00', 2, '130.00', 0]);
    expect(c1?.deals.map((d) => d.name)).toEqual(['Deal 4', 'Deal 3']);
    const more = await ws.admin.get<Page>(`/api/v1/deals?stageId=${first?.id}&status=open&limit=2&cursor=${c1?.nextCursor ?? ''}`);
    expect(more.status).toBe(200);
    expect(more.body.data.map((d) => d.name)).toEqual(['Deal 2', 'Deal 1']);
    const last = await ws.admin.get<Page>(`/api/v1/deals?stageId=${first?.id}&status=open&limit=2&cursor=${more.body.nextCursor ?? ''}`);
    expect(last.body.data.map((d) => d.name)).toEqual(['Deal 0']);
    expect(last.body.nextCursor).toBeNull();

    const filtered = await ws.admin.get<Page>('/api/v1/deals?status=invalid&count=true');
    expect(filtered.body.total).toBe(1);
    expect(filtered.body.data[0]).toMatchObject({ name: 'Lost one', lostReason: 'Duplicate' });
    const byAmount = await ws.admin.get<Page>('/api/v1/deals?sort=-amount&amount[gte]=50');
    expect(byAmount.body.data.map((d) => d.amount)).toEqual(['70.00', '60.00', '50.00']);
    // Decimal filters compare exact cents; the keyset cursor continues in amount order.
    const page1 = await ws.admin.get<Page>('/api/v1/deals?sort=amount&amount[gt]=0.99&amount[lte]=40.00&limit=2');
    expect(page1.body.data.map((d) => d.amount)).toEqual(['10.00', '20.00']);
    const page2 = await ws.admin.get<Page>(`/api/v1/deals?sort=amount&amount[gt]=0.99&amount[lte]=40.00&limit=2&cursor=${page1.body.nextCursor ?? ''}`);
    expect(page2.body.data.map((d) => d.amount)).toEqual(['30.00', '40.00']);
    expectProblem(await ws.admin.get('/api/v1/deals?amount[gte]=1.005'), 400, 'unknown_filter');
    expectProblem(await ws.admin.post('/api/v1/deals', { name: 'x', customerId, amount: '1.005' }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/deals', { name: 'x', customerId, amount: -1 }), 400, 'validation_failed');
    const numeric = await ws.admin.post('/api/v1/deals', { name: 'Numeric', customerId, amount: 12.5 });
    expect(numeric.body).toMatchObject({ amount: '12.50' });
  });

  it('scopes deals by owner: a rep sees and changes only their own, others answer 404', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const mine = await repClient.post('/api/v1/customers', { name: 'Rep customer' });
    const repDeal = await repClient.post('/api/v1/deals', { name: 'Rep deal', customerId: mine.body.id, amount: '5.00' });
    expect(repDeal.status).toBe(201);
    const other = await ws.admin.post('/api/v1/customers', { name: 'Admin customer' });
    const adminDeal = await ws.admin.post('/api/v1/deals', { name: 'Admin deal', customerId: other.body.id, amount: '7.00' });
    // A customer the rep cannot see is no customer for their deal.
    expect((await repClient.post('/api/v1/deals', { name: 'x', customerId: other.body.id })).status).toBe(400);

    const list = await repClient.get<Page>('/api/v1/deals');
    expect(list.body.data.map((d) => d.name)).toEqual(['Rep deal']);
    expect((await repClient.get(`/api/v1/deals/${String(adminDeal.body.id)}`)).status).toBe(404);
    expect((await repClient.post(`/api/v1/deals/${String(adminDeal.body.id)}/close`, { status: 'won' })).status).toBe(404);
    const board = await repClient.get<{ columns: Column[] }>('/api/v1/deals/board');
    expect(board.body.columns.reduce((n, c) => n + c.count, 0)).toBe(1);
    // Settings are for admins.
    expect((await repClient.post('/api/v1/pipelines', { name: 'Mine', stages: [{ name: 'A', winProbability: 5 }] })).status).toBe(403);
    expect((await repClient.post('/api/v1/products', { name: 'Mine' })).status).toBe(403);
    expect((await repClient.get<Page>('/api/v1/products')).status).toBe(200);
    // Reps log follow-ups on their deals; the customer's summary follows.
    const fu = await repClient.post(`/api/v1/deals/${String(repDeal.body.id)}/follow-ups`, { type: 'call', content: 'Discussed pricing' });
    expect(fu.status).toBe(201);
    const fus = await repClient.get<{ data: Json[] }>(`/api/v1/deals/${String(repDeal.body.id)}/follow-ups`);
    expect(fus.body.data.map((f) => f.content)).toEqual(['Discussed pricing']);
    expect((await repClient.get(`/api/v1/customers/${String(mine.body.id)}`)).body.lastFollowupContent).toBe('Discussed pricing');
  });

  it('keeps custom fields and tags on deals, filters on them, and hides a field a role may not see', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const field = await ws.admin.post('/api/v1/custom-fields/deal', { key: 'competitor', label: 'Competitor', type: 'text' });
    expect(field.status).toBe(201);
    const tag = await ws.admin.post('/api/v1/tags', { name: 'Strategic' });
    const customer = await ws.admin.post('/api/v1/customers', { name: 'CF Co' });
    const a = await ws.admin.post('/api/v1/deals', { name: 'With competitor', customerId: customer.body.id, custom: { competitor: 'Acme CRM' } });
    expect(a.status).toBe(201);
    expect(a.body.custom).toEqual({ competitor: 'Acme CRM' });
    await ws.admin.post('/api/v1/deals', { name: 'Plain', customerId: customer.body.id });
    expect((await ws.admin.post('/api/v1/deals', { name: 'x', customerId: customer.body.id, custom: { nope: 1 } })).status).toBe(400);
    const tagged = await ws.admin.patch(`/api/v1/deals/${String(a.body.id)}`, { tagIds: [tag.body.id] });
    expect((tagged.body.tags as Json[]).map((x) => x.name)).toEqual(['Strategic']);
    const byField = await ws.admin.get<Page>('/api/v1/deals?cf.competitor[contains]=acme');
    expect(byField.body.data.map((d) => d.name)).toEqual(['With competitor']);
    const byTag = await ws.admin.get<Page>(`/api/v1/deals?tag=${String(tag.body.id)}`);
    expect(byTag.body.data.map((d) => d.name)).toEqual(['With competitor']);

    const role = await ws.admin.post('/api/v1/roles', {
      name: 'No amounts',
      permissions: [{ entity: 'deal', action: 'view', scope: 'all' }],
      fieldRules: [{ entity: 'deal', field: 'amount', access: 'hidden', masked: false }],
    });
    expect(role.status).toBe(201);
    const viewer = await createUser(t.app, ws.admin, { roleIds: [String(role.body.id)] });
    const viewerClient = await viewer.client();
    const seen = await viewerClient.get(`/api/v1/deals/${String(a.body.id)}`);
    expect(seen.status).toBe(200);
    expect(seen.body).not.toHaveProperty('amount');
    const board = await viewerClient.get<{ columns: Column[] }>('/api/v1/deals/board');
    expect(board.body.columns[0]).not.toHaveProperty('amount');
    expect((await viewerClient.get('/api/v1/deals?sort=-amount')).status).toBe(400);
  });

  it('lets admins configure pipelines and stages, refusing to drop stages that hold deals', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const created = await ws.admin.post<Pipeline>('/api/v1/pipelines', { name: 'Projects', stages: [{ name: 'Lead', winProbability: 10 }, { name: 'Bid', winProbability: 40 }] });
    expect(created.status).toBe(201);
    const [lead, bid] = created.body.stages;
    const customer = await ws.admin.post('/api/v1/customers', { name: 'P Co' });
    const deal = await ws.admin.post('/api/v1/deals', { name: 'Tender', customerId: customer.body.id, pipelineId: created.body.id, stageId: bid?.id });
    expect(deal.status).toBe(201);
    const put = (body: unknown) => ws.admin.request<Pipeline>('PUT', `/api/v1/pipelines/${created.body.id}/stages`, body);
    expect((await put({ stages: [{ id: lead?.id, name: 'Lead', winProbability: 10 }] })).status).toBe(409);
    const reordered = await put({ stages: [{ id: bid?.id, name: 'Bid', winProbability: 45 }, { name: 'Won soon', winProbability: 90 }, { id: lead?.id, name: 'Lead', winProbability: 10 }] });
    expect(reordered.status).toBe(200);
    expect(reordered.body.stages.map((s) => [s.name, s.winProbability])).toEqual([['Bid', 45], ['Won soon', 90], ['Lead', 10]]);
    expect((await ws.admin.delete(`/api/v1/pipelines/${created.body.id}`)).status).toBe(409);
    const made = await ws.admin.patch<Pipeline>(`/api/v1/pipelines/${created.body.id}`, { isDefault: true });
    expect(made.body.isDefault).toBe(true);
    const all = await ws.admin.get<{ data: Pipeline[] }>('/api/v1/pipelines');
    expect(all.body.data.filter((p) => p.isDefault).map((p) => p.id)).toEqual([created.body.id]);
  });

  it('keeps products with categories, unique codes, active flag and filters', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const category = await ws.admin.post('/api/v1/product-categories', { name: 'Software' });
    expect(category.status).toBe(201);
    const a = await ws.admin.post('/api/v1/products', { name: 'Seat', code: 'S1', unit: 'seat', price: '10.00', categoryId: category.body.id });
    expect(a.status).toBe(201);
    // A code another product holds is a conflict; bad input alongside it is reported first.
    expectProblem(await ws.admin.post('/api/v1/products', { name: 'Dup', code: 'S1' }), 409, 'conflict');
    expectProblem(await ws.admin.post('/api/v1/products', { name: 'Dup', code: 'S1', categoryId: '01a20e27-0000-7000-8000-000000000000' }), 400, 'validation_failed');
    await ws.admin.post('/api/v1/products', { name: 'Old', code: 'S0', price: '0.10', active: false });
    const active = await ws.admin.get<Page>(`/api/v1/products?active=true&categoryId=${String(category.body.id)}`);
    expect(active.body.data.map((p) => p.name)).toEqual(['Seat']);
    const search = await ws.admin.get<Page>('/api/v1/products?q=s0');
    expect(search.body.data.map((p) => p.name)).toEqual(['Old']);
    const inactiveId = String(search.body.data[0]?.id);
    const customer = await ws.admin.post('/api/v1/customers', { name: 'Buyer' });
    const refused = await ws.admin.post('/api/v1/deals', { name: 'x', customerId: customer.body.id, lines: [{ productId: inactiveId, quantity: 1 }] });
    expect(refused.status).toBe(400);
    const edited = await ws.admin.patch(`/api/v1/products/${String(a.body.id)}`, { price: '20.00' }, { 'if-match': String(a.body.version) });
    expect(edited.body).toMatchObject({ price: '20.00', currency: 'CNY', categoryName: 'Software' });
    const pricey = await ws.admin.get<Page>('/api/v1/products?price[gte]=15.5&sort=-price');
    expect(pricey.body.data.map((p) => [p.name, p.price])).toEqual([['Seat', '20.00']]);
    // Zero is a legal price; a negative one is not.
    expect((await ws.admin.post('/api/v1/products', { name: 'Free', price: '0' })).body).toMatchObject({ price: '0.00' });
    expect((await ws.admin.post('/api/v1/products', { name: 'Neg', price: '-1.00' })).status).toBe(400);
    expect((await ws.admin.delete(`/api/v1/product-categories/${String(category.body.id)}`)).status).toBe(409);
    expect((await ws.admin.delete(`/api/v1/products/${String(a.body.id)}`)).status).toBe(204);
    expect((await ws.admin.get(`/api/v1/products/${String(a.body.id)}`)).status).toBe(404);
  });
});
