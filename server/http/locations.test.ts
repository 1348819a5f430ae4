import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceWithAdmin } from '../testing/factories';
import { createTestApp, type Json, type TestApp } from '../testing/test-app';

// api.md: a create answers 201 with a Location naming what was made. The records (customers,
// contacts, …) are checked in their own tests; these are the smaller things made beside them.
describe('201 Created carries a Location', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('for tags, saved views, product categories, pools and lead follow-ups', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const made = async (url: string, body: Json) => {
      const res = await ws.admin.post(url, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { id: String(res.body.id), location: res.headers.location };
    };
    const tag = await made('/api/v1/tags', { name: 'VIP' });
    expect(tag.location).toBe(`/api/v1/tags/${tag.id}`);
    const view = await made('/api/v1/saved-views', { entity: 'customer', name: '大客户', definition: { filters: { level: 'A' } } });
    expect(view.location).toBe(`/api/v1/saved-views/${view.id}`);
    const category = await made('/api/v1/product-categories', { name: 'Software' });
    expect(category.location).toBe(`/api/v1/product-categories/${category.id}`);
    const pool = await made('/api/v1/pools', { name: '华东公海' });
    expect(pool.location).toBe(`/api/v1/pools/${pool.id}`);
    expect((await ws.admin.get(pool.location ?? '')).status).toBe(200);
    const lead = await made('/api/v1/leads', { name: '线索甲' });
    const followUp = await made(`/api/v1/leads/${lead.id}/follow-ups`, { type: 'call', content: '电话沟通' });
    expect(followUp.location).toBe(`/api/v1/leads/${lead.id}/follow-ups/${followUp.id}`);
  });
});
