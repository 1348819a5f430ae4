import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { expectProblem } from '../../testing/expect-problem';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type Json, type Response, type TestApp } from '../../testing/test-app';
import { csvText, uploadImport } from '../imports/imports.fixtures';

type Problem = { code: string; title: string; errors: { path: string; message: string }[] };

/** How to create one record of each entity that takes custom fields, and where it lives. */
interface EntityCase {
  entity: string;
  collection: string;
  body: (ws: TestWorkspace, customerId: string) => Json;
}

const entities: EntityCase[] = [
  { entity: 'customer', collection: 'customers', body: () => ({ name: `Unique Co ${Math.random()}` }) },
  { entity: 'contact', collection: 'contacts', body: (_ws, customerId) => ({ customerId, name: 'Unique contact' }) },
  { entity: 'lead', collection: 'leads', body: () => ({ name: 'Unique lead' }) },
  { entity: 'deal', collection: 'deals', body: (_ws, customerId) => ({ name: 'Unique deal', customerId }) },
  { entity: 'product', collection: 'products', body: () => ({ name: `Unique product ${Math.random()}` }) },
  { entity: 'contract', collection: 'contracts', body: (_ws, customerId) => ({ name: 'Unique contract', customerId, total: '100.00' }) },
];

function expectClash(res: Response<Json>, noun: string): void {
  expectProblem(res, 409, 'conflict');
  expect((res.body as unknown as Problem).errors).toEqual([{ path: 'cf.ref_no', message: `already used by another ${noun}` }]);
}

