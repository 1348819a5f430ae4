import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createDepartment, createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { insertContract } from '../payments/payments.testing';

interface Fig {
  target: string;
  actual: string;
  percent: number | null;
}
interface Achievement {
  from: string;
  to: string;
  items: (Fig & { kind: string })[];
}

const months = (values: number[]) => values.map((v) => v.toFixed(2));

describe('targets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Sales dept (led by the manager) with a sub-team; a rep in each; an outsider elsewhere. */
  async function org() {
    t.clock.now = new Date('2026-05-10T02:00:00.000Z');
    const ws = await createWorkspaceWithAdmin(t);
    const manager = await createUser(t.app, ws.admin, { name: 'Manager', roleIds: [ws.roles.sales_manager ?? ''] });
    const sales = await createDepartment(ws.admin, 'Sales', null, manager.id);
    const team = await createDepartment(ws.admin, 'Team East', sales);
    const other = await createDepartment(ws.admin, 'Ops');
    await ws.admin.patch(`/api/v1/users/${manager.id}`, { departmentId: sales });
    const rep = await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''], departmentId: sales, managerId: manager.id });
    const east = await createUser(t.app, ws.admin, { name: 'East', roleIds: [ws.roles.sales ?? ''], departmentId: team });
    const outsider = await createUser(t.app, ws.admin, { name: 'Outsider', roleIds: [ws.roles.sales ?? ''], departmentId: other });
    const customerId = String((await ws.admin.post('/api/v1/customers', { name: 'Target Co' })).body.id);
    return { ws, manager, rep, east, outsider, sales, team, other, customerId };
  }

  it('sets targets in bulk (months or a year total), lists them and refuses bad input', async () => {
    const { ws, rep, sales } = await org();
    const res = await ws.admin.request('PUT', '/api/v1/targets', {
      year: 2026,
      kind: 'contract_amount',
      items: [
        { subjectType: 'user', subjectId: rep.id, months: months([100, 100, 100, 200, 200, 200, 300, 300, 300, 400, 400, 400]) },
        { subjectType: 'department', subjectId: sales, yearTotal: '1000.00' },
      ],
    });
    expect(res.status).toBe(200);
    const data = res.body.data as Json[];
    expect(data.find((d) => d.subjectId === rep.id)).toMatchObject({ subjectName: 'Rep', yearTotal: '3000.00', kind: 'contract_amount', year: 2026 });
    const dept = data.find((d) => d.subjectId === sales);
    expect(dept).toMatchObject({ subjectName: 'Sales', yearTotal: '1000.00' });
    expect((dept?.months as string[]).slice(0, 8)).toEqual(Array(8).fill('83.33'));
    expect((dept?.months as string[]).slice(8)).toEqual(Array(4).fill('83.34'));
    // Setting again replaces.
    await ws.admin.request('PUT', '/api/v1/targets', { year: 2026, kind: 'contract_amount', items: [{ subjectType: 'user', subjectId: rep.id, yearTotal: 1200 }] });
    const list = await ws.admin.get<{ data: Json[] }>('/api/v1/targets?year=2026&kind=contract_amount&subjectType=user');
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ yearTotal: '1200.00', months: Array(12).fill('100.00') });

    const bad = (items: unknown[]) => ws.admin.request('PUT', '/api/v1/targets', { year: 2026, kind: 'contract_amount', items });
    expectProblem(await bad([{ subjectType: 'user', subjectId: rep.id, months: ['1'] }]), 400, 'validation_failed');
    expectProblem(await bad([{ subjectType: 'user', subjectId: rep.id, months: months(Array<number>(12).fill(1)), yearTotal: '13' }]), 400, 'validation_failed');
    expectProblem(await bad([{ subjectType: 'user', subjectId: rep.id }]), 400, 'validation_failed');
    expectProblem(await bad([{ subjectType: 'user', subjectId: rep.id, yearTotal: '-1' }]), 400, 'validation_failed');
    expectProblem(await bad([{ subjectType: 'department', subjectId: rep.id, yearTotal: '1' }]), 400, 'validation_failed');
    expectProblem(await ws.admin.request('PUT', '/api/v1/targets', { year: 1999, kind: 'contract_amount', items: [{ subjectType: 'user', subjectId: rep.id, yearTotal: '1' }] }), 400, 'validation_failed');
  });

  it('achievement for a user and a department (members incl. sub-departments) over month, quarter, year and custom ranges', async () => {
    const { ws, rep, east, outsider, sales, team, customerId } = await org();
    await ws.admin.request('PUT', '/api/v1/targets', {
      year: 2026,
      kind: 'contract_amount',
      items: [
        { subjectType: 'user', subjectId: rep.id, months: months([1000, 1000, 1000, 1000, 2000, 2000, 0, 0, 0, 0, 0, 0]) },
        { subjectType: 'department', subjectId: sales, yearTotal: '12000' },
      ],
    });
    await ws.admin.request('PUT', '/api/v1/targets', { year: 2026, kind: 'payment_amount', items: [{ subjectType: 'user', subjectId: rep.id, yearTotal: '1200' }] });
    const contract = (ownerId: string, cents: number, signDate: string, status?: 'approved' | 'draft') =>
      insertContract(t, { workspaceId: ws.workspaceId, customerId, ownerId, totalCents: cents, signDate, ...(status ? { status } : {}) });
    const c1 = await contract(rep.id, 50_000, '2026-05-03');
    await contract(rep.id, 25_000, '2026-04-30');
    await contract(rep.id, 99_999, '2026-05-04', 'draft'); // not approved: never counts
    await contract(east.id, 30_000, '2026-05-20'); // sub-department member: counts for Sales
    await contract(outsider.id, 70_000, '2026-05-05'); // another department
    await contract(rep.id, 10_000, '2025-05-03'); // another year

    const get = async (q: string) => (await ws.admin.get<Achievement>(`/api/v1/targets/achievement?${q}`)).body;
    const may = await get(`subject=user&subjectId=${rep.id}&period=month&year=2026&month=5&kind=contract_amount`);
    expect(may).toMatchObject({ from: '2026-05-01', to: '2026-05-31', items: [{ kind: 'contract_amount', target: '2000.00', actual: '500.00', percent: 25 }] });
    const q2 = await get(`subject=user&subjectId=${rep.id}&period=quarter&year=2026&quarter=2&kind=contract_amount`);
    expect(q2.items[0]).toEqual({ kind: 'contract_amount', target: '5000.00', actual: '750.00', percent: 15 });
    const year = await get(`subject=user&subjectId=${rep.id}&period=year&year=2026`);
    expect(year.items).toEqual([
      { kind: 'contract_amount', target: '8000.00', actual: '750.00', percent: 9.38 },
      { kind: 'payment_amount', target: '1200.00', actual: '0.00', percent: 0 },
    ]);
    const custom = await get(`subject=user&subjectId=${rep.id}&period=custom&from=2026-04-16&to=2026-05-03&kind=contract_amount`);
    // 15/30 of April's 1000 + 3/31 of May's 2000 = 500 + 193.55
    expect(custom.items[0]).toEqual({ kind: 'contract_amount', target: '693.55', actual: '750.00', percent: 108.14 });
    const dept = await get(`subject=department&subjectId=${sales}&period=month&year=2026&month=5&kind=contract_amount`);
    expect(dept.items[0]).toEqual({ kind: 'contract_amount', target: '1000.00', actual: '800.00', percent: 80 });
    const sub = await get(`subject=department&subjectId=${team}&period=month&year=2026&month=5&kind=contract_amount`);
    expect(sub.items[0]).toEqual({ kind: 'contract_amount', target: '0.00', actual: '300.00', percent: null });

    // Payments count by payment date once approved (no payment flow: approved at once).
    const repClient = await rep.client();
    expect((await repClient.post('/api/v1/payments', { contractId: c1, amount: '300', paidOn: '2026-05-09', method: 'cash' })).status).toBe(201);
    const paid = await get(`subject=user&subjectId=${rep.id}&period=month&year=2026&month=5&kind=payment_amount`);
    expect(paid.items[0]).toEqual({ kind: 'payment_amount', target: '100.00', actual: '300.00', percent: 300 });
    // Defaults: me, this month (the clock says May 2026).
    const me = await (await rep.client()).get<Achievement>('/api/v1/targets/achievement?kind=payment_amount');
    expect(me.body).toMatchObject({ subjectId: rep.id, from: '2026-05-01', items: [{ actual: '300.00', percent: 300 }] });

    const report = await ws.admin.get<{ rows: { subjectId: string; months: Fig[]; year: Fig; editable: boolean }[] }>('/api/v1/targets/report?year=2026&kind=contract_amount&subjectType=department');
    const salesRow = report.body.rows.find((r) => r.subjectId === sales);
    expect(salesRow?.months[4]).toEqual({ target: '1000.00', actual: '800.00', percent: 80 });
    expect(salesRow?.months[3]).toEqual({ target: '1000.00', actual: '250.00', percent: 25 });
    expect(salesRow?.year).toEqual({ target: '12000.00', actual: '1050.00', percent: 8.75 });
    const users = await ws.admin.get<{ rows: { subjectId: string; year: Fig }[] }>('/api/v1/targets/report?year=2026&kind=contract_amount');
    expect(users.body.rows.find((r) => r.subjectId === outsider.id)?.year).toEqual({ target: '0.00', actual: '700.00', percent: null });

    const summary = await repClient.get<{ items: { scope: string; kind: string; month: Fig; year: Fig }[] }>('/api/v1/targets/summary');
    expect(summary.body.items.find((i) => i.scope === 'me' && i.kind === 'contract_amount')).toMatchObject({ month: { percent: 25 }, year: { target: '8000.00', actual: '750.00' } });
    expect(summary.body.items.find((i) => i.scope === 'department' && i.kind === 'contract_amount')).toMatchObject({ month: { actual: '800.00', percent: 80 } });
    t.clock.now = new Date();
  });

  it('permissions: managers set their subordinates and departments they lead; reps only see their own; others get 404', async () => {
    const { ws, manager, rep, east, outsider, sales, team, other } = await org();
    const [managerClient, repClient] = await Promise.all([manager.client(), rep.client()]);
    const set = (client: typeof repClient, subjectType: string, subjectId: string) =>
      client.request('PUT', '/api/v1/targets', { year: 2026, kind: 'payment_amount', items: [{ subjectType, subjectId, yearTotal: '120' }] });
    expect((await set(managerClient, 'user', rep.id)).status).toBe(200);
    expect((await set(managerClient, 'user', east.id)).status).toBe(200); // in a department he leads (sub-team)
    expect((await set(managerClient, 'department', team)).status).toBe(200);
    expect((await set(managerClient, 'department', sales)).status).toBe(200);
    expectProblem(await set(managerClient, 'user', outsider.id), 400, 'validation_failed');
    expectProblem(await set(managerClient, 'department', other), 400, 'validation_failed');
    expectProblem(await set(repClient, 'user', rep.id), 403, 'forbidden');

    const repList = await repClient.get<{ data: Json[] }>('/api/v1/targets?year=2026');
    expect(repList.body.data.map((d) => d.subjectId).sort()).toEqual([rep.id, sales].sort());
    expect((await repClient.get(`/api/v1/targets/achievement?subject=user&subjectId=${rep.id}`)).status).toBe(200);
    expectProblem(await repClient.get(`/api/v1/targets/achievement?subject=user&subjectId=${east.id}`), 404, 'not_found');
    expectProblem(await repClient.get(`/api/v1/targets/achievement?subject=department&subjectId=${team}`), 404, 'not_found');
    expect((await repClient.get(`/api/v1/targets/achievement?subject=department&subjectId=${sales}`)).status).toBe(200);
    expectProblem(await repClient.get('/api/v1/targets/achievement?subject=user'), 400, 'validation_failed');
    expect((await managerClient.get<{ rows: Json[] }>('/api/v1/targets/report?year=2026&kind=payment_amount')).body.rows.map((r) => r.name).sort()).toEqual(['East', 'Manager', 'Rep']);

    const nobody = await createUser(t.app, ws.admin, { roleIds: [] });
    const nobodyClient = await nobody.client();
    expectProblem(await nobodyClient.get('/api/v1/targets?year=2026'), 403, 'forbidden');
    expect((await nobodyClient.get('/api/v1/targets/summary')).body).toMatchObject({ items: [] });

    const b = await createWorkspaceWithAdmin(t, 'Other');
    expectProblem(await b.admin.get(`/api/v1/targets/achievement?subject=user&subjectId=${rep.id}`), 404, 'not_found');
    expectProblem(await b.admin.get(`/api/v1/targets/achievement?subject=department&subjectId=${sales}`), 404, 'not_found');
    expectProblem(await set(b.admin, 'user', rep.id), 400, 'validation_failed');
    expect((await b.admin.get<{ data: Json[] }>('/api/v1/targets?year=2026')).body.data).toEqual([]);
    t.clock.now = new Date();
  });
});
