import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type Json, signIn, type TestApp, testPassword } from '../../testing/test-app';
import { sumPaymentsByStatus } from './payments.repo';
import { contractSums, insertContract } from './payments.testing';

interface Page {
  data: Json[];
  nextCursor: string | null;
}

describe('payments and payment plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function setup(name = 'Pay Co') {
    const ws = await createWorkspaceWithAdmin(t, name);
    const customer = await ws.admin.post('/api/v1/customers', { name: `${name} customer` });
    const customerId = String(customer.body.id);
    return { ws, customerId };
  }

  async function pay(client: Client, contractId: string, amount: string, extra: Json = {}) {
    return client.post('/api/v1/payments', { contractId, amount, paidOn: '2026-03-10', method: 'bank_transfer', ...extra });
  }

  async function expectExact(ws: TestWorkspace, contractId: string) {
    const sums = await contractSums(t, contractId);
    const byStatus = await sumPaymentsByStatus(t.deps.db, ws.workspaceId, contractId);
    expect(sums.received).toBe(byStatus.approved ?? 0);
    expect(sums.committed).toBe((byStatus.approved ?? 0) + (byStatus.pending ?? 0));
    expect(sums.committed).toBeLessThanOrEqual(sums.total);
    return sums;
  }

  /** A payment flow: one step, approved by `approverId` (或签). */
  async function paymentFlow(ws: TestWorkspace, approverId: string) {
    const res = await ws.admin.post('/api/v1/approval-flows', { subjectType: 'payment', name: 'Finance check', steps: [{ name: 'Finance', mode: 'any', approvers: [{ kind: 'user', userId: approverId }] }] });
    expect(res.status).toBe(201);
  }

  it('plans: periods, totals, status from payments (pending → partial → paid) and the daily overdue job on a controlled clock', async () => {
    t.clock.now = new Date('2026-03-10T02:00:00.000Z'); // 10:00 in Shanghai
    const { ws, customerId } = await setup();
    const contractId = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: ws.adminId, totalCents: 100_000 });
    const p1 = await ws.admin.post('/api/v1/payment-plans', { contractId, amount: '300.00', dueDate: '2026-03-20', remindDays: 15 });
    expect(p1.status).toBe(201);
    expect(p1.body).toMatchObject({ period: 1, amount: '300.00', paid: '0.00', outstanding: '300.00', status: 'pending', dueDate: '2026-03-20', remindDays: 15, customerId });
    const p2 = await ws.admin.post('/api/v1/payment-plans', { contractId, amount: '700.00', dueDate: '2026-03-12' });
    expect(p2.body).toMatchObject({ period: 2, status: 'pending' });
    expectProblem(await ws.admin.post('/api/v1/payment-plans', { contractId, amount: '0.01', dueDate: '2026-04-01' }), 422, 'payment_plan_exceeds_contract');
    expectProblem(await ws.admin.post('/api/v1/payment-plans', { contractId, period: 1, amount: '0.00', dueDate: '2026-04-01' }), 400, 'validation_failed');
    expectProblem(await ws.admin.patch(`/api/v1/payment-plans/${String(p1.body.id)}`, { period: 2 }), 409, 'conflict');
    // A plan entered already past due is overdue from the start.
    const c2 = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: ws.adminId, totalCents: 5000 });
    expect((await ws.admin.post('/api/v1/payment-plans', { contractId: c2, amount: '10', dueDate: '2026-03-09' })).body.status).toBe('overdue');

    const plan1 = String(p1.body.id);
    const plan2 = String(p2.body.id);
    // No approval flow for payments: recorded payments are approved at once.
    const first = await pay(ws.admin, contractId, '100', { planId: plan1 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'approved', amount: '100.00', planId: plan1, planPeriod: 1, method: 'bank_transfer', ownerId: ws.adminId });
    expect((await ws.admin.get(`/api/v1/payment-plans/${plan1}`)).body).toMatchObject({ status: 'partial', paid: '100.00', outstanding: '200.00' });
    await pay(ws.admin, contractId, '200.00', { planId: plan1 });
    expect((await ws.admin.get(`/api/v1/payment-plans/${plan1}`)).body).toMatchObject({ status: 'paid', paid: '300.00', outstanding: '0.00' });

    // The daily job: nothing is due yet.
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect((await ws.admin.get(`/api/v1/payment-plans/${plan2}`)).body.status).toBe('pending');
    // Two days later (past the 12th in Shanghai) plan 2 is overdue; the paid one stays paid.
    t.clock.now = new Date('2026-03-12T16:10:00.000Z'); // 00:10 on the 13th in Shanghai
    await runJobsUntilIdle(t.deps, { schedules: true });
    ws.admin = await signIn(t.app, ws.adminEmail, testPassword);
    expect((await ws.admin.get(`/api/v1/payment-plans/${plan2}`)).body.status).toBe('overdue');
    expect((await ws.admin.get(`/api/v1/payment-plans/${plan1}`)).body.status).toBe('paid');
    const overdue = await ws.admin.get<Page>(`/api/v1/payment-plans?due=overdue&contractId=${contractId}`);
    expect(overdue.body.data.map((p) => p.id)).toEqual([plan2]);
    // A partial payment keeps it overdue; moving the due date recomputes; paying it off makes it paid.
    await pay(ws.admin, contractId, '100', { planId: plan2 });
    expect((await ws.admin.get(`/api/v1/payment-plans/${plan2}`)).body).toMatchObject({ status: 'overdue', paid: '100.00' });
    expect((await ws.admin.patch(`/api/v1/payment-plans/${plan2}`, { dueDate: '2026-04-30' })).body.status).toBe('partial');
    await pay(ws.admin, contractId, '600', { planId: plan2 });
    expect((await ws.admin.get(`/api/v1/payment-plans/${plan2}`)).body.status).toBe('paid');
    expectProblem(await ws.admin.delete(`/api/v1/payment-plans/${plan2}`), 409, 'conflict');
    expect(await expectExact(ws, contractId)).toEqual({ total: 100_000, committed: 100_000, received: 100_000 });
    expect((await ws.admin.get(`/api/v1/contracts/${contractId}/payment-summary`)).body).toEqual({
      contractId,
      total: '1000.00',
      received: '1000.00',
      pending: '0.00',
      outstanding: '0.00',
      available: '0.00',
      planned: '1000.00',
    });
    expectProblem(await pay(ws.admin, contractId, '0.01'), 422, 'payment_exceeds_contract');
    t.clock.now = new Date();
  });

  it('approval paths: pending reserves, approve books, reject and withdraw release, resubmit, delete gives back; timeline and exact sums', async () => {
    const { ws, customerId } = await setup();
    const finance = await createUser(t.app, ws.admin, { name: 'Finance', roleIds: [ws.roles.sales_manager ?? ''] });
    const financeClient = await finance.client();
    await paymentFlow(ws, finance.id);
    const contractId = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: ws.adminId, totalCents: 50_000 });
    const plan = String((await ws.admin.post('/api/v1/payment-plans', { contractId, amount: '500', dueDate: '2030-01-01' })).body.id);

    const a = await pay(ws.admin, contractId, '300', { planId: plan, remark: '首付款' });
    expect(a.body).toMatchObject({ status: 'pending', approvalId: expect.any(String) as string });
    expect(await expectExact(ws, contractId)).toMatchObject({ committed: 30_000, received: 0 });
    // Pending counts against the ceiling: only 200 left.
    expectProblem(await pay(ws.admin, contractId, '200.01'), 422, 'payment_exceeds_contract');
    expect((await ws.admin.get(`/api/v1/contracts/${contractId}/payment-summary`)).body).toMatchObject({ received: '0.00', pending: '300.00', outstanding: '500.00', available: '200.00' });

    const approved = await financeClient.post(`/api/v1/approvals/${String(a.body.approvalId)}/approve`, { comment: 'ok' });
    expect(approved.status).toBe(200);
    expect((await ws.admin.get(`/api/v1/payments/${String(a.body.id)}`)).body).toMatchObject({ status: 'approved', approvedAt: expect.any(String) as string });
    expect(await expectExact(ws, contractId)).toMatchObject({ committed: 30_000, received: 30_000 });
    expect((await ws.admin.get(`/api/v1/payment-plans/${plan}`)).body).toMatchObject({ status: 'partial', paid: '300.00' });
    expectProblem(await ws.admin.patch(`/api/v1/payments/${String(a.body.id)}`, { amount: '1' }), 409, 'conflict');

    const b = await pay(ws.admin, contractId, '200');
    expect(await expectExact(ws, contractId)).toMatchObject({ committed: 50_000, received: 30_000 });
    await financeClient.post(`/api/v1/approvals/${String(b.body.approvalId)}/reject`, { comment: 'wrong amount' });
    expect((await ws.admin.get(`/api/v1/payments/${String(b.body.id)}`)).body).toMatchObject({ status: 'rejected', access: { edit: true, delete: true } });
    expect(await expectExact(ws, contractId)).toMatchObject({ committed: 30_000, received: 30_000 });
    // Fix and submit again: reserved again, then withdrawn by its submitter: released again.
    expect((await ws.admin.patch(`/api/v1/payments/${String(b.body.id)}`, { amount: '150', method: 'cash' })).body).toMatchObject({ amount: '150.00', method: 'cash', status: 'rejected' });
    const again = await ws.admin.post(`/api/v1/payments/${String(b.body.id)}/submit`);
    expect(again.body).toMatchObject({ status: 'pending' });
    expect(again.body.approvalId).not.toBe(b.body.approvalId);
    expect(await expectExact(ws, contractId)).toMatchObject({ committed: 45_000 });
    // The approver sees the payment under approval (outside their scope otherwise) but cannot withdraw it.
    expect((await financeClient.get(`/api/v1/payments/${String(b.body.id)}`)).status).toBe(200);
    expectProblem(await financeClient.post(`/api/v1/payments/${String(b.body.id)}/withdraw`), 403, 'forbidden');
    expect((await ws.admin.post(`/api/v1/payments/${String(b.body.id)}/withdraw`, { comment: 'later' })).body).toMatchObject({ status: 'withdrawn' });
    expect(await expectExact(ws, contractId)).toMatchObject({ committed: 30_000, received: 30_000 });

    // Deleting a pending payment withdraws it; deleting an approved one gives the money back.
    const c = await pay(ws.admin, contractId, '50');
    expect((await ws.admin.delete(`/api/v1/payments/${String(c.body.id)}`)).status).toBe(204);
    expectProblem(await ws.admin.get(`/api/v1/payments/${String(c.body.id)}`), 404, 'not_found');
    expect((await ws.admin.delete(`/api/v1/payments/${String(a.body.id)}`)).status).toBe(204);
    expect(await expectExact(ws, contractId)).toEqual({ total: 50_000, committed: 0, received: 0 });
    expect((await ws.admin.get(`/api/v1/payment-plans/${plan}`)).body).toMatchObject({ status: 'pending', paid: '0.00' });

    const timeline = await ws.admin.get<Page>(`/api/v1/customers/${customerId}/timeline?limit=100`);
    const kinds = timeline.body.data.filter((e) => e.entity === 'payment').map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['payment_recorded', 'payment_approved', 'payment_rejected', 'payment_withdrawn', 'payment_deleted']));
    const approvedEntry = timeline.body.data.find((e) => e.kind === 'payment_approved');
    expect(approvedEntry?.data).toMatchObject({ amount: '300.00', paymentId: a.body.id, contractId });

    // Only approved contracts take payments; unknown methods and plans of other contracts are refused.
    const draft = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: ws.adminId, totalCents: 1000, status: 'draft' });
    expectProblem(await pay(ws.admin, draft, '1'), 422, 'business_rule');
    expectProblem(await pay(ws.admin, contractId, '1', { method: 'gold bars' }), 400, 'validation_failed');
    const other = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: ws.adminId, totalCents: 1000 });
    expectProblem(await pay(ws.admin, other, '1', { planId: plan }), 400, 'validation_failed');
    expectProblem(await pay(ws.admin, contractId, '-5'), 400, 'validation_failed');
  });

  it('20 concurrent payments against one contract: exactly the right number succeed and the sum never exceeds the total', async () => {
    const { ws, customerId } = await setup();
    // 20 requests of 70.00 against a total of 1000.00: 14 fit (980.00), 6 must be refused.
    const contractId = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: ws.adminId, totalCents: 100_000 });
    const results = await Promise.all(Array.from({ length: 20 }, () => pay(ws.admin, contractId, '70.00')));
    const accepted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(accepted).toHaveLength(14);
    expect(refused.map((r) => r.body.code)).toEqual(Array(6).fill('payment_exceeds_contract'));
    expect(await expectExact(ws, contractId)).toEqual({ total: 100_000, committed: 98_000, received: 98_000 });

    // With approval in the way (pending reservations) on a second contract, the same holds.
    const approver = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales_manager ?? ''] });
    await paymentFlow(ws, approver.id);
    const second = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: ws.adminId, totalCents: 100_000 });
    const pending = await Promise.all(Array.from({ length: 20 }, (_v, i) => pay(ws.admin, second, i % 2 === 0 ? '99.99' : '50.01')));
    const ok = pending.filter((r) => r.status === 201);
    const sum = ok.reduce((s, r) => s + Math.round(Number(r.body.amount) * 100), 0);
    expect(sum).toBeLessThanOrEqual(100_000);
    // Whatever the order, the ones refused did not fit: the remainder is below the smallest request.
    expect(100_000 - sum).toBeLessThan(5001);
    expect(pending.filter((r) => r.status !== 201).every((r) => r.body.code === 'payment_exceeds_contract')).toBe(true);
    expect(await expectExact(ws, second)).toMatchObject({ committed: sum, received: 0 });
  });

  it('permissions: reps see and record their own, managers their team, others get 404; no grant → 403; other workspaces → 404', async () => {
    const { ws, customerId } = await setup();
    const manager = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales_manager ?? ''] });
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''], managerId: manager.id });
    const other = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const nobody = await createUser(t.app, ws.admin, { roleIds: [] });
    const [repClient, managerClient, otherClient, nobodyClient] = await Promise.all([rep.client(), manager.client(), other.client(), nobody.client()]);
    const repContract = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: rep.id, totalCents: 10_000 });
    const created = await pay(repClient, repContract, '10');
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const plan = await repClient.post('/api/v1/payment-plans', { contractId: repContract, amount: '20', dueDate: '2030-01-01' });
    expect(plan.status).toBe(201);

    expect((await managerClient.get(`/api/v1/payments/${id}`)).status).toBe(200);
    expect((await managerClient.get<Page>(`/api/v1/payments?contractId=${repContract}`)).body.data).toHaveLength(1);
    expectProblem(await otherClient.get(`/api/v1/payments/${id}`), 404, 'not_found');
    expectProblem(await otherClient.get(`/api/v1/payment-plans/${String(plan.body.id)}`), 404, 'not_found');
    expect((await otherClient.get<Page>('/api/v1/payments')).body.data).toEqual([]);
    expectProblem(await otherClient.delete(`/api/v1/payments/${id}`), 404, 'not_found');
    // Someone else's contract is a bad reference for a rep; recording for someone else is out of scope.
    expectProblem(await pay(otherClient, repContract, '1'), 400, 'validation_failed');
    expectProblem(await pay(repClient, repContract, '1', { ownerId: other.id }), 400, 'validation_failed');
    expect((await pay(managerClient, repContract, '1', { ownerId: rep.id })).status).toBe(201);
    // Field rules: a hidden remark is left out, a masked one masked, and neither can be written.
    const hidden = await createUserWithGrants(t.app, ws.admin, [{ entity: 'payment', action: 'view' }, { entity: 'payment', action: 'create' }], [{ entity: 'payment', field: 'remark', access: 'hidden' }]);
    const masked = await createUserWithGrants(t.app, ws.admin, [{ entity: 'payment', action: 'view' }], [{ entity: 'payment', field: 'remark', access: 'read', masked: true }]);
    const withRemark = await pay(ws.admin, repContract, '2', { remark: '客户预付款' });
    const seenHidden = await hidden.session.get(`/api/v1/payments/${String(withRemark.body.id)}`);
    expect(seenHidden.status).toBe(200);
    expect(seenHidden.body).not.toHaveProperty('remark');
    expect(seenHidden.body.amount).toBe('2.00');
    expect((await masked.session.get(`/api/v1/payments/${String(withRemark.body.id)}`)).body.remark).toBe('客****');
    expectProblem(await pay(hidden.session, repContract, '1', { remark: 'sneaky' }), 403, 'field_forbidden');
    // The customer's timeline shows payments only to those who may view payments.
    const marketer = await createUser(t.app, ws.admin, { roleIds: [ws.roles.marketer ?? ''] });
    const paymentEntries = async (client: Client) =>
      (await client.get<Page>(`/api/v1/customers/${customerId}/timeline?limit=100`)).body.data.filter((e) => e.entity === 'payment').length;
    expect(await paymentEntries(ws.admin)).toBeGreaterThan(0);
    expect(await paymentEntries(await marketer.client())).toBe(0);
    expectProblem(await nobodyClient.get('/api/v1/payments'), 403, 'forbidden');
    expectProblem(await pay(nobodyClient, repContract, '1'), 403, 'forbidden');

    const b = await createWorkspaceWithAdmin(t, 'Other');
    expectProblem(await b.admin.get(`/api/v1/payments/${id}`), 404, 'not_found');
    expectProblem(await b.admin.delete(`/api/v1/payments/${id}`), 404, 'not_found');
    expectProblem(await b.admin.patch(`/api/v1/payments/${id}`, { remark: 'x' }), 404, 'not_found');
    expectProblem(await b.admin.get(`/api/v1/payment-plans/${String(plan.body.id)}`), 404, 'not_found');
    expectProblem(await b.admin.patch(`/api/v1/payment-plans/${String(plan.body.id)}`, { remark: 'x' }), 404, 'not_found');
    expectProblem(await b.admin.get(`/api/v1/contracts/${repContract}/payment-summary`), 404, 'not_found');
    expectProblem(await pay(b.admin, repContract, '1'), 400, 'validation_failed');
  });

  it('to-do: instalments due soon (inside the reminder window) and overdue, scoped to what I may see', async () => {
    t.clock.now = new Date('2026-05-10T02:00:00.000Z');
    const { ws, customerId } = await setup();
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const mine = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: rep.id, totalCents: 100_000 });
    const admins = await insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId: ws.adminId, totalCents: 100_000 });
    await repClient.post('/api/v1/payment-plans', { contractId: mine, amount: '10', dueDate: '2026-05-15', remindDays: 7 }); // due soon
    await repClient.post('/api/v1/payment-plans', { contractId: mine, amount: '10', dueDate: '2026-05-30', remindDays: 7 }); // not yet
    await repClient.post('/api/v1/payment-plans', { contractId: mine, amount: '10', dueDate: '2026-05-10' }); // due today
    await repClient.post('/api/v1/payment-plans', { contractId: mine, amount: '10', dueDate: '2026-05-01' }); // overdue
    await ws.admin.post('/api/v1/payment-plans', { contractId: admins, amount: '10', dueDate: '2026-05-11', remindDays: 3 });
    const todo = async (client: Client) => {
      const res = await client.get<{ data: { key: string; count: number; link: string }[] }>('/api/v1/todo');
      return Object.fromEntries(res.body.data.filter((i) => i.key.startsWith('paymentPlans')).map((i) => [i.key, i.count]));
    };
    expect(await todo(repClient)).toEqual({ paymentPlansDue: 2, paymentPlansOverdue: 1 });
    expect(await todo(ws.admin)).toEqual({ paymentPlansDue: 3, paymentPlansOverdue: 1 });
    const soon = await repClient.get<Page>('/api/v1/payment-plans?due=soon');
    expect(soon.body.data.map((p) => p.dueDate)).toEqual(['2026-05-10', '2026-05-15']);
    t.clock.now = new Date();
  });
});
