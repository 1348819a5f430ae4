import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDepartment, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../testing/factories';
import {
  fillParams,
  hasBody,
  isApiRoute,
  problemDefect,
  type RawRequest,
  routeKey,
  sampleBodies,
  fillRouteParams,
  isIdRoute,
  send,
  type WalkRoute,
  walkRoutes,
} from '../testing/route-walk';
import { createTestApp, type Json, type TestApp, testPassword, uniqueEmail } from '../testing/test-app';
import { insertFileRow } from '../modules/files/files.testing';
import { uploadImport } from '../modules/imports/imports.fixtures';
import { insertContract } from '../modules/payments/payments.testing';

const sqlFragment = "'; DROP TABLE users;--";
const scriptFragment = '<script>alert(1)</script>';
const chinese = '张三的客户😀';
const long = 'x'.repeat(100_000);

/** Values that are wrong (or merely hostile) for any field. */
const hostileValues: [string, unknown][] = [
  ['number', 12345],
  ['negative number', -1],
  ['fraction', 1.5],
  ['huge number', 1e308],
  ['boolean', true],
  ['object', { nested: { deeper: 1 } }],
  ['array', [1, 'two', null]],
  ['null', null],
  ['empty string', ''],
  ['blank string', '   '],
  ['100k string', long],
  ['SQL fragment', sqlFragment],
  ['script fragment', scriptFragment],
  ['Chinese and emoji', chinese],
  ['NUL character', 'a\u0000b'],
  ['lone surrogate', 'a\ud800b'],
  ['control characters', '\u0007\u001b[31mred'],
  ['array of objects', [{ entity: sqlFragment, action: 'view', scope: 'all', field: scriptFragment, access: 'edit' }]],
];