describe('unique custom fields', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(entities)('answers 409 conflict naming cf.<key> when a $entity takes a unique value another one holds', async ({ entity, collection, body }) => {
    const ws = await createWorkspaceWithAdmin(t);
    const customerId = String((await ws.admin.post('/api/v1/customers', { name: `Owner of ${entity}` })).body.id);
    expect((await ws.admin.post(`/api/v1/custom-fields/${entity}`, { key: 'ref_no', label: 'Ref', type: 'text', unique: true })).status).toBe(201);
    const create = (custom: Json) => ws.admin.post(`/api/v1/${collection}`, { ...body(ws, customerId), custom });

    const first = await create({ ref_no: 'R-1' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // Before: 400 validation_failed with the path custom.ref_no.
    expectClash(await create({ ref_no: 'R-1' }), entity);
    // Invalid input is still a 400 first, the clash is reported once the rest is right.
    const invalid = await create({ ref_no: 'R-1', nope: 'x' });
    expectProblem(invalid, 400, 'validation_failed');
    expect((invalid.body as unknown as Problem).errors.map((e) => e.path)).toEqual(['custom.nope']);

    const second = await create({ ref_no: 'R-2' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const secondUrl = `/api/v1/${collection}/${String(second.body.id)}`;
    expectClash(await ws.admin.patch(secondUrl, { custom: { ref_no: 'R-1' } }), entity);
    expect(((await ws.admin.get(secondUrl)).body.custom as Json).ref_no).toBe('R-2');
    // A record keeps its own value without clashing with itself.
    expect((await ws.admin.patch(`/api/v1/${collection}/${String(first.body.id)}`, { custom: { ref_no: 'R-1' } })).status).toBe(200);
  });

  it.each(entities)('lets only one of several $entity writes sent at once take the same unique value', async ({ entity, collection, body }) => {
    const ws = await createWorkspaceWithAdmin(t);
    const customerId = String((await ws.admin.post('/api/v1/customers', { name: `Owner of ${entity}` })).body.id);
    expect((await ws.admin.post(`/api/v1/custom-fields/${entity}`, { key: 'ref_no', label: 'Ref', type: 'text', unique: true })).status).toBe(201);
    // A double submit, or two users at once: every request passes the check made before its
    // transaction; the value is claimed again inside it, so one wins and the others are told.
    const creates = await Promise.all(Array.from({ length: 4 }, () => ws.admin.post(`/api/v1/${collection}`, { ...body(ws, customerId), custom: { ref_no: 'SAME' } })));
    expect(creates.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const res of creates.filter((r) => r.status === 409)) {
      expectClash(res, entity);
    }
    const others = await Promise.all(Array.from({ length: 3 }, () => ws.admin.post(`/api/v1/${collection}`, { ...body(ws, customerId), custom: { ref_no: `OWN-${Math.random()}` } })));
    const edits = await Promise.all(others.map((r) => ws.admin.patch(`/api/v1/${collection}/${String(r.body.id)}`, { custom: { ref_no: 'EDITED' } })));
    expect(edits.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const listed = await ws.admin.get<{ data: Json[] }>(`/api/v1/${collection}?limit=100`);
    const values = listed.body.data.map((r) => (r.custom as Json | undefined)?.ref_no).filter((v) => v === 'SAME' || v === 'EDITED');
    expect(values.sort()).toEqual(['EDITED', 'SAME']);
  });

  it('says it in the reader\'s language, and the import still reports the clash as a row error', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    expect((await ws.admin.post('/api/v1/custom-fields/customer', { key: 'ref_no', label: '编号', type: 'text', unique: true })).status).toBe(201);
    expect((await ws.admin.post('/api/v1/customers', { name: 'Holder', custom: { ref_no: 'R-1' } })).status).toBe(201);

    const uploaded = await uploadImport<{ id: string }>(ws.admin, 'clash.csv', Buffer.from(csvText([['name', 'ref'], ['Clashing Co', 'R-1'], ['Fine Co', 'R-9']]), 'utf8'));
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const mapping = { '0': 'name', '1': 'cf.ref_no' };
    const preview = await ws.admin.post<{ rows: { rowNumber: number; action: string; errors: { field: string; message: string }[] }[] }>(`/api/v1/imports/${uploaded.body.id}/preview`, {
      mapping,
      duplicateMode: 'skip',
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rows.map((r) => [r.rowNumber, r.action, r.errors])).toEqual([
      [2, 'fail', [{ field: 'cf.ref_no', message: 'already used by another customer' }]],
      [3, 'create', []],
    ]);
    expect((await ws.admin.post(`/api/v1/imports/${uploaded.body.id}/start`, { mapping, duplicateMode: 'skip' })).status).toBe(202);
    await runJobsUntilIdle(t.deps);
    expect((await ws.admin.get(`/api/v1/imports/${uploaded.body.id}`)).body).toMatchObject({ status: 'done', created: 1, failed: 1 });

    expect((await ws.admin.patch('/api/v1/auth/me', { locale: 'zh-CN' })).status).toBe(200);
    const zh = await ws.admin.post('/api/v1/customers', { name: 'Second holder', custom: { ref_no: 'R-1' } });
    expectProblem(zh, 409, 'conflict');
    expect(zh.body).toMatchObject({ title: '数据冲突', errors: [{ path: 'cf.ref_no', message: '已被另一个客户使用' }] });
  });

  it('refuses to make a field unique while records share a value, and names some of them', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const field = await ws.admin.post<Json>('/api/v1/custom-fields/customer', { key: 'tax_no', label: '税号', type: 'text' });
    expect(field.status).toBe(201);
    const ids: string[] = [];
    for (const value of ['T-1', 'T-1', 'T-1', 'T-2', 'T-2', 'T-3']) {
      const res = await ws.admin.post<Json>('/api/v1/customers', { name: `Tax ${ids.length}`, custom: { tax_no: value } });
      expect(res.status).toBe(201);
      ids.push(String(res.body.id));
    }
    const url = `/api/v1/custom-fields/customer/${String(field.body.id)}`;
    const refused = await ws.admin.patch(url, { unique: true });
    expectProblem(refused, 409, 'conflict');
    expect((refused.body as unknown as Problem).errors).toEqual([{ path: 'unique', message: 'records already share values of this field, e.g. "T-1" ×3, "T-2" ×2: make them unique first' }]);
    expect((await ws.admin.get<{ data: Json[] }>('/api/v1/custom-fields/customer')).body.data.find((f) => f.key === 'tax_no')?.unique).toBe(false);
    // A record in the recycle bin holds nothing; fix the rest and the field becomes unique.
    expect((await ws.admin.delete(`/api/v1/customers/${ids[0] ?? ''}`)).status).toBe(204);
    expect((await ws.admin.patch(`/api/v1/customers/${ids[1] ?? ''}`, { custom: { tax_no: 'T-4' } })).status).toBe(200);
    expect((await ws.admin.patch('/api/v1/auth/me', { locale: 'zh-CN' })).status).toBe(200);
    const zh = await ws.admin.patch(url, { unique: true });
    expect((zh.body as unknown as Problem).errors).toEqual([{ path: 'unique', message: '已有记录共用此字段的值，例如 "T-2" ×2：请先让这些值各不相同' }]);
    expect((await ws.admin.patch(`/api/v1/customers/${ids[4] ?? ''}`, { custom: { tax_no: 'T-5' } })).status).toBe(200);
    const made = await ws.admin.patch<Json>(url, { unique: true });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body.unique).toBe(true);
    expectProblem(await ws.admin.post('/api/v1/customers', { name: 'Late', custom: { tax_no: 'T-3' } }), 409, 'conflict');
  });
});
