import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import { up as migrate0017 } from '../../db/migrations/0017-timeline-money';
import { expectProblem } from '../../testing/expect-problem';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { customerOf } from '../contracts/contracts.testing';

type Filters = Record<string, string | string[]>;

/** A saved view's filters + sort as the list query the web app sends when it applies the view. */
function listQuery(definition: { filters: Filters; sort?: string | null }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(definition.filters)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      params.append(key, v);
    }
  }
  if (definition.sort) {
    params.set('sort', definition.sort);
  }
  return params.toString();
}

describe('saved views naming money fields by their old cents names (migration 0017)', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });
  const runMigration = () => t.deps.db.transaction().execute((trx) => migrate0017(trx as unknown as Kysely<unknown>));

  async function storeView(entity: string, definition: unknown): Promise<string> {
    const id = newId();
    const now = t.clock.now.toISOString();
    await t.deps.db
      .insertInto('savedViews')
      .values({ id, workspaceId: ws.workspaceId, entity, name: `${entity} ${id.slice(-6)}`, ownerId: ws.adminId, shared: 0, definition: JSON.stringify(definition), createdAt: now, updatedAt: now })
      .execute();
    return id;
  }
  async function storedDefinition(id: string) {
    const row = await t.deps.db.selectFrom('savedViews').select('definition').where('id', '=', id).executeTakeFirstOrThrow();
    return parseJson(row.definition) as { filters: Filters; sort: string | null; columns: string[] };
  }

  it('renames the fields, turns cents filter values into decimals, and the migrated view lists the same deals', async () => {
    const { customerId } = await customerOf(ws.admin, '视图客户');
    for (const amount of ['1000.00', '1500.00', '2500.00']) {
      expect((await ws.admin.post('/api/v1/deals', { name: `Deal ${amount}`, customerId, amount })).status).toBe(201);
    }
    // As saved before money became decimal: amountCents was an integer-cents number field.
    const old = { filters: { 'amountCents[gte]': '150000', status: 'open' }, sort: '-amountCents', columns: ['name', 'amountCents', 'stageId'] };
    const dealView = await storeView('deal', old);
    const inView = await storeView('deal', { filters: { 'amountCents[in]': '100000,250000', 'amountCents[empty]': 'false', amountCents: ['150000', '12.5'] }, sort: 'amountCents', columns: [] });
    const contractView = await storeView('contract', { filters: { 'totalCents[lt]': '99' }, sort: 'totalCents', columns: ['totalCents'] });
    const productView = await storeView('product', { filters: { 'priceCents[lte]': '-5' }, sort: null, columns: ['priceCents'] });
    const customerView = await storeView('customer', { filters: { level: ['A'], 'cf.amountCents': '1' }, sort: '-createdAt', columns: ['name', 'cf.amountCents'] });
    const customerBefore = await storedDefinition(customerView);

    // The old names are unknown to the list now: a 400 problem, never a 500.
    const refused = await ws.admin.get(`/api/v1/deals?${listQuery(old)}`);
    expectProblem(refused, 400, 'unknown_filter');
    expect((refused.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(['amountCents[gte]', 'sort']);

    await runMigration();

    const migrated = await storedDefinition(dealView);
    expect(migrated).toEqual({ filters: { 'amount[gte]': '1500.00', status: 'open' }, sort: '-amount', columns: ['name', 'amount', 'stageId'] });
    expect(await storedDefinition(inView)).toEqual({ filters: { 'amount[in]': '1000.00,2500.00', 'amount[empty]': 'false', amount: ['1500.00', '12.5'] }, sort: 'amount', columns: [] });
    expect(await storedDefinition(contractView)).toEqual({ filters: { 'total[lt]': '0.99' }, sort: 'total', columns: ['total'] });
    expect(await storedDefinition(productView)).toEqual({ filters: { 'price[lte]': '-0.05' }, sort: null, columns: ['price'] });
    // Views of lists without money fields are left as they were (a custom field may be called anything).
    expect(await storedDefinition(customerView)).toEqual(customerBefore);

    const listed = await ws.admin.get<{ data: { name: string; amount: string }[] }>(`/api/v1/deals?${listQuery(migrated)}`);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.data.map((d) => [d.name, d.amount])).toEqual([
      ['Deal 2500.00', '2500.00'],
      ['Deal 1500.00', '1500.00'],
    ]);
    const inListed = await ws.admin.get<{ data: { amount: string }[] }>(`/api/v1/deals?${listQuery({ filters: { 'amount[in]': '1000.00,2500.00' }, sort: 'amount' })}`);
    expect(inListed.body.data.map((d) => d.amount)).toEqual(['1000.00', '2500.00']);

    // A second run changes nothing.
    await runMigration();
    expect(await storedDefinition(dealView)).toEqual(migrated);
  });

  it('a view naming an unknown field answers 4xx problem+json wherever it is used, never 500', async () => {
    // A customer view may be saved with any well-formed keys; the list checks them when applied.
    const view = await ws.admin.post<{ id: string; definition: { filters: Filters; sort: string | null } }>('/api/v1/saved-views', {
      entity: 'customer',
      name: 'Old money names',
      definition: { filters: { 'amountCents[gte]': '100' }, sort: '-totalCents', columns: ['name', 'amountCents'] },
    });
    expect(view.status).toBe(201);
    const applied = await ws.admin.get(`/api/v1/customers?${listQuery(view.body.definition)}`);
    expectProblem(applied, 400, 'unknown_filter');
    expect((applied.body as { errors: { path: string; message: string }[] }).errors).toEqual([
      { path: 'amountCents[gte]', message: 'unknown filter field' },
      { path: 'sort', message: 'cannot sort by totalCents' },
    ]);
    expectProblem(await ws.admin.post('/api/v1/exports', { entity: 'customer', filter: view.body.definition.filters }), 400, 'unknown_filter');
    expectProblem(await ws.admin.post('/api/v1/exports', { entity: 'deal', filter: { 'amountCents[gte]': '1' } }), 400, 'unknown_filter');
    expectProblem(await ws.admin.post('/api/v1/exports', { entity: 'deal', columns: ['name', 'amountCents'] }), 400, 'validation_failed');
    // Malformed keys or values are refused when saving.
    expectProblem(await ws.admin.post('/api/v1/saved-views', { entity: 'customer', name: 'Bad', definition: { filters: { 'amountCents[gte]': 100 } } }), 400, 'validation_failed');
    expectProblem(await ws.admin.patch(`/api/v1/saved-views/${view.body.id}`, { definition: { filters: { 'a.b': '1' } } }), 400, 'validation_failed');
    // A stored definition of an unexpected shape still lists.
    await storeView('customer', { filters: { amountCents: 5, ok: ['x'] }, sort: 7, columns: 'name' });
    const views = await ws.admin.get<{ data: { definition: unknown }[] }>('/api/v1/saved-views?entity=customer');
    expect(views.status).toBe(200);
    expect(views.body.data.map((v) => v.definition)).toContainEqual({ filters: { ok: ['x'] }, sort: null, columns: [] });
  });
});
