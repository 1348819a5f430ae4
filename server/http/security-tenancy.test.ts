import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDepartment, createUser, createWorkspaceWithAdmin, type CreatedUser, type TestWorkspace } from '../testing/factories';
import { expectProblem } from '../testing/expect-problem';
import {
  hasBody,
  isApiRoute,
  problemDefect,
  resourceOf,
  fillRouteParams,
  isIdRoute,
  routeKey,
  sampleBodies,
  send,
  type WalkRoute,
  walkRoutes,
} from '../testing/route-walk';
import { Client, createTestApp, type Json, signIn, type TestApp, testPassword, uniqueEmail } from '../testing/test-app';
import { insertFileRow } from '../modules/files/files.testing';
import { uploadImport } from '../modules/imports/imports.fixtures';
import { insertContract } from '../modules/payments/payments.testing';

/**
 * Tenancy: a caller of workspace B presenting ids of workspace A must learn nothing and change
 * nothing — every :id route answers 404, as if the record did not exist.
 */
describe('cross-workspace isolation', () => {
  let t: TestApp;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let aUser: CreatedUser;
  const aIds: Record<string, string> = {};
  let bKey: Client;
  let idRoutes: WalkRoute[];

  beforeAll(async () => {
    t = await createTestApp();
    a = await createWorkspaceWithAdmin(t, 'Workspace A');
    b = await createWorkspaceWithAdmin(t, 'Workspace B');
    const aDepartment = await createDepartment(a.admin, 'A sales');
    aUser = await createUser(t.app, a.admin, { name: 'A person', departmentId: aDepartment, roleIds: [a.roles.sales ?? ''], phone: '13812341234' });
    const aRole = await a.admin.post<Json>('/api/v1/roles', { name: 'A custom', permissions: [{ entity: 'user', action: 'view', scope: 'own' }], fieldRules: [] });
    const aKey = await a.admin.post<Json>('/api/v1/api-keys', { name: 'A key', roleId: a.roles.admin });
    expect([aRole.status, aKey.status]).toEqual([201, 201]);
    const aCustomer = await a.admin.post<Json>('/api/v1/customers', { name: 'A customer' });
    const aTag = await a.admin.post<Json>('/api/v1/tags', { name: 'A tag' });
    const aField = await a.admin.post<Json>('/api/v1/custom-fields/customer', { key: 'a_field', label: 'A field', type: 'text' });
    const aView = await a.admin.post<Json>('/api/v1/saved-views', { entity: 'customer', name: 'A view', shared: true, definition: { filters: {}, columns: [] } });
    Object.assign(aIds, {
      users: aUser.id,
      departments: aDepartment,
      roles: String(aRole.body.id),
      'api-keys': String(aKey.body.id),
      customers: String(aCustomer.body.id),
      tags: String(aTag.body.id),
      'custom-fields': String(aField.body.id),
      'saved-views': String(aView.body.id),
    });

    const aContact = await a.admin.post<Json>('/api/v1/contacts', { customerId: aIds.customers, name: 'A contact' });
    const aFollowUp = await a.admin.post<Json>('/api/v1/follow-ups', { entity: 'customer', recordId: aIds.customers, type: 'call', content: 'A follow-up' });
    Object.assign(aIds, { contacts: String(aContact.body.id), 'follow-ups': String(aFollowUp.body.id), files: await insertFileRow(t.deps, a.workspaceId, a.adminId) });
    const aImport = await uploadImport<Json>(a.admin, 'a.csv', Buffer.from('name\nA import\n'));
    const aExport = await a.admin.post<Json>('/api/v1/exports', { entity: 'customer', format: 'csv', filter: {} });
    expect([aImport.status, aExport.status]).toEqual([201, 202]);
    Object.assign(aIds, { imports: String(aImport.body.id), exports: String(aExport.body.id) });
    const aLead = await a.admin.post<Json>('/api/v1/leads', { name: 'A lead' });
    expect(aLead.status).toBe(201);
    Object.assign(aIds, { leads: String(aLead.body.id) });
    const aDeal = await a.admin.post<Json>('/api/v1/deals', { name: 'A deal', customerId: aIds.customers });
    const aProduct = await a.admin.post<Json>('/api/v1/products', { name: 'A product', price: '1.00' });
    const aCategory = await a.admin.post<Json>('/api/v1/product-categories', { name: 'A category' });
    expect([aDeal.status, aProduct.status, aCategory.status]).toEqual([201, 201, 201]);
    Object.assign(aIds, { deals: String(aDeal.body.id), pipelines: String(aDeal.body.pipelineId), products: String(aProduct.body.id), 'product-categories': String(aCategory.body.id) });

    const aContract = await insertContract(t, { workspaceId: a.workspaceId, customerId: aIds.customers ?? '', ownerId: a.adminId, totalCents: 100_000 });
    const aPlan = await a.admin.post<Json>('/api/v1/payment-plans', { contractId: aContract, amount: '100', dueDate: '2030-01-01' });
    const aPayment = await a.admin.post<Json>('/api/v1/payments', { contractId: aContract, amount: '10', paidOn: '2026-01-01', method: 'cash' });
    expect([aPlan.status, aPayment.status]).toEqual([201, 201]);
    Object.assign(aIds, { contracts: aIds.contracts ?? aContract, 'payment-plans': String(aPlan.body.id), payments: String(aPayment.body.id) });
    const aFlow = await a.admin.post<Json>('/api/v1/approval-flows', { subjectType: 'contract', name: 'A flow', steps: [{ name: 'A step', mode: 'any', approvers: [{ kind: 'user', userId: a.adminId }] }] });
    const aApprovedContract = await a.admin.post<Json>('/api/v1/contracts', { name: 'A contract', customerId: aIds.customers, total: '1.00' });
    const aSubmitted = await a.admin.post<Json>(`/api/v1/contracts/${String(aApprovedContract.body.id)}/submit`);
    expect([aFlow.status, aApprovedContract.status, aSubmitted.status]).toEqual([201, 201, 200]);
    Object.assign(aIds, { 'approval-flows': String(aFlow.body.id), approvals: String(aSubmitted.body.approvalId) });
    const aPool = await a.admin.post<Json>('/api/v1/pools', { name: 'A pool', allUsers: true });
    const aLimits = await a.admin.request<{ data: Json[] }>('PUT', '/api/v1/ownership-limits', { subjectType: 'user', subjectId: aUser.id, maxOwned: 10, maxLocked: 1 });
    expect([aPool.status, aLimits.status]).toEqual([201, 200]);
    Object.assign(aIds, { pools: String(aPool.body.id), 'ownership-limits': String(aLimits.body.data[0]?.id) });
    const key = await b.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'B key', roleId: b.roles.admin });
    bKey = new Client(t.app, { bearer: key.body.secret });
    idRoutes = walkRoutes(t.app).filter((r) => isApiRoute(r) && isIdRoute(r));
  });
  afterAll(async () => {
    await t.close();
  });

  it('walks a non-empty set of :id routes, each with an id of workspace A to present', () => {
    expect(idRoutes.length).toBeGreaterThanOrEqual(12);
    const unknown = idRoutes.map((r) => resourceOf(r.url) ?? r.url).filter((resource) => !(resource in aIds));
    expect(unknown, 'add a workspace-A record for these resources').toEqual([]);
  });

  for (const who of ['session', 'api key'] as const) {
    it(`answers 404 on every :id route to workspace B's admin (${who}) presenting workspace A's ids`, async () => {
      const client = who === 'session' ? b.admin : bKey;
      const bodies = sampleBodies({ roleId: b.roles.admin ?? '', uniqueEmail, password: testPassword, userId: b.adminId, customerId: aIds.customers ?? '' });
      const defects: string[] = [];
      for (const route of idRoutes) {
        const body = bodies[routeKey(route)];
        if (hasBody(route) && !body) {
          defects.push(`${routeKey(route)}: no sample body in route-walk.ts`);
          continue;
        }
        const url = fillRouteParams(route.url, aIds);
        const res = await send(t.app, client, { method: route.method, url, ...(hasBody(route) ? { json: body } : {}) });
        const defect = problemDefect(res, { status: 404, ...(route.method === 'HEAD' ? {} : { code: 'not_found' }) });
        if (defect) {
          defects.push(`${route.method} ${url}: ${defect}`);
        }
      }
      expect(defects).toEqual([]);
    });
  }

  it('left every workspace-A record as it was', async () => {
    const user = await a.admin.get<Json>(`/api/v1/users/${aUser.id}`);
    expect(user.body).toMatchObject({ name: 'A person', status: 'active', phone: '13812341234' });
    // The password was not reset: the user still signs in with the old one.
    await expect(signIn(t.app, aUser.email, testPassword)).resolves.toBeInstanceOf(Client);
    const departments = await a.admin.get<{ data: Json[] }>('/api/v1/departments');
    expect(departments.body.data.find((d) => d.id === aIds.departments)).toMatchObject({ name: 'A sales' });
    expect((await a.admin.get<Json>(`/api/v1/roles/${aIds.roles}`)).body).toMatchObject({ name: 'A custom' });
    const keys = await a.admin.get<{ data: Json[] }>('/api/v1/api-keys');
    expect(keys.body.data.find((k) => k.id === aIds['api-keys'])).toMatchObject({ revokedAt: null });
  });

  it("rejects references to workspace A's records in workspace B's writes", async () => {
    const bUser = await createUser(t.app, b.admin, { name: 'B person' });
    const bDepartment = await createDepartment(b.admin, 'B sales');
    const base = { name: 'Mixer', email: uniqueEmail(), password: testPassword, roleIds: [] };
    const attempts: [string, () => Promise<{ status: number; body: unknown; headers: Record<string, unknown> }>][] = [
      ['user with A department', () => b.admin.post('/api/v1/users', { ...base, departmentId: aIds.departments })],
      ['user with A manager', () => b.admin.post('/api/v1/users', { ...base, managerId: aIds.users })],
      ['user with A role', () => b.admin.post('/api/v1/users', { ...base, roleIds: [aIds.roles] })],
      ['move user to A department', () => b.admin.patch(`/api/v1/users/${bUser.id}`, { departmentId: aIds.departments })],
      ['give user A manager', () => b.admin.patch(`/api/v1/users/${bUser.id}`, { managerId: aIds.users })],
      ['give user A role', () => b.admin.patch(`/api/v1/users/${bUser.id}`, { roleIds: [aIds.roles] })],
      ['department under A department', () => b.admin.post('/api/v1/departments', { name: 'Sub', parentId: aIds.departments })],
      ['department led by A user', () => b.admin.post('/api/v1/departments', { name: 'Led', leaderId: aIds.users })],
      ['move department under A', () => b.admin.patch(`/api/v1/departments/${bDepartment}`, { parentId: aIds.departments })],
      ['A user leads B department', () => b.admin.patch(`/api/v1/departments/${bDepartment}`, { leaderId: aIds.users })],
      ['API key with A role', () => bKey.post('/api/v1/api-keys', { name: 'Borrowed', roleId: aIds.roles })],
      ['API key with A admin role', () => b.admin.post('/api/v1/api-keys', { name: 'Borrowed', roleId: a.roles.admin })],
    ];
    for (const [label, attempt] of attempts) {
      const res = await attempt();
      expect(res.status, label).toBe(400);
      expectProblem(res, 400, 'validation_failed');
    }
  });

  it("finds nothing of workspace A through B's filters, lists and sign-in", async () => {
    const users = await b.admin.get<{ data: Json[] }>(`/api/v1/users?departmentId=${aIds.departments}`);
    expect(users.body.data).toEqual([]);
    const byName = await b.admin.get<{ data: Json[] }>('/api/v1/users?q=A%20person');
    expect(byName.body.data).toEqual([]);
    const audit = await b.admin.get<{ data: Json[] }>(`/api/v1/audit-log?userId=${a.adminId}`);
    expect(audit.status).toBe(200);
    expect(audit.body.data).toEqual([]);
    const all = JSON.stringify([
      (await b.admin.get('/api/v1/users')).body,
      (await b.admin.get('/api/v1/departments')).body,
      (await b.admin.get('/api/v1/roles')).body,
      (await b.admin.get('/api/v1/api-keys')).body,
    ]);
    for (const id of [...Object.values(aIds), a.workspaceId, a.adminId]) {
      expect(all).not.toContain(id);
    }
    // B's audit log records B's own requests (which may name A's ids in a path), never A's events.
    const entries = (await b.admin.get<{ data: Json[] }>('/api/v1/audit-log?limit=200')).body.data;
    const aKnown = new Set<unknown>([...Object.values(aIds), a.workspaceId, a.adminId]);
    expect(entries.filter((e) => aKnown.has(e.targetId) || aKnown.has(e.actorUserId))).toEqual([]);
    // Naming workspace A while signing in with a B account finds no such account.
    const login = await send(t.app, null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      json: { email: b.adminEmail, password: testPassword, workspaceId: a.workspaceId },
    });
    expect(problemDefect(login, { status: 401, code: 'invalid_credentials' })).toBeNull();
  });
});
