import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';

describe('deals of a customer deleted for good', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('go with it (lines and stage history too)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customer = await ws.admin.post('/api/v1/customers', { name: 'Gone Co' });
    const id = String(customer.body.id);
    const deal = await ws.admin.post('/api/v1/deals', { name: 'Gone deal', customerId: id, lines: [{ name: 'x', price: '1.00', quantity: 1 }] });
    expect(deal.status).toBe(201);
    expect((await ws.admin.delete(`/api/v1/customers/${id}`)).status).toBe(204);
    const purged = await ws.admin.delete(`/api/v1/customers/${id}/purge`);
    expect(purged.status).toBe(204);
    const left = await t.deps.db.selectFrom('deals').select('id').where('workspaceId', '=', ws.workspaceId).execute();
    expect(left).toEqual([]);
  });
});
