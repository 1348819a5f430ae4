import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { insertContract } from './payments.testing';

describe('GET /customers/:id/payment-summary (the 360° page)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const pay = (client: Client, contractId: string, amount: string, extra: Json = {}) =>
    client.post('/api/v1/payments', { contractId, amount, paidOn: '2026-05-09', method: 'bank_transfer', ...extra });

  it('sums approved contracts in scope: received, pending, outstanding and overdue instalments; 404 out of scope, 403 without the grant', async () => {
    t.clock.now = new Date('2026-05-10T02:00:00.000Z');
    const ws = await createWorkspaceWithAdmin(t, 'Summary Co');
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const other = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const nobody = await createUser(t.app, ws.admin, { roleIds: [] });
    const [repClient, otherClient, nobodyClient] = await Promise.all([rep.client(), other.client(), nobody.client()]);
    const customer = await ws.admin.post('/api/v1/customers', { name: '宁波汇总有限公司', ownerId: rep.id });
    expect(customer.status).toBe(201);
    const customerId = String(customer.body.id);
    const url = `/api/v1/customers/${customerId}/payment-summary`;

    // Nothing yet: zeros, not an error.
    expect((await repClient.get(url)).body).toEqual({ customerId, contracts: 0, total: '0.00', received: '0.00', pending: '0.00', outstanding: '0.00', overduePlans: 0, overdue: '0.00', currency: 'CNY' });

    const repContract = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: rep.id, totalCents: 100_000 });
    const adminContract = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: ws.adminId, totalCents: 50_000 });
    // Drafts and void contracts are owed nothing: left out.
    await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: rep.id, totalCents: 30_000, status: 'draft' });
    await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: rep.id, totalCents: 20_000, status: 'void' });

    // No payment flow yet: approved at once.
    expect((await pay(repClient, repContract, '100')).body.status).toBe('approved');
    const flow = await ws.admin.post('/api/v1/approval-flows', { subjectType: 'payment', name: 'Finance', steps: [{ name: 'Finance', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] }] });
    expect(flow.status).toBe(201);
    expect((await pay(repClient, repContract, '50.50')).body.status).toBe('pending');
    // Overdue instalments (due before today) count with what is still open on them.
    expect((await repClient.post('/api/v1/payment-plans', { contractId: repContract, amount: '200', dueDate: '2026-05-01' })).body.status).toBe('overdue');
    expect((await repClient.post('/api/v1/payment-plans', { contractId: repContract, amount: '300', dueDate: '2026-06-01' })).body.status).toBe('pending');
    expect((await ws.admin.post('/api/v1/payment-plans', { contractId: adminContract, amount: '80', dueDate: '2026-04-30' })).status).toBe(201);

    const all = await ws.admin.get(url);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ customerId, contracts: 2, total: '1500.00', received: '100.00', pending: '50.50', outstanding: '1400.00', overduePlans: 2, overdue: '280.00', currency: 'CNY' });
    // The rep sees only their own contract's money.
    expect((await repClient.get(url)).body).toEqual({ customerId, contracts: 1, total: '1000.00', received: '100.00', pending: '50.50', outstanding: '900.00', overduePlans: 1, overdue: '200.00', currency: 'CNY' });

    expectProblem(await otherClient.get(url), 404, 'not_found');
    expectProblem(await nobodyClient.get(url), 403, 'forbidden');
    expectProblem(await ws.admin.get('/api/v1/customers/00000000-0000-4000-8000-000000000000/payment-summary'), 404, 'not_found');
    expectProblem(await ws.admin.get('/api/v1/customers/not-an-id/payment-summary'), 400, 'validation_failed');
    const b = await createWorkspaceWithAdmin(t, 'Other Summary');
    expectProblem(await b.admin.get(url), 404, 'not_found');
    t.clock.now = new Date();
  });
});
