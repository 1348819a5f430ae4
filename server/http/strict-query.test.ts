import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../testing/expect-problem';
import { createWorkspaceWithAdmin } from '../testing/factories';
import { anonymous, createTestApp, type TestApp } from '../testing/test-app';

describe('query parameters an API route does not take', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('are a 400 naming them, never silently ignored; public probes stay lenient', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const id = String((await ws.admin.post('/api/v1/customers', { name: '参数测试' })).body.id);
    const tags = await ws.admin.get<{ errors: { path: string; message: string }[] }>('/api/v1/tags?limit=1');
    expectProblem(tags, 400, 'validation_failed');
    expect(tags.body.errors).toEqual([{ path: 'querystring.limit', message: 'unknown query parameter' }]);
    expectProblem(await ws.admin.get(`/api/v1/customers/${id}?foo=1`), 400, 'validation_failed');
    expectProblem(await ws.admin.get('/api/v1/custom-fields/customer?x=y'), 400, 'validation_failed');
    // Without parameters, and where a route takes them, nothing changes.
    expect((await ws.admin.get('/api/v1/tags')).status).toBe(200);
    expect((await ws.admin.get(`/api/v1/customers/${id}`)).status).toBe(200);
    expect((await ws.admin.get('/api/v1/customers?limit=1')).status).toBe(200);
    expect((await anonymous(t.app).get('/api/v1/health?probe=1')).status).toBe(200);
  });
});
