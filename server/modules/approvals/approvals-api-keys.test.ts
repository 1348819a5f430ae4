import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { type ContractJson, contractFlow, createContract } from '../contracts/contracts.testing';

/*
 * An approval's submitter is a user (their manager chain routes it, they may withdraw it). An API
 * key acts as the user who created it; a key not bound to an active user gets a clear 422
 * approval_needs_user instead of a generic rule violation.
 */
describe('approval submission through API keys', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let approver: Client;

  async function keyOf(creator: Client, name: string): Promise<Client> {
    const res = await creator.post<{ secret?: string }>('/api/v1/api-keys', { name, roleId: ws.roles.admin });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return new Client(t.app, { bearer: res.body.secret ?? '' });
  }

  async function draftContract(client: Client, name: string): Promise<ContractJson> {
    const customer = await client.post('/api/v1/customers', { name, contact: { name: `${name} 联系人` } });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const contract = await createContract(client, { customerId: String(customer.body.id), total: '1200.00' });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    return contract.body;
  }

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t, 'Key Approvals Co');
    const boss = await createUser(t.app, ws.admin, { name: '审批人', roleIds: [ws.roles.admin ?? ''] });
    approver = await boss.client();
    await contractFlow(ws.admin, [{ kind: 'user', userId: boss.id }]);
  });
  afterAll(async () => {
    await t.close();
  });

  it("a key submits as the user who created it: that user is the submitter and may withdraw", async () => {
    const key = await keyOf(ws.admin, 'ERP');
    const c = await draftContract(key, '接口客户');
    const submitted = await key.post<ContractJson>(`/api/v1/contracts/${c.id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'pending', approval: { status: 'pending' } });
    const tasks = await approver.get<{ data: Json[] }>('/api/v1/approvals/tasks?status=pending');
    expect(tasks.body.data).toMatchObject([{ subjectId: c.id, submitter: { id: ws.adminId, name: 'Admin' } }]);
    // The creating user sees it as theirs and can take it back.
    const withdrawn = await ws.admin.post(`/api/v1/approvals/${String(submitted.body.approvalId)}/withdraw`, { comment: '撤回' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
  });

  it('a key made by another key (no user) gets 422 approval_needs_user, and nothing is started', async () => {
    const first = await keyOf(ws.admin, 'Provisioner');
    const userless = await keyOf(first, 'Made by a key');
    const c = await draftContract(first, '无主密钥客户');
    const res = await userless.post(`/api/v1/contracts/${c.id}/submit`);
    expectProblem(res, 422, 'approval_needs_user');
    expect(String(res.body.detail)).toMatch(/not bound to a user/);
    expect((await first.get<ContractJson>(`/api/v1/contracts/${c.id}`)).body).toMatchObject({ status: 'draft', approvalId: null });
  });

  it("a key whose creating user was deactivated gets 422 approval_needs_user", async () => {
    const leaver = await createUser(t.app, ws.admin, { name: '离职管理员', roleIds: [ws.roles.admin ?? ''] });
    const key = await keyOf(await leaver.client(), 'Old integration');
    const c = await draftContract(key, '离职客户');
    expect((await ws.admin.post(`/api/v1/users/${leaver.id}/deactivate`, {})).status).toBeLessThan(300);
    const res = await key.post(`/api/v1/contracts/${c.id}/submit`);
    expectProblem(res, 422, 'approval_needs_user');
    expect(String(res.body.detail)).toMatch(/deactivated/);
  });
});