function deeplyNested(depth: number): string {
  return `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** Every request we throw at a route with a body: per-field hostile values, then whole-body abuse. */
function malformedRequests(route: WalkRoute, url: string, sample: Json): RawRequest[] {
  const method = route.method;
  const shape = (route.options.schema?.body as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
  const fields = [...new Set([...Object.keys(shape), ...Object.keys(sample)])];
  const json = (value: unknown): RawRequest => ({ method, url, json: value });
  const raw = (body: string | Buffer, contentType: string): RawRequest => ({ method, url, raw: body, headers: { 'content-type': contentType } });
  const everyField = (value: unknown) => json(Object.fromEntries(fields.map((f) => [f, value])));
  return [
    ...fields.flatMap((field) => hostileValues.map(([, value]) => json({ ...sample, [field]: value }))),
    everyField(sqlFragment),
    everyField(scriptFragment),
    everyField(chinese),
    everyField(null),
    everyField('a\u0000b'),
    json({ ...sample, isAdmin: true, workspaceId: '00000000-0000-7000-8000-000000000000', __unknown: 1 }),
    json([sample]),
    json([]),
    json('just a string'),
    json(42),
    json(true),
    json(null),
    json({}),
    raw('', 'application/json'),
    raw('{"name": ', 'application/json'),
    raw("{'name': 'single quotes'}", 'application/json'),
    raw('{"name":"x","name":"duplicate key"}', 'application/json'),
    raw('{"name":"x","__proto__":{"isAdmin":true}}', 'application/json'),
    raw('{"name":"x","constructor":{"prototype":{"isAdmin":true}}}', 'application/json'),
    raw(deeplyNested(100_000), 'application/json'),
    raw(`\uFEFF${JSON.stringify(sample)}`, 'application/json'),
    raw(JSON.stringify(sample), 'application/json; charset=utf-16'),
    raw(Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0xc3, 0x28, 0x7d]), 'application/json'),
    raw('hello', 'text/plain'),
    raw('name=x&email=y', 'application/x-www-form-urlencoded'),
    raw('<user><name>x</name></user>', 'application/xml'),
    raw('--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--', 'multipart/form-data; boundary=b'),
    raw(JSON.stringify(sample), 'application/vnd.evil+json'),
    raw(JSON.stringify({ ...sample, padding: 'y'.repeat(2 * 1024 * 1024) }), 'application/json'),
    { method, url, raw: 'x'.repeat(10) },
  ];
}

/** Never 5xx; a 4xx is a problem document with a code; a success is JSON (or empty). */
function answerDefect(res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) {
    return `answered ${res.statusCode}: ${res.body.slice(0, 300)}`;
  }
  if (res.statusCode >= 400) {
    return problemDefect(res);
  }
  const type = String(res.headers['content-type'] ?? '');
  if (res.body !== '' && !type.startsWith('application/json')) {
    return `success with content-type ${type}`;
  }
  return null;
}

function describeRequest(request: RawRequest): string {
  const body = request.raw !== undefined ? String(request.raw) : JSON.stringify(request.json);
  return `${request.headers?.['content-type'] ?? ''} ${body.slice(0, 80)}`;
}

describe('malformed input never causes a server error', () => {
  let t: TestApp;
  let w: TestWorkspace;
  const ids: Record<string, string> = {};
  let routes: WalkRoute[];

  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorkspaceWithAdmin(t);
    const department = await createDepartment(w.admin, 'Target department');
    const user = await createUser(t.app, w.admin, { name: 'Target user', departmentId: department });
    const role = await w.admin.post<Json>('/api/v1/roles', { name: 'Target role', permissions: [], fieldRules: [] });
    const key = await w.admin.post<Json>('/api/v1/api-keys', { name: 'Target key', roleId: w.roles.admin });
    const customer = await w.admin.post<Json>('/api/v1/customers', { name: 'Target customer' });
    const tag = await w.admin.post<Json>('/api/v1/tags', { name: 'Target tag' });
    const field = await w.admin.post<Json>('/api/v1/custom-fields/customer', { key: 'target', label: 'Target', type: 'text' });
    const view = await w.admin.post<Json>('/api/v1/saved-views', { entity: 'customer', name: 'Target view', definition: { filters: {}, columns: [] } });
    Object.assign(ids, {
      users: user.id,
      departments: department,
      roles: String(role.body.id),
      'api-keys': String(key.body.id),
      customers: String(customer.body.id),
      tags: String(tag.body.id),
      'custom-fields': String(field.body.id),
      'saved-views': String(view.body.id),
    });
    const contact = await w.admin.post<Json>('/api/v1/contacts', { customerId: ids.customers, name: 'Target contact' });
    const followUp = await w.admin.post<Json>('/api/v1/follow-ups', { entity: 'customer', recordId: ids.customers, type: 'call', content: 'Target follow-up' });
    Object.assign(ids, { contacts: String(contact.body.id), 'follow-ups': String(followUp.body.id), files: await insertFileRow(t.deps, w.workspaceId, w.adminId) });
    const upload = await uploadImport<Json>(w.admin, 'target.csv', Buffer.from('name,phone\nTarget import,13800000000\n'));
    const exported = await w.admin.post<Json>('/api/v1/exports', { entity: 'customer', format: 'csv', filter: {} });
    Object.assign(ids, { imports: String(upload.body.id), exports: String(exported.body.id) });
    const lead = await w.admin.post<Json>('/api/v1/leads', { name: 'Target lead' });
    Object.assign(ids, { leads: String(lead.body.id) });
    const deal = await w.admin.post<Json>('/api/v1/deals', { name: 'Target deal', customerId: ids.customers });
    const product = await w.admin.post<Json>('/api/v1/products', { name: 'Target product', price: '1.00' });
    const category = await w.admin.post<Json>('/api/v1/product-categories', { name: 'Target category' });
    Object.assign(ids, { deals: String(deal.body.id), pipelines: String(deal.body.pipelineId), products: String(product.body.id), 'product-categories': String(category.body.id) });
    const contract = await insertContract(t, { workspaceId: w.workspaceId, customerId: ids.customers ?? '', ownerId: w.adminId, totalCents: 100_000 });
    const plan = await w.admin.post<Json>('/api/v1/payment-plans', { contractId: contract, amount: '100', dueDate: '2030-01-01' });
    const payment = await w.admin.post<Json>('/api/v1/payments', { contractId: contract, amount: '10', paidOn: '2026-01-01', method: 'cash' });
    Object.assign(ids, { contracts: ids.contracts ?? contract, 'payment-plans': String(plan.body.id), payments: String(payment.body.id) });
    const pool = await w.admin.post<Json>('/api/v1/pools', { name: 'Target pool', allUsers: true });
    const limits = await w.admin.request<{ data: Json[] }>('PUT', '/api/v1/ownership-limits', { subjectType: 'user', subjectId: ids.users, maxOwned: 10, maxLocked: 1 });
    Object.assign(ids, { pools: String(pool.body.id), 'ownership-limits': String(limits.body.data[0]?.id) });
    routes = walkRoutes(t.app).filter(isApiRoute);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers every malformed body on every route with a body with 4xx problem+json (or a success when it is valid)', async () => {
    const bodyRoutes = routes.filter(hasBody);
    expect(bodyRoutes.length).toBeGreaterThanOrEqual(12);
    const defects: string[] = [];
    let sent = 0;
    for (const route of bodyRoutes) {
      const sample = sampleBodies({ roleId: w.roles.sales ?? '', uniqueEmail, password: testPassword, userId: ids.users ?? '', customerId: ids.customers ?? '' })[routeKey(route)];
      if (!sample) {
        defects.push(`${routeKey(route)}: no sample body in route-walk.ts`);
        continue;
      }
      const url = fillRouteParams(route.url, ids);
      for (const request of malformedRequests(route, url, sample)) {
        const defect = answerDefect(await send(t.app, w.admin, request));
        sent += 1;
        if (defect) {
          defects.push(`${routeKey(route)} [${describeRequest(request)}]: ${defect}`);
        }
      }
    }
    expect(defects).toEqual([]);
    expect(sent).toBeGreaterThan(bodyRoutes.length * 30);
    // The admin's session survived all of it.
    expect((await w.admin.get('/api/v1/auth/me')).status).toBe(200);
    // Thousands of requests, more with every module: on PostgreSQL this outgrows the 30 s default.
  }, 180_000);

  it('answers hostile query strings on every list route with 4xx problem+json or a page', async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const hostileQueries = [
      'q=%00',
      'q=%ff%fe',
      'q=%ed%a0%80',
      `q=${encodeURIComponent(sqlFragment)}`,
      `q=${encodeURIComponent(scriptFragment)}`,
      `q=${encodeURIComponent(chinese)}`,
      `q=${'y'.repeat(5000)}`,
      'q=a&q=b',
      'q[gte]=a',
      'status=deleted',
      'action=%00',
      `userId=${encodeURIComponent(sqlFragment)}`,
      'departmentId=not-an-id',
      'from=yesterday',
      'from=2026-02-30T00:00:00Z',
      'to=9999-99-99',
      'limit=-1',
      'limit=0',
      'limit=201',
      'limit=abc',
      'limit=1e3',
      'limit=1&limit=2',
      'unknownFilter=1',
      'cursor=%00',
      'cursor=!!!',
      `cursor=${cursor('not an object')}`,
      `cursor=${cursor({ createdAt: 1, id: 2 })}`,
      `cursor=${cursor({ createdAt: 'garbage', id: 'x' })}`,
      `cursor=${cursor({ createdAt: `2026-01-01' OR '1'='1`, id: sqlFragment })}`,
      `cursor=${cursor({ createdAt: '2026-01-01T00:00:00.000Z', id: '\u0000' })}`,
      `cursor=${'A'.repeat(3000)}`,
    ];
    const listRoutes = routes.filter((r) => r.method === 'GET' && !r.url.includes(':') && r.options.schema?.querystring !== undefined);
    expect(listRoutes.length).toBeGreaterThanOrEqual(2);
    const defects: string[] = [];
    for (const route of listRoutes) {
      for (const query of hostileQueries) {
        const defect = answerDefect(await send(t.app, w.admin, { method: 'GET', url: `${route.url}?${query}` }));
        if (defect) {
          defects.push(`GET ${route.url}?${query.slice(0, 80)}: ${defect}`);
        }
      }
    }
    expect(defects).toEqual([]);
  });

  it('answers hostile :id values on every :id route with 4xx problem+json', async () => {
    const badIds = ['not-an-id', encodeURIComponent(sqlFragment), '%00', '%ff', 'A'.repeat(300), ids.users?.toUpperCase() ?? '', `${ids.users ?? ''}%20`, '..%2f..%2fetc%2fpasswd'];
    const defects: string[] = [];
    for (const route of routes.filter(isIdRoute)) {
      const sample = sampleBodies({ roleId: w.roles.sales ?? '', uniqueEmail, password: testPassword, userId: ids.users ?? '', customerId: ids.customers ?? '' })[routeKey(route)];
      for (const bad of badIds) {
        const url = fillParams(route.url, (param) => (param === 'id' ? bad : param === 'entity' ? 'customer' : bad));
        const res = await send(t.app, w.admin, { method: route.method, url, ...(hasBody(route) ? { json: sample } : {}) });
        const defect = res.statusCode < 400 ? `accepted with ${res.statusCode}` : answerDefect(res);
        if (defect) {
          defects.push(`${route.method} ${url.slice(0, 80)}: ${defect}`);
        }
      }
    }
    expect(defects).toEqual([]);
  });
});
