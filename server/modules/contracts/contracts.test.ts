import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { tempDataDir, uploadFile } from '../files/files.testing';
import { type ContractJson, createContract, customerOf, product } from './contracts.testing';

interface Page {
  data: ContractJson[];
  nextCursor: string | null;
  total?: number;
}

describe('contracts', () => {
  let t: TestApp;
  const files = tempDataDir();
  beforeAll(async () => {
    t = await createTestApp({ dataDir: files.dataDir });
    t.clock.now = new Date('2026-11-23T02:00:00Z');
  });
  afterAll(async () => {
    await t.close();
    files.remove();
  });

  it('is created from a deal: customer and product lines come from it, the total is their sum, the number follows the rule', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId, contactId } = await customerOf(ws.admin, '好客科技');
    const crm = await product(ws.admin, 'CRM 授权', 100_000);
    const deal = await ws.admin.post('/api/v1/deals', {
      name: '好客 CRM 项目',
      customerId,
      lines: [
        { productId: crm, quantity: 3, discountPercent: 10 },
        { name: '实施服务', price: '500.00', quantity: 1.5 },
      ],
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const dealId = String(deal.body.id);

    const prefill = await ws.admin.get(`/api/v1/contracts/prefill?dealId=${dealId}`);
    expect(prefill.body).toMatchObject({ customerId, customerName: '好客科技', dealId, name: '好客 CRM 项目', total: '3450.00' });

    const created = await createContract(ws.admin, { dealId, signDate: '2026-11-23', startDate: '2026-12-01', endDate: '2027-11-30', signerId: ws.adminId, customerSignerId: contactId, remark: '首年' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/contracts/${created.body.id}`);
    expect(created.body).toMatchObject({
      number: 'HT-20261123-0001',
      status: 'draft',
      customerId,
      customerName: '好客科技',
      dealId,
      dealName: '好客 CRM 项目',
      signerName: 'Admin',
      customerSignerName: '好客科技 联系人',
      total: '3450.00',
      approval: null,
      access: { edit: true, delete: true, submit: true, void: true },
    });
    expect(created.body.lines?.map((l) => [l.productId, l.name, l.price, l.quantity, l.discountPercent, l.amount])).toEqual([
      [crm, 'CRM 授权', '1000.00', 3, 10, '2700.00'],
      [null, '实施服务', '500.00', 1.5, 0, '750.00'],
    ]);
    expect(created.body.currency).toBe('CNY');
    // The second contract of the day takes the next number; one from the customer has a manual total.
    const second = await createContract(ws.admin, { customerId, total: '123.45' });
    expect(second.body).toMatchObject({ number: 'HT-20261123-0002', total: '123.45', dealId: null, lines: [] });

    const timeline = await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${customerId}/timeline?kind=contract_created`);
    expect(timeline.body.data.map((e) => e.data)).toEqual([
      { contractId: second.body.id, number: 'HT-20261123-0002', name: '年度服务合同', total: '123.45' },
      { contractId: created.body.id, number: 'HT-20261123-0001', name: '年度服务合同', total: '3450.00' },
    ]);
  });

  it('validates input: customer, deal, signer, dates, lines and total', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, 'A 公司');
    const { customerId: customerB, contactId: contactB } = await customerOf(ws.admin, 'B 公司');
    const { customerId: foreign } = await customerOf(other.admin, '外部');
    const crm = await product(ws.admin, 'CRM', 1000);
    const deal = await ws.admin.post('/api/v1/deals', { name: 'B deal', customerId: customerB });
    const errorsOf = (res: { body: unknown }) => ((res.body as { errors?: { path: string }[] }).errors ?? []).map((e) => e.path);

    expectProblem(await createContract(ws.admin, {}), 400, 'validation_failed');
    expect(errorsOf(await createContract(ws.admin, { customerId: foreign }))).toEqual(['customerId']);
    expect(errorsOf(await createContract(ws.admin, { customerId, dealId: String(deal.body.id) }))).toEqual(['dealId']);
    expect(errorsOf(await createContract(ws.admin, { customerId, customerSignerId: contactB }))).toEqual(['customerSignerId']);
    expect(errorsOf(await createContract(ws.admin, { customerId, signerId: other.adminId }))).toEqual(['signerId']);
    expect(errorsOf(await createContract(ws.admin, { customerId, startDate: '2026-12-01', endDate: '2026-11-30' }))).toEqual(['endDate']);
    expect(errorsOf(await createContract(ws.admin, { customerId, lines: [{ productId: crm, quantity: 2 }], total: '0.01' }))).toEqual(['total']);
    expect(errorsOf(await createContract(ws.admin, { customerId, lines: [{ quantity: 2 }] }))).toEqual(['lines.0.name']);
    expectProblem(await createContract(ws.admin, { customerId, lines: [{ productId: crm, quantity: -1 }] }), 400, 'validation_failed');
    expectProblem(await createContract(ws.admin, { customerId, number: 'bad number!' }), 400, 'validation_failed');
    expectProblem(await createContract(ws.admin, { customerId, name: '' }), 400, 'validation_failed');

    const manual = await createContract(ws.admin, { customerId, number: 'HT-MANUAL-1' });
    expect(manual.body.number).toBe('HT-MANUAL-1');
    expectProblem(await createContract(ws.admin, { customerId, number: 'HT-MANUAL-1' }), 409, 'number_taken');
  });

  it('edits drafts only; lines replace lines; If-Match guards concurrent edits; delete only drafts', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, 'C 公司');
    const crm = await product(ws.admin, 'CRM', 1000);
    const c = (await createContract(ws.admin, { customerId, total: '5.00' })).body;
    const edited = await ws.admin.patch<ContractJson>(`/api/v1/contracts/${c.id}`, { name: '改名', lines: [{ productId: crm, quantity: 4, discountPercent: 25 }] }, { 'if-match': String(c.version) });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ name: '改名', total: '30.00', version: c.version + 1 });
    expectProblem(await ws.admin.patch(`/api/v1/contracts/${c.id}`, { name: 'stale' }, { 'if-match': String(c.version) }), 412, 'version_mismatch');
    expectProblem(await ws.admin.patch(`/api/v1/contracts/${c.id}`, { total: '0.01' }), 400, 'validation_failed');
    const noLines = await ws.admin.patch<ContractJson>(`/api/v1/contracts/${c.id}`, { lines: [], total: '7.77' });
    expect(noLines.body).toMatchObject({ total: '7.77', lines: [] });

    // No flow configured: submitting approves at once.
    const submitted = await ws.admin.post<ContractJson>(`/api/v1/contracts/${c.id}/submit`);
    expect(submitted.body).toMatchObject({ status: 'approved', access: { edit: false, delete: false, submit: false, void: true } });
    expect(submitted.body.approval?.history.map((h) => h.action)).toEqual(['submit', 'auto_approve']);
    expectProblem(await ws.admin.patch(`/api/v1/contracts/${c.id}`, { name: 'x' }), 409, 'contract_state');
    expectProblem(await ws.admin.post(`/api/v1/contracts/${c.id}/submit`), 409, 'contract_state');
    expectProblem(await ws.admin.delete(`/api/v1/contracts/${c.id}`), 409, 'contract_state');
    expectProblem(await ws.admin.post(`/api/v1/contracts/${c.id}/void`, {}), 400, 'validation_failed');
    const voided = await ws.admin.post<ContractJson>(`/api/v1/contracts/${c.id}/void`, { reason: '客户取消' });
    expect(voided.body).toMatchObject({ status: 'void', voidReason: '客户取消', access: { edit: false, void: false } });
    expectProblem(await ws.admin.post(`/api/v1/contracts/${c.id}/void`, { reason: 'again' }), 409, 'contract_state');

    const draft = (await createContract(ws.admin, { customerId, total: '0.01' })).body;
    expect((await ws.admin.delete(`/api/v1/contracts/${draft.id}`)).status).toBe(204);
    expectProblem(await ws.admin.get(`/api/v1/contracts/${draft.id}`), 404, 'not_found');
    const timeline = await ws.admin.get<{ data: Json[] }>(`/api/v1/customers/${customerId}/timeline?kind=contract_voided`);
    expect(timeline.body.data.map((e) => e.data)).toMatchObject([{ contractId: c.id, reason: '客户取消', previousStatus: 'approved' }]);
  });

  it('lists with filters, sort, count, q and expiringWithin', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, 'D 公司');
    const mk = async (name: string, total: string | number, extra: Json = {}) => (await createContract(ws.admin, { customerId, name, total, ...extra })).body;
    const a = await mk('甲', '1.00', { signDate: '2026-01-10', endDate: '2026-12-01' });
    const b = await mk('乙', '3.00', { signDate: '2026-06-10', endDate: '2027-06-01' });
    const c = await mk('丙', '2.00', { signDate: '2026-11-01', endDate: '2026-11-20' });
    for (const x of [a, b, c]) {
      await ws.admin.post(`/api/v1/contracts/${x.id}/submit`);
    }
    const d = await mk('丁', 0.5, { endDate: '2026-12-05' });
    const names = async (query: string) => (await ws.admin.get<Page>(`/api/v1/contracts?${query}`)).body.data.map((x) => x.name);
    expect(await names('')).toEqual(['丁', '丙', '乙', '甲']);
    expect(await names('status=approved&sort=-total')).toEqual(['乙', '丙', '甲']);
    expect(await names('status=draft')).toEqual(['丁']);
    expect(await names('signDate[gte]=2026-06-01&signDate[lte]=2026-11-30&sort=signDate')).toEqual(['乙', '丙']);
    expect(await names('total[gte]=2&sort=total')).toEqual(['丙', '乙']);
    expect(await names('total[lt]=1.5&sort=total')).toEqual(['丁', '甲']);
    expect((await ws.admin.get<Page>('/api/v1/contracts?sort=total&limit=1')).body.data.map((x) => x.total)).toEqual(['0.50']);
    expectProblem(await ws.admin.get('/api/v1/contracts?total[gte]=abc'), 400, 'unknown_filter');
    expect(await names(`q=${encodeURIComponent(d.number)}`)).toEqual(['丁']);
    // Today is 2026-11-23 (Asia/Shanghai): approved, ending within 30 days (丁 is only a draft, 丙 has ended).
    expect(await names('expiringWithin=30')).toEqual(['甲']);
    const page = await ws.admin.get<Page>('/api/v1/contracts?limit=2&count=true');
    expect(page.body.total).toBe(4);
    expect((await ws.admin.get<Page>(`/api/v1/contracts?limit=2&cursor=${page.body.nextCursor ?? ''}`)).body.data.map((x) => x.name)).toEqual(['乙', '甲']);
    expectProblem(await ws.admin.get('/api/v1/contracts?nope=1'), 400, 'unknown_filter');
    expectProblem(await ws.admin.get('/api/v1/contracts?expiringWithin=x'), 400, 'validation_failed');

    const todo = await ws.admin.get<{ data: { key: string; count: number; link: string }[] }>('/api/v1/todo');
    expect(todo.body.data.find((i) => i.key === 'contractsExpiring')).toMatchObject({ count: 1, link: '/contracts?expiringWithin=30' });
  });

  it('custom fields: validated, stored, filterable', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const field = await ws.admin.post('/api/v1/custom-fields/contract', { key: 'po_number', label: 'PO', type: 'text', required: true });
    expect(field.status, JSON.stringify(field.body)).toBe(201);
    const { customerId } = await customerOf(ws.admin, 'G 公司');
    expectProblem(await createContract(ws.admin, { customerId, total: '0.01' }), 400, 'validation_failed');
    const c = await createContract(ws.admin, { customerId, total: '0.01', custom: { po_number: 'PO-7' } });
    expect(c.body.custom).toEqual({ po_number: 'PO-7' });
    await createContract(ws.admin, { customerId, total: '0.02', custom: { po_number: 'PO-8' } });
    expect((await ws.admin.get<Page>('/api/v1/contracts?cf.po_number=PO-7')).body.data.map((x) => x.id)).toEqual([c.body.id]);
  });

  it('global search finds contracts by number or name, within the view scope', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const seller = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const peer = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const [cs, cp] = await Promise.all([seller.client(), peer.client()]);
    const { customerId } = await customerOf(cs, 'H 公司');
    const c = (await createContract(cs, { customerId, name: '云服务框架协议', total: '0.01' })).body;
    const byName = await cs.get<{ contracts: Json[] }>(`/api/v1/search?q=${encodeURIComponent('框架协议')}`);
    expect(byName.body.contracts?.map((h) => h.id)).toEqual([c.id]);
    const byNumber = await cs.get<{ contracts: Json[] }>(`/api/v1/search?q=${encodeURIComponent(c.number)}`);
    expect(byNumber.body.contracts?.map((h) => h.number)).toEqual([c.number]);
    expect((await cp.get<{ contracts?: Json[] }>(`/api/v1/search?q=${encodeURIComponent('框架协议')}`)).body.contracts ?? []).toEqual([]);
    expect((await cs.delete(`/api/v1/contracts/${c.id}`)).status).toBe(204);
    expect((await cs.get<{ contracts?: Json[] }>(`/api/v1/search?q=${encodeURIComponent('框架协议')}`)).body.contracts ?? []).toEqual([]);
  });

  it('exports the scoped, filtered list as CSV with field rules', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, 'I 公司');
    await createContract(ws.admin, { customerId, name: '导出一', total: '1234.56', number: 'EX-1' });
    await createContract(ws.admin, { customerId, name: '导出二', total: '0.01', number: 'EX-2' });
    const created = await ws.admin.post<Json>('/api/v1/exports', { entity: 'contract', format: 'csv', filter: { 'total[gte]': '1.00' }, columns: ['number', 'name', 'total', 'status'] });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    await runJobsUntilIdle(t.deps);
    const download = await ws.admin.get(`/api/v1/exports/${String(created.body.id)}/download`);
    expect(download.status).toBe(200);
    const lines = download.raw.rawPayload.toString('utf8').slice(1).trim().split(/\r?\n/);
    expect(lines).toEqual(['Number,Contract name,Total,Status', 'EX-1,导出一,1234.56,draft']);
  });

  it('attachments: own uploads only, downloadable by whoever sees the contract', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const seller = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const cs = await seller.client();
    const { customerId } = await customerOf(cs, 'E 公司');
    const mine = await uploadFile(cs, '合同扫描件.pdf', 'PDF', 'application/pdf');
    const theirs = await uploadFile(ws.admin, 'admin.txt', 'x');
    expectProblem(await createContract(cs, { customerId, total: '0.01', fileIds: [theirs.body.id] }), 400, 'validation_failed');
    const c = await createContract(cs, { customerId, total: '0.01', fileIds: [mine.body.id] });
    expect(c.body.files).toEqual([{ id: mine.body.id, name: '合同扫描件.pdf', size: 3, mime: 'application/pdf' }]);
    const download = await ws.admin.get(`/api/v1/contracts/${c.body.id}/files/${mine.body.id}`);
    expect(download.status).toBe(200);
    expect(download.raw.body).toBe('PDF');
    expectProblem(await ws.admin.get(`/api/v1/contracts/${c.body.id}/files/${theirs.body.id}`), 404, 'not_found');
    const removed = await cs.patch<ContractJson>(`/api/v1/contracts/${c.body.id}`, { fileIds: [] });
    expect(removed.body.files).toEqual([]);
  });

  it('data scope by owner, field rules, permissions and other workspaces', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const manager = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales_manager ?? ''] });
    const seller = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''], managerId: manager.id });
    const peer = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const [cm, cs, cp] = await Promise.all([manager.client(), seller.client(), peer.client()]);
    const { customerId } = await customerOf(cs, 'F 公司');
    const c = (await createContract(cs, { customerId, total: '99.00' })).body;
    expect(c.ownerId).toBe(seller.id);

    expect((await cm.get(`/api/v1/contracts/${c.id}`)).status).toBe(200);
    expect((await cm.get<Page>('/api/v1/contracts')).body.data.map((x) => x.id)).toEqual([c.id]);
    expectProblem(await cp.get(`/api/v1/contracts/${c.id}`), 404, 'not_found');
    expect((await cp.get<Page>('/api/v1/contracts')).body.data).toEqual([]);
    expectProblem(await cp.patch(`/api/v1/contracts/${c.id}`, { name: 'x' }), 404, 'not_found');
    expectProblem(await cp.post(`/api/v1/contracts/${c.id}/submit`), 404, 'not_found');
    // A peer cannot attach a contract to a customer they cannot see.
    expect(((await createContract(cp, { customerId, total: '0.01' })).body as { errors?: { path: string }[] }).errors?.map((e) => e.path)).toEqual(['customerId']);
    // Creating for another owner needs that owner in the create scope.
    expectProblem(await createContract(cs, { customerId, total: '0.01', ownerId: peer.id }), 403, 'forbidden');

    for (const [method, path] of [
      ['GET', `/api/v1/contracts/${c.id}`],
      ['PATCH', `/api/v1/contracts/${c.id}`],
      ['DELETE', `/api/v1/contracts/${c.id}`],
      ['POST', `/api/v1/contracts/${c.id}/submit`],
      ['POST', `/api/v1/contracts/${c.id}/void`],
    ] as const) {
      const body = method === 'PATCH' ? { name: 'x' } : path.endsWith('void') ? { reason: 'x' } : undefined;
      expectProblem(await other.admin.request(method, path, body), 404, 'not_found');
    }

    const hidden = await createUserWithGrants(t.app, ws.admin, [{ entity: 'contract', action: 'view' }, { entity: 'customer', action: 'view' }], [{ entity: 'contract', field: 'total', access: 'hidden' }]);
    const seen = await hidden.session.get<ContractJson>(`/api/v1/contracts/${c.id}`);
    expect(seen.body.total).toBeUndefined();
    expect((await hidden.session.get<Page>('/api/v1/contracts')).body.data[0]?.total).toBeUndefined();
    expectProblem(await hidden.session.get('/api/v1/contracts?sort=-total'), 400, 'unknown_filter');
    expectProblem(await createContract(hidden.session, { customerId, total: '0.01' }), 403, 'forbidden');
    const readOnly = await createUserWithGrants(t.app, ws.admin, [{ entity: 'contract', action: 'view' }, { entity: 'contract', action: 'edit' }, { entity: 'contract', action: 'create' }, { entity: 'customer', action: 'view' }], [{ entity: 'contract', field: 'total', access: 'read' }]);
    expectProblem(await readOnly.session.patch(`/api/v1/contracts/${c.id}`, { total: '0.05' }), 403, 'field_forbidden');
    expect((await readOnly.session.patch(`/api/v1/contracts/${c.id}`, { name: '只改名' })).status).toBe(200);
  });
});
