import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids';
import { expectProblem } from '../../testing/expect-problem';
import { createRole, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { submitForApproval, type SubmitOptions } from './approvals.engine';
import { registerApprovalSubject } from './approvals.registry';

interface Row {
  instanceId: string;
  taskId: string | null;
  title: string | null;
  instanceStatus: string;
  taskStatus: string | null;
  stepName: string | null;
}
interface Page {
  data: Row[];
  nextCursor: string | null;
}
interface Instance {
  id: string;
  status: string;
  currentStep: number;
  flowName: string | null;
  steps: { name: string; mode: string; state: string; tasks: { approver: { id: string }; status: string; comment: string | null }[] }[];
  history: { action: string; comment: string | null; actor: { id: string } | null }[];
  can: { approve: boolean; reject: boolean; withdraw: boolean };
}

// A subject of its own, so the engine is tested apart from contracts and payments.
const events: { kind: string; subjectId: string; actorId: string | null; comment: string | null }[] = [];
registerApprovalSubject('test_doc', {
  link: (id) => `/test-docs/${id}`,
  describe: async (_trx, _ws, id) => ({ title: `Doc ${id.slice(-4)}`, path: `/test-docs/${id}` }),
  onSubmitted: async (e) => void events.push({ kind: 'submitted', subjectId: e.subjectId, actorId: e.actorId, comment: e.comment }),
  onApproved: async (e) => void events.push({ kind: 'approved', subjectId: e.subjectId, actorId: e.actorId, comment: e.comment }),
  onRejected: async (e) => void events.push({ kind: 'rejected', subjectId: e.subjectId, actorId: e.actorId, comment: e.comment }),
  onWithdrawn: async (e) => void events.push({ kind: 'withdrawn', subjectId: e.subjectId, actorId: e.actorId, comment: e.comment }),
});

describe('approval engine', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function flow(ws: TestWorkspace, body: Json) {
    const res = await ws.admin.post('/api/v1/approval-flows', { subjectType: 'test_doc', name: 'Flow', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function submit(ws: TestWorkspace, submitterId: string, amountCents: number | null, options: SubmitOptions = {}) {
    const subjectId = newId();
    const result = await t.deps.db.transaction().execute((trx) => submitForApproval(t.deps, { workspaceId: ws.workspaceId, userId: submitterId }, { subjectType: 'test_doc', subjectId, amountCents }, trx, options));
    return { ...result, subjectId };
  }

  async function view(client: Client, id: string) {
    return client.get<Instance>(`/api/v1/approvals/${id}`);
  }

  it('或签 with a role: the first approval decides, the other approver gets 409; lists and history follow', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const roleId = await createRole(ws.admin, [{ entity: 'customer', action: 'view' }]);
    const a = await createUser(t.app, ws.admin, { name: 'Finance A', roleIds: [roleId] });
    const b = await createUser(t.app, ws.admin, { name: 'Finance B', roleIds: [roleId] });
    const seller = await createUser(t.app, ws.admin, { name: 'Seller' });
    await flow(ws, { name: '财务或签', steps: [{ name: 'Finance', mode: 'any', approvers: [{ kind: 'role', roleId }] }] });
    const { instanceId, status, subjectId } = await submit(ws, seller.id, 5000);
    expect(status).toBe('pending');
    expect(events.filter((e) => e.subjectId === subjectId).map((e) => e.kind)).toEqual(['submitted']);

    const [ca, cb, cs] = await Promise.all([a.client(), b.client(), seller.client()]);
    const waiting = await ca.get<Page>('/api/v1/approvals/tasks?status=pending');
    expect(waiting.body.data).toMatchObject([{ instanceId, title: `Doc ${subjectId.slice(-4)}`, stepName: 'Finance', taskStatus: 'pending', instanceStatus: 'pending' }]);
    expect((await view(cs, instanceId)).body.can).toEqual({ approve: false, reject: false, withdraw: true });
    expect((await view(ca, instanceId)).body.can).toEqual({ approve: true, reject: true, withdraw: false });

    const approved = await ca.post<Instance>(`/api/v1/approvals/${instanceId}/approve`, { comment: '同意' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', steps: [{ state: 'approved' }] });
    expect(approved.body.steps[0]?.tasks.map((x) => [x.approver.id, x.status])).toEqual([
      [a.id, 'approved'],
      [b.id, 'closed'],
    ]);
    expect(approved.body.history.map((h) => [h.action, h.comment])).toEqual([
      ['submit', null],
      ['approve', '同意'],
    ]);
    expectProblem(await cb.post(`/api/v1/approvals/${instanceId}/approve`, {}), 409, 'approval_decided');
    expect(events.filter((e) => e.subjectId === subjectId).map((e) => [e.kind, e.actorId])).toEqual([
      ['submitted', seller.id],
      ['approved', a.id],
    ]);
    expect((await cb.get<Page>('/api/v1/approvals/tasks?status=pending')).body.data).toEqual([]);
    expect((await ca.get<Page>('/api/v1/approvals/tasks?status=done')).body.data).toMatchObject([{ instanceId, taskStatus: 'approved', comment: '同意' }]);
    expect((await cs.get<Page>('/api/v1/approvals/submitted')).body.data).toMatchObject([{ instanceId, instanceStatus: 'approved' }]);
  });

  it('会签 needs every approver; a named user and a role are merged without duplicates', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const roleId = await createRole(ws.admin, [{ entity: 'customer', action: 'view' }]);
    const a = await createUser(t.app, ws.admin, { roleIds: [roleId] });
    const b = await createUser(t.app, ws.admin, {});
    const seller = await createUser(t.app, ws.admin, {});
    await flow(ws, { steps: [{ name: 'Both', mode: 'all', approvers: [{ kind: 'user', userId: b.id }, { kind: 'role', roleId }, { kind: 'user', userId: a.id }] }] });
    const { instanceId } = await submit(ws, seller.id, 100);
    const [ca, cb] = await Promise.all([a.client(), b.client()]);
    const first = await cb.post<Instance>(`/api/v1/approvals/${instanceId}/approve`, {});
    expect(first.body).toMatchObject({ status: 'pending', steps: [{ state: 'active' }] });
    expect(first.body.steps[0]?.tasks.map((x) => [x.approver.id, x.status])).toEqual([
      [b.id, 'approved'],
      [a.id, 'pending'],
    ]);
    expectProblem(await cb.post(`/api/v1/approvals/${instanceId}/approve`, {}), 409, 'approval_decided');
    expect((await ca.post<Instance>(`/api/v1/approvals/${instanceId}/approve`, {})).body.status).toBe('approved');
  });

  it("walks the submitter's manager chain 1 and 2 levels up, step by step", async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const director = await createUser(t.app, ws.admin, { name: 'Director' });
    const manager = await createUser(t.app, ws.admin, { name: 'Manager', managerId: director.id });
    const seller = await createUser(t.app, ws.admin, { name: 'Seller', managerId: manager.id });
    await flow(ws, {
      steps: [
        { name: 'Manager', mode: 'any', approvers: [{ kind: 'manager', levels: 1 }] },
        { name: 'Director', mode: 'any', approvers: [{ kind: 'manager', levels: 2 }] },
      ],
    });
    const { instanceId } = await submit(ws, seller.id, 1);
    const [cm, cd] = await Promise.all([manager.client(), director.client()]);
    expect((await cd.get<Page>('/api/v1/approvals/tasks')).body.data).toEqual([]);
    expectProblem(await cd.get(`/api/v1/approvals/${instanceId}`), 404, 'not_found');
    const afterManager = await cm.post<Instance>(`/api/v1/approvals/${instanceId}/approve`, { comment: 'ok' });
    expect(afterManager.body).toMatchObject({ status: 'pending', currentStep: 1, steps: [{ state: 'approved' }, { state: 'active' }] });
    expect((await cd.get<Page>('/api/v1/approvals/tasks')).body.data).toMatchObject([{ instanceId, stepName: 'Director' }]);
    expect((await cd.post<Instance>(`/api/v1/approvals/${instanceId}/approve`, {})).body).toMatchObject({ status: 'approved', steps: [{ state: 'approved' }, { state: 'approved' }] });
  });

  it('a missing manager falls back to the admins, or is skipped (then nobody is left: approved)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const seller = await createUser(t.app, ws.admin, {});
    const f = await flow(ws, { steps: [{ name: 'Boss', mode: 'any', approvers: [{ kind: 'manager', levels: 1 }], missingManager: 'admin' }] });
    const first = await submit(ws, seller.id, 1);
    expect(first.status).toBe('pending');
    expect((await ws.admin.get<Page>('/api/v1/approvals/tasks')).body.data.map((r) => r.instanceId)).toEqual([first.instanceId]);

    expect((await ws.admin.patch(`/api/v1/approval-flows/${String(f.id)}`, { steps: [{ name: 'Boss', mode: 'any', approvers: [{ kind: 'manager', levels: 1 }], missingManager: 'skip' }] })).status).toBe(200);
    const second = await submit(ws, seller.id, 1);
    expect(second.status).toBe('approved');
    const v = await view(ws.admin, second.instanceId);
    expect(v.body.history.map((h) => h.action)).toEqual(['submit', 'step_skipped']);
    expect(v.body.steps[0]?.state).toBe('skipped');
    // The first approval keeps the steps it started with.
    expect((await view(ws.admin, first.instanceId)).body.steps[0]?.state).toBe('active');
  });

  it('amount conditions and priority choose the flow; no match approves at once or is an error', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const small = await createUser(t.app, ws.admin, { name: 'Small' });
    const big = await createUser(t.app, ws.admin, { name: 'Big' });
    const seller = await createUser(t.app, ws.admin, {});
    await flow(ws, { name: 'small', priority: 2, maxAmount: '10000.00', steps: [{ name: 's', mode: 'any', approvers: [{ kind: 'user', userId: small.id }] }] });
    await flow(ws, { name: 'big', priority: 1, minAmount: '10000.00', maxAmount: '50000.00', steps: [{ name: 'b', mode: 'any', approvers: [{ kind: 'user', userId: big.id }] }] });
    await flow(ws, { name: 'inactive catch-all', priority: 0, active: false, steps: [{ name: 'x', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] }] });
    expectProblem(await ws.admin.post('/api/v1/approval-flows', { subjectType: 'test_doc', name: 'bad', minAmount: '0.05', maxAmount: '0.05', steps: [{ name: 'x', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] }] }), 400, 'validation_failed');
    expectProblem(await ws.admin.post('/api/v1/approval-flows', { subjectType: 'nothing', name: 'bad', steps: [{ name: 'x', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] }] }), 400, 'validation_failed');

    const name = async (amount: number | null) => {
      const s = await submit(ws, seller.id, amount);
      return (await view(ws.admin, s.instanceId)).body;
    };
    expect(await name(999_999)).toMatchObject({ flowName: 'small', amount: '9999.99' });
    const flows = await ws.admin.get<{ data: Json[] }>('/api/v1/approval-flows?subjectType=test_doc');
    expect(flows.body.data.find((f) => f.name === 'big')).toMatchObject({ minAmount: '10000.00', maxAmount: '50000.00' });
    expect(flows.body.data.find((f) => f.name === 'small')).toMatchObject({ minAmount: null, maxAmount: '10000.00' });
    expect((await name(1_000_000)).flowName).toBe('big');
    expect((await name(4_999_999)).flowName).toBe('big');
    const none = await name(5_000_000);
    expect(none).toMatchObject({ flowName: null, status: 'approved' });
    expect(none.history.map((h) => h.action)).toEqual(['submit', 'auto_approve']);
    expect((await name(null)).status).toBe('approved');
    await expect(submit(ws, seller.id, 9_000_000, { onNoFlow: 'error' })).rejects.toMatchObject({ code: 'approval_no_flow' });
  });

  it('reject ends the approval with the comment; withdraw is for the submitter; a second submit is refused', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const approver = await createUser(t.app, ws.admin, {});
    const other = await createUser(t.app, ws.admin, {});
    const seller = await createUser(t.app, ws.admin, {});
    await flow(ws, {
      steps: [
        { name: 'one', mode: 'all', approvers: [{ kind: 'user', userId: approver.id }, { kind: 'user', userId: other.id }] },
        { name: 'two', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] },
      ],
    });
    const [ca, co, cs] = await Promise.all([approver.client(), other.client(), seller.client()]);

    const r = await submit(ws, seller.id, 1);
    const rejected = await ca.post<Instance>(`/api/v1/approvals/${r.instanceId}/reject`, { comment: '价格太低' });
    expect(rejected.body).toMatchObject({ status: 'rejected', steps: [{ state: 'rejected' }, { state: 'waiting' }] });
    expect(rejected.body.steps[0]?.tasks.map((x) => x.status)).toEqual(['rejected', 'closed']);
    expect(events.filter((e) => e.subjectId === r.subjectId).at(-1)).toEqual({ kind: 'rejected', subjectId: r.subjectId, actorId: approver.id, comment: '价格太低' });
    expectProblem(await co.post(`/api/v1/approvals/${r.instanceId}/approve`, {}), 409, 'approval_decided');
    expectProblem(await cs.post(`/api/v1/approvals/${r.instanceId}/withdraw`, {}), 409, 'approval_decided');

    const w = await submit(ws, seller.id, 1);
    await expect(t.deps.db.transaction().execute((trx) => submitForApproval(t.deps, { workspaceId: ws.workspaceId, userId: seller.id }, { subjectType: 'test_doc', subjectId: w.subjectId, amountCents: 1 }, trx))).rejects.toMatchObject({ code: 'approval_pending' });
    expectProblem(await ca.post(`/api/v1/approvals/${w.instanceId}/withdraw`, {}), 403, 'forbidden');
    expectProblem(await cs.post(`/api/v1/approvals/${w.instanceId}/approve`, {}), 403, 'forbidden');
    const withdrawn = await cs.post<Instance>(`/api/v1/approvals/${w.instanceId}/withdraw`, { comment: '改一下金额' });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', can: { approve: false, reject: false, withdraw: false } });
    expect(withdrawn.body.history.map((h) => [h.action, h.comment])).toEqual([
      ['submit', null],
      ['withdraw', '改一下金额'],
    ]);
    expect(events.filter((e) => e.subjectId === w.subjectId).map((e) => e.kind)).toEqual(['submitted', 'withdrawn']);
    expect((await ca.get<Page>('/api/v1/approvals/tasks')).body.data).toEqual([]);
    expectProblem(await ca.post(`/api/v1/approvals/${w.instanceId}/approve`, {}), 409, 'approval_decided');
    // Withdrawn: it may be submitted again.
    const again = await t.deps.db.transaction().execute((trx) => submitForApproval(t.deps, { workspaceId: ws.workspaceId, userId: seller.id }, { subjectType: 'test_doc', subjectId: w.subjectId, amountCents: 1 }, trx));
    expect(again.status).toBe('pending');
  });

  it('two approvers acting at once on a 或签 step make exactly one decision', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const users = await Promise.all([1, 2, 3, 4].map((i) => createUser(t.app, ws.admin, { name: `A${i}` })));
    const seller = await createUser(t.app, ws.admin, {});
    await flow(ws, {
      steps: [
        { name: 'any', mode: 'any', approvers: users.map((u) => ({ kind: 'user', userId: u.id })) },
        { name: 'final', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] },
      ],
    });
    const clients = await Promise.all(users.map((u) => u.client()));
    for (let round = 0; round < 3; round += 1) {
      const { instanceId } = await submit(ws, seller.id, 1);
      const results = await Promise.all(clients.map((c, i) => c.post(`/api/v1/approvals/${instanceId}/${i === 3 ? 'reject' : 'approve'}`, {})));
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) {
        expectProblem(r, 409, 'approval_decided');
      }
      const v = (await view(ws.admin, instanceId)).body;
      const decided = v.steps[0]?.tasks.filter((x) => x.status === 'approved' || x.status === 'rejected') ?? [];
      expect(decided).toHaveLength(1);
      expect(v.history.filter((h) => h.action === 'approve' || h.action === 'reject')).toHaveLength(1);
      expect(v.status).toBe(decided[0]?.status === 'rejected' ? 'rejected' : 'pending');
      const adminTasks = await t.deps.db.selectFrom('approvalTasks').select('id').where('instanceId', '=', instanceId).where('approverId', '=', ws.adminId).execute();
      expect(adminTasks).toHaveLength(decided[0]?.status === 'rejected' ? 0 : 1);
    }
  });

  it('approvals and flows of another workspace answer 404; flows need the settings permission', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const seller = await createUser(t.app, ws.admin, {});
    const f = await flow(ws, { steps: [{ name: 'x', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] }] });
    const { instanceId } = await submit(ws, seller.id, 1);
    expectProblem(await other.admin.get(`/api/v1/approvals/${instanceId}`), 404, 'not_found');
    expectProblem(await other.admin.post(`/api/v1/approvals/${instanceId}/approve`, {}), 404, 'not_found');
    expectProblem(await other.admin.post(`/api/v1/approvals/${instanceId}/withdraw`, {}), 404, 'not_found');
    expectProblem(await other.admin.get(`/api/v1/approval-flows/${String(f.id)}`), 404, 'not_found');
    expectProblem(await other.admin.patch(`/api/v1/approval-flows/${String(f.id)}`, { name: 'x' }), 404, 'not_found');
    expectProblem(await other.admin.delete(`/api/v1/approval-flows/${String(f.id)}`), 404, 'not_found');
    // A flow naming a user of another workspace is refused.
    expectProblem(await other.admin.post('/api/v1/approval-flows', { subjectType: 'test_doc', name: 'x', steps: [{ name: 'x', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] }] }), 400, 'validation_failed');
    const cs = await seller.client();
    expectProblem(await cs.get('/api/v1/approval-flows'), 403, 'forbidden');
    expectProblem(await cs.post('/api/v1/approval-flows', { subjectType: 'test_doc', name: 'x', steps: [{ name: 'x', mode: 'any', approvers: [{ kind: 'user', userId: ws.adminId }] }] }), 403, 'forbidden');
    const list = await ws.admin.get<{ data: Json[]; subjectTypes: string[] }>('/api/v1/approval-flows?subjectType=test_doc');
    expect(list.body.data).toHaveLength(1);
    expect(list.body.subjectTypes).toContain('test_doc');
    expect((await ws.admin.delete(`/api/v1/approval-flows/${String(f.id)}`)).status).toBe(204);
    // The running approval keeps its frozen steps.
    expect((await ws.admin.post<Instance>(`/api/v1/approvals/${instanceId}/approve`, {})).body.status).toBe('approved');
  });
});
