import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalog } from '../../../common/error-codes';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { type ContractJson, contractFlow, createContract, customerOf } from './contracts.testing';

describe('contract approval', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("submit → the manager approves from their to-do list → approved, the customer is dealt, all on the customer's timeline", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const manager = await createUser(t.app, ws.admin, { name: '王经理', roleIds: [ws.roles.sales_manager ?? ''] });
    const seller = await createUser(t.app, ws.admin, { name: '小李', roleIds: [ws.roles.sales ?? ''], managerId: manager.id });
    const [cm, cs] = await Promise.all([manager.client(), seller.client()]);
    await contractFlow(ws.admin, [{ kind: 'manager', levels: 1 }]);
    const { customerId } = await customerOf(cs, '成交客户');
    expect((await cs.get(`/api/v1/customers/${customerId}`)).body).toMatchObject({ dealStatus: 'none', lifecycleStage: 'prospect' });
    const c = (await createContract(cs, { customerId, total: '8800.00' })).body;

    const submitted = await cs.post<ContractJson>(`/api/v1/contracts/${c.id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'pending', access: { edit: false, submit: false, void: false }, approval: { status: 'pending', steps: [{ name: '审批', state: 'active' }] } });
    expectProblem(await cs.patch(`/api/v1/contracts/${c.id}`, { name: 'x' }), 409, 'contract_state');
    expectProblem(await cs.post(`/api/v1/contracts/${c.id}/void`, { reason: 'x' }), 409, 'contract_state');

    const waiting = await cm.get<{ data: Json[] }>('/api/v1/approvals/tasks?status=pending');
    expect(waiting.body.data).toMatchObject([{ subjectType: 'contract', subjectId: c.id, title: `${c.number} 年度服务合同`, path: `/contracts/${c.id}`, amount: '8800.00', submitter: { id: seller.id, name: '小李' } }]);
    const todo = await cm.get<{ data: { key: string; count: number }[] }>('/api/v1/todo');
    expect(todo.body.data.find((i) => i.key === 'approvalsWaiting')?.count).toBe(1);

    const approved = await cm.post(`/api/v1/approvals/${String(submitted.body.approvalId)}/approve`, { comment: '同意签约' });
    expect(approved.body).toMatchObject({ status: 'approved' });
    const after = await cs.get<ContractJson>(`/api/v1/contracts/${c.id}`);
    expect(after.body).toMatchObject({ status: 'approved', access: { void: true }, approval: { status: 'approved', history: [{ action: 'submit' }, { action: 'approve', comment: '同意签约' }] } });
    expect(typeof after.body.approvedAt).toBe('string');
    expect((await cs.get(`/api/v1/customers/${customerId}`)).body).toMatchObject({ dealStatus: 'dealt', lifecycleStage: 'customer' });

    const timeline = await cs.get<{ data: { kind: string; data: Json }[] }>(`/api/v1/customers/${customerId}/timeline?kind=contract_created,contract_submitted,contract_approved,field_change`);
    expect(timeline.body.data.map((e) => e.kind)).toEqual(['field_change', 'contract_approved', 'contract_submitted', 'contract_created']);
    expect(timeline.body.data[0]?.data).toMatchObject({ changes: { dealStatus: { from: 'none', to: 'dealt' }, lifecycleStage: { from: 'prospect', to: 'customer' } } });
    expect(timeline.body.data[1]?.data).toMatchObject({ contractId: c.id, comment: '同意签约' });
    expect((await cm.get<{ data: Json[] }>('/api/v1/approvals/tasks?status=pending')).body.data).toEqual([]);
  });

  it('rejected contracts are corrected and resubmitted; withdrawing returns to draft; a loyal customer keeps its stage', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const finance = await createUser(t.app, ws.admin, { name: '财务' });
    const seller = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const [cf, cs] = await Promise.all([finance.client(), seller.client()]);
    await contractFlow(ws.admin, [{ kind: 'user', userId: finance.id }]);
    const { customerId } = await customerOf(cs, '老客户');
    expect((await ws.admin.patch(`/api/v1/customers/${customerId}`, { lifecycleStage: 'loyal' })).status).toBe(200);
    const c = (await createContract(cs, { customerId, total: '1.00' })).body;

    const first = (await cs.post<ContractJson>(`/api/v1/contracts/${c.id}/submit`)).body;
    const rejected = await cf.post(`/api/v1/approvals/${String(first.approvalId)}/reject`, { comment: '金额不对' });
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    const afterReject = (await cs.get<ContractJson>(`/api/v1/contracts/${c.id}`)).body;
    expect(afterReject).toMatchObject({ status: 'rejected', access: { edit: true, submit: true }, approval: { status: 'rejected', history: [{ action: 'submit' }, { action: 'reject', comment: '金额不对' }] } });
    expect((await cs.patch<ContractJson>(`/api/v1/contracts/${c.id}`, { total: '2.00' })).body.total).toBe('2.00');

    const second = (await cs.post<ContractJson>(`/api/v1/contracts/${c.id}/submit`)).body;
    expect(second.approvalId).not.toBe(first.approvalId);
    expect(second.status).toBe('pending');
    const withdrawn = await cs.post(`/api/v1/approvals/${String(second.approvalId)}/withdraw`, { comment: '再改改' });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn' });
    expect((await cs.get<ContractJson>(`/api/v1/contracts/${c.id}`)).body).toMatchObject({ status: 'draft', access: { edit: true } });
    expectProblem(await cf.post(`/api/v1/approvals/${String(second.approvalId)}/approve`, {}), 409, 'approval_decided');

    const third = (await cs.post<ContractJson>(`/api/v1/contracts/${c.id}/submit`)).body;
    await cf.post(`/api/v1/approvals/${String(third.approvalId)}/approve`, {});
    expect((await cs.get(`/api/v1/customers/${customerId}`)).body).toMatchObject({ dealStatus: 'dealt', lifecycleStage: 'loyal' });
    const kinds = (await cs.get<{ data: { kind: string }[] }>(`/api/v1/customers/${customerId}/timeline?kind=contract_submitted,contract_rejected,contract_withdrawn,contract_approved`)).body.data.map((e) => e.kind);
    expect(kinds).toEqual(['contract_approved', 'contract_submitted', 'contract_withdrawn', 'contract_submitted', 'contract_rejected', 'contract_submitted']);
  });

  it('the amount chooses the flow: big contracts need 会签 of two more approvers', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const manager = await createUser(t.app, ws.admin, { name: 'M' });
    const finance = await createUser(t.app, ws.admin, { name: 'F' });
    const seller = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''], managerId: manager.id });
    const [cm, cf, cs] = await Promise.all([manager.client(), finance.client(), seller.client()]);
    await contractFlow(ws.admin, [{ kind: 'manager', levels: 1 }], { name: '小额', maxAmount: '100000.00', priority: 1 });
    const big = await ws.admin.post('/api/v1/approval-flows', {
      subjectType: 'contract',
      name: '大额',
      minAmount: '100000.00',
      priority: 2,
      steps: [
        { name: '经理', mode: 'any', approvers: [{ kind: 'manager', levels: 1 }] },
        { name: '财务+总经理会签', mode: 'all', approvers: [{ kind: 'user', userId: finance.id }, { kind: 'user', userId: ws.adminId }] },
      ],
    });
    expect(big.status).toBe(201);
    const { customerId } = await customerOf(cs, '大客户');
    const small = (await createContract(cs, { customerId, total: '99999.99' })).body;
    const large = (await createContract(cs, { customerId, total: '100000.00' })).body;
    const s = (await cs.post<ContractJson>(`/api/v1/contracts/${small.id}/submit`)).body;
    const l = (await cs.post<ContractJson>(`/api/v1/contracts/${large.id}/submit`)).body;
    expect(s.approval?.steps.map((x) => x.name)).toEqual(['审批']);
    expect(l.approval?.steps.map((x) => x.name)).toEqual(['经理', '财务+总经理会签']);

    await cm.post(`/api/v1/approvals/${String(l.approvalId)}/approve`, {});
    await cf.post(`/api/v1/approvals/${String(l.approvalId)}/approve`, {});
    expect((await cs.get<ContractJson>(`/api/v1/contracts/${large.id}`)).body.status).toBe('pending');
    await ws.admin.post(`/api/v1/approvals/${String(l.approvalId)}/approve`, {});
    expect((await cs.get<ContractJson>(`/api/v1/contracts/${large.id}`)).body.status).toBe('approved');
  });

  it('refuses to void a contract with approved or pending payments until they are reversed or withdrawn', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, '回款客户');
    const c = (await createContract(ws.admin, { customerId, total: '1000.00' })).body;
    expect((await ws.admin.post<ContractJson>(`/api/v1/contracts/${c.id}/submit`)).body.status).toBe('approved');
    // No payment flow yet: a payment is approved at once.
    const approved = await ws.admin.post<Json>('/api/v1/payments', { contractId: c.id, amount: '300.00', paidOn: '2026-11-20', method: 'bank_transfer' });
    expect(approved.body).toMatchObject({ status: 'approved', amount: '300.00', currency: 'CNY' });
    const refused = await ws.admin.post(`/api/v1/contracts/${c.id}/void`, { reason: '客户取消' }, { 'accept-language': 'zh-CN' });
    expectProblem(refused, 409, 'contract_has_payments');
    expect([errorCatalog.contract_has_payments.zh, errorCatalog.contract_has_payments.en]).toContain((refused.body as { title?: string }).title);
    expect((refused.body as { detail?: string }).detail).toContain('1 approved and 0 pending');
    expect((await ws.admin.get<ContractJson>(`/api/v1/contracts/${c.id}`)).body.status).toBe('approved');

    // A pending one (a payment flow now applies) blocks too, until withdrawn.
    const flow = await ws.admin.post('/api/v1/approval-flows', { subjectType: 'payment', name: '回款审批', steps: [{ name: '财务', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] }] });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    const pending = await ws.admin.post<Json>('/api/v1/payments', { contractId: c.id, amount: 100, paidOn: '2026-11-21', method: 'bank_transfer' });
    expect(pending.body).toMatchObject({ status: 'pending', amount: '100.00' });
    expect(((await ws.admin.delete(`/api/v1/payments/${String(approved.body.id)}`)).status)).toBe(204);
    const stillPending = await ws.admin.post(`/api/v1/contracts/${c.id}/void`, { reason: '客户取消' }, { 'accept-language': 'en' });
    expectProblem(stillPending, 409, 'contract_has_payments');
    expect((stillPending.body as { detail?: string }).detail).toContain('0 approved and 1 pending');
    expect((await ws.admin.post(`/api/v1/payments/${String(pending.body.id)}/withdraw`, {})).status).toBe(200);

    const voided = await ws.admin.post<ContractJson>(`/api/v1/contracts/${c.id}/void`, { reason: '客户取消' });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body.status).toBe('void');
    // A void contract takes no new payments.
    expect((await ws.admin.post('/api/v1/payments', { contractId: c.id, amount: '1.00', paidOn: '2026-11-22', method: 'cash' })).status).toBeGreaterThanOrEqual(400);
  });

  it('two submits of one contract at once start one approval', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    await contractFlow(ws.admin, [{ kind: 'user', userId: ws.adminId }]);
    const { customerId } = await customerOf(ws.admin, '并发');
    const c = (await createContract(ws.admin, { customerId, total: '0.01' })).body;
    const results = await Promise.all([1, 2, 3].map(() => ws.admin.post(`/api/v1/contracts/${c.id}/submit`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect([409]).toContain(r.status);
      expect(['contract_state', 'approval_pending']).toContain((r.body as { code: string }).code);
    }
    const instances = await t.deps.db.selectFrom('approvalInstances').select('id').where('subjectId', '=', c.id).execute();
    expect(instances).toHaveLength(1);
  });
});
