import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { createContract, customerOf } from './contracts.testing';

describe('contract numbering', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    t.clock.now = new Date('2026-12-31T15:00:00Z'); // 2026-12-31 23:00 in Asia/Shanghai
  });
  afterAll(async () => {
    await t.close();
  });

  it('20 concurrent creates get 20 different, consecutive numbers', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, '并发客户');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => createContract(ws.admin, { customerId, name: `C${i}`, total: i })));
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 201));
    const numbers = results.map((r) => r.body.number).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `HT-20261231-${String(i + 1).padStart(4, '0')}`));
  });

  it('a configurable rule with its reset period, in the workspace time zone; manual numbers are passed over', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, '规则客户');
    expect((await ws.admin.get('/api/v1/contracts/numbering')).body).toEqual({ pattern: 'HT-{yyyyMMdd}-{seq:4}', reset: 'day', preview: 'HT-20261231-0001' });
    expectProblem(await ws.admin.request('PUT', '/api/v1/contracts/numbering', { pattern: 'HT-{yyyy}', reset: 'year' }), 400, 'validation_failed');
    expectProblem(await ws.admin.request('PUT', '/api/v1/contracts/numbering', { pattern: 'HT-{seq}', reset: 'weekly' }), 400, 'validation_failed');
    const set = await ws.admin.request('PUT', '/api/v1/contracts/numbering', { pattern: 'C{yy}-{seq:3}', reset: 'year' });
    expect(set.body).toEqual({ pattern: 'C{yy}-{seq:3}', reset: 'year', preview: 'C26-001' });

    expect((await createContract(ws.admin, { customerId, number: 'C26-002', total: '0.01' })).status).toBe(201);
    expect((await createContract(ws.admin, { customerId, total: '0.01' })).body.number).toBe('C26-001');
    expect((await createContract(ws.admin, { customerId, total: '0.01' })).body.number).toBe('C26-003');
    // 01:00 on New Year's Day in Shanghai: a new year, a new count.
    t.clock.advance(2 * 3_600_000);
    expect((await createContract(ws.admin, { customerId, total: '0.01' })).body.number).toBe('C27-001');
    t.clock.advance(-2 * 3_600_000);

    const seller = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const cs = await seller.client();
    expect((await cs.get('/api/v1/contracts/numbering')).status).toBe(200);
    expectProblem(await cs.request('PUT', '/api/v1/contracts/numbering', { pattern: 'X{seq}', reset: 'never' }), 403, 'forbidden');
  });

  it('each workspace counts on its own', async () => {
    const a = await createWorkspaceWithAdmin(t);
    const b = await createWorkspaceWithAdmin(t);
    const { customerId: ca } = await customerOf(a.admin, 'A');
    const { customerId: cb } = await customerOf(b.admin, 'B');
    expect((await createContract(a.admin, { customerId: ca, total: '0.01' })).body.number).toBe('HT-20261231-0001');
    expect((await createContract(b.admin, { customerId: cb, total: '0.01' })).body.number).toBe('HT-20261231-0001');
  });
});
