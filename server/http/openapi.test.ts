import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorCatalog } from '../../common/error-codes';
import { createWorkspaceWithAdmin } from '../testing/factories';
import { isApiRoute, routeKey, walkRoutes } from '../testing/route-walk';
import { anonymous, Client, createTestApp, type Json, type TestApp } from '../testing/test-app';
import { customLocations } from './openapi-custom-fields';

type Schema = Json & { properties?: Record<string, Schema>; required?: string[]; anyOf?: Schema[]; items?: Schema };
interface Doc {
  paths: Record<string, Record<string, Json>>;
}

function body(doc: Doc, path: string, method: string): Schema {
  const op = doc.paths[path]?.[method] as { requestBody: { content: { 'application/json': { schema: Schema } } } };
  return op.requestBody.content['application/json'].schema;
}

function response(doc: Doc, path: string, method: string, status: string): Schema {
  const op = doc.paths[path]?.[method] as { responses: Record<string, { content: { 'application/json': { schema: Schema } } }> };
  const schema = op.responses[status]?.content['application/json'].schema;
  if (!schema) {
    throw new Error(`no ${status} schema for ${method} ${path}`);
  }
  return schema;
}

interface Operation {
  description?: string;
  parameters?: { in: string; name: string }[];
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema & { $ref?: string } }> }>;
}

/** The OpenAPI path of a Fastify route (`/customers/:id` → `/customers/{id}`). */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/** Whether a querystring schema takes keys it does not declare: a list's filters (parse-list.ts). */
function takesFilters(querystring: unknown): boolean {
  if (querystring instanceof z.ZodRecord) {
    return true;
  }
  const catchall = querystring instanceof z.ZodObject ? querystring._zod.def.catchall : undefined;
  return catchall !== undefined && !(catchall instanceof z.ZodNever);
}

const custom = (schema: Schema): Schema => schema.properties?.custom ?? {};
const nonNull = (field: Schema | undefined): Schema => field?.anyOf?.[0] ?? field ?? {};

describe('OpenAPI document with the workspace custom fields', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('describes a workspace its own custom fields, anonymous callers the generic document, and follows changes', async () => {
    const a = await createWorkspaceWithAdmin(t, 'A Co');
    const b = await createWorkspaceWithAdmin(t, 'B Co');
    const tier = await a.admin.post<Json>('/api/v1/custom-fields/customer', {
      key: 'tier',
      label: '客户等级',
      type: 'singleSelect',
      required: true,
      options: [
        { value: 'gold', label: '金牌' },
        { value: 'silver', label: '银牌' },
      ],
    });
    expect(tier.status).toBe(201);
    expect((await a.admin.post('/api/v1/custom-fields/product', { key: 'warranty_months', label: 'Warranty (months)', type: 'number' })).status).toBe(201);
    expect((await b.admin.post('/api/v1/custom-fields/customer', { key: 'b_secret', label: 'Only B', type: 'text' })).status).toBe(201);

    const docA = (await a.admin.get<Doc & Json>('/api/v1/openapi.json')).body;
    // Create: typed, enum, label as description, required carried to the body.
    const create = body(docA, '/api/v1/customers', 'post');
    expect(nonNull(custom(create).properties?.tier)).toMatchObject({ type: 'string', enum: ['gold', 'silver'] });
    expect(custom(create).properties?.tier).toMatchObject({ 'x-custom-field-type': 'singleSelect' });
    expect(String(custom(create).properties?.tier?.description)).toContain('客户等级');
    expect(custom(create).required).toEqual(['tier']);
    expect(create.required).toContain('custom');
    expect(custom(create).additionalProperties).toBe(false);
    // Update: partial, nothing required.
    const update = body(docA, '/api/v1/customers/{id}', 'patch');
    expect(Object.keys(custom(update).properties ?? {})).toEqual(['tier']);
    expect(custom(update).required).toBeUndefined();
    // Responses: one record, and list items.
    expect(nonNull(custom(response(docA, '/api/v1/customers/{id}', 'get', '200')).properties?.tier)).toMatchObject({ enum: ['gold', 'silver'] });
    const listItem = response(docA, '/api/v1/customers', 'get', '200').properties?.data?.items ?? {};
    expect(Object.keys(custom(listItem).properties ?? {})).toEqual(['tier']);
    // Each entity gets its own fields: products the number, contacts none.
    expect(nonNull(custom(body(docA, '/api/v1/products', 'post')).properties?.warranty_months)).toEqual({ type: 'number' });
    expect(custom(body(docA, '/api/v1/contacts', 'post')).properties).toEqual({});
    // Another workspace's fields never appear.
    expect(JSON.stringify(docA)).not.toContain('b_secret');
    const docB = (await b.admin.get<Doc & Json>('/api/v1/openapi.json')).body;
    expect(Object.keys(custom(body(docB, '/api/v1/customers', 'post')).properties ?? {})).toEqual(['b_secret']);
    expect(JSON.stringify(docB)).not.toContain('warranty_months');

    // Anonymous: the generic document, no workspace's fields.
    const generic = await anonymous(t.app).get<Doc & Json>('/api/v1/openapi.json');
    expect(generic.status).toBe(200);
    expect(JSON.stringify(generic.body)).not.toContain('"tier"');
    expect(custom(body(generic.body, '/api/v1/customers', 'post')).properties).toBeUndefined();

    // An API key of workspace A sees A's fields.
    const key = await a.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'Docs', roleId: a.roles.sales });
    const bearer = new Client(t.app, { bearer: key.body.secret });
    const viaKey = await bearer.get<Doc & Json>('/api/v1/openapi.json');
    expect(viaKey.headers['cache-control']).toContain('no-store');
    expect(nonNull(custom(body(viaKey.body, '/api/v1/customers', 'post')).properties?.tier)).toMatchObject({ enum: ['gold', 'silver'] });

    // The docs page reads its own copy (/api/docs/json): the same for a signed-in caller, generic for others.
    const page = await a.admin.get<Doc & Json>('/api/docs/json');
    expect(page.status).toBe(200);
    expect(nonNull(custom(body(page.body, '/api/v1/customers', 'post')).properties?.tier)).toMatchObject({ enum: ['gold', 'silver'] });
    expect(JSON.stringify((await anonymous(t.app).get<Json>('/api/docs/json')).body)).not.toContain('"tier"');

    // A changed option list and a deleted field show at once (the cache follows the definitions).
    const tierId = String(tier.body.id);
    expect(
      (await a.admin.patch(`/api/v1/custom-fields/customer/${tierId}`, { options: [{ value: 'gold', label: '金牌' }, { value: 'vip', label: 'VIP' }] })).status,
    ).toBe(200);
    const changed = (await a.admin.get<Doc & Json>('/api/v1/openapi.json')).body;
    expect(nonNull(custom(body(changed, '/api/v1/customers', 'post')).properties?.tier)).toMatchObject({ enum: ['gold', 'vip'] });
    expect((await a.admin.delete(`/api/v1/custom-fields/customer/${tierId}`)).status).toBe(204);
    const after = (await a.admin.get<Doc & Json>('/api/v1/openapi.json')).body;
    expect(custom(body(after, '/api/v1/customers', 'post')).properties).toEqual({});
    expect(body(after, '/api/v1/customers', 'post').required ?? []).not.toContain('custom');
    expect(nonNull(custom(body(after, '/api/v1/products', 'post')).properties?.warranty_months)).toEqual({ type: 'number' });
  });

  it('finds the entity of every custom object in the document', async () => {
    const generic = await anonymous(t.app).get<Json>('/api/v1/openapi.json');
    const { locations, unknown } = customLocations(generic.body);
    expect(unknown).toEqual([]);
    const where = (path: string, method: string) => locations.filter((l) => l.path === path && l.method === method).map((l) => `${l.entity}:${l.mode}`);
    expect(where('/api/v1/customers/{id}/contacts', 'get')).toEqual(['contact:response']);
    expect(where('/api/v1/customers/{id}/overview', 'get').sort()).toEqual(['contact:response', 'customer:response']);
    expect(where('/api/v1/deals/{id}', 'patch').sort()).toEqual(['deal:response', 'deal:update']);
    expect(new Set(locations.map((l) => l.entity))).toEqual(new Set(['customer', 'contact', 'lead', 'deal', 'contract', 'product']));
  });

  it('documents every error as application/problem+json (one Problem schema), and the headers and list grammar where routes take them', async () => {
    const res = await anonymous(t.app).get<Json>('/api/v1/openapi.json');
    const doc = res.body as unknown as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema & { required?: string[] }> } };

    // The Problem component is the body problem.ts sends, with every stable code.
    const problem = doc.components.schemas.Problem;
    expect(Object.keys(problem?.properties ?? {})).toEqual(['type', 'title', 'status', 'code', 'detail', 'errors']);
    expect(problem?.required).toEqual(['type', 'title', 'status', 'code']);
    expect(problem?.properties?.code?.enum).toEqual(Object.keys(errorCatalog));
    expect(problem?.properties?.errors?.items).toMatchObject({ required: ['path', 'message'] });
    const sent = await anonymous(t.app).get<Json>('/api/v1/users');
    expect(String(sent.headers['content-type'])).toContain('application/problem+json');
    expect(Object.keys(sent.body).every((key) => key in (problem?.properties ?? {}))).toBe(true);

    // Every 4xx and 5xx answer of every operation (500 on all): application/problem+json, the shared schema, its codes named.
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ key: `${method} ${path}`, op })));
    expect(operations.length).toBeGreaterThan(150);
    for (const { key, op } of operations) {
      const errorStatuses = Object.keys(op.responses).filter((status) => status.startsWith('4') || status.startsWith('5'));
      expect(errorStatuses, key).toContain('400');
      expect(errorStatuses, key).toContain('500');
      for (const status of errorStatuses) {
        const answer = op.responses[status];
        expect(Object.keys(answer?.content ?? {}), `${key} ${status}`).toEqual(['application/problem+json']);
        expect(answer?.content?.['application/problem+json']?.schema, `${key} ${status}`).toEqual({ $ref: '#/components/schemas/Problem' });
        const codes = Object.entries(errorCatalog).filter(([, entry]) => String(entry.status) === status);
        expect(codes.every(([code]) => answer?.description.includes(`\`${code}\``)), `${key} ${status}`).toBe(true);
      }
    }

    expect(doc.paths['/api/v1/health']?.get?.responses['503']?.description).toContain('`unavailable`');

    // Each route against its operation: the headers it honours and the grammar of its filters.
    const grammarOps: string[] = [];
    const ifMatchUndeclared: string[] = [];
    for (const route of walkRoutes(t.app).filter((r) => isApiRoute(r) && r.method !== 'HEAD')) {
      const schema = route.options.schema;
      if (schema?.hide) {
        continue;
      }
      const key = routeKey(route);
      const op = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      expect(op, key).toBeDefined();
      const headers = (op?.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
      // Idempotency-Key: idempotency.ts keeps the answers of signed-in writes unless a route opts out.
      const keepsAnswers = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) && route.access !== undefined && !('public' in route.access) && route.options.config?.idempotent !== false;
      expect(headers.includes('Idempotency-Key'), key).toBe(keepsAnswers);
      // If-Match: a handler that reads it (expectedVersion) declares config.ifMatch, which documents the header and its 412.
      // (Read from the handler's source: the one way to notice a route that forgot to say so.)
      const readsIfMatch = /\bexpectedVersion\b/.test(String(route.options.handler));
      if (readsIfMatch !== (route.options.config?.ifMatch === true)) {
        ifMatchUndeclared.push(key);
      }
      expect(headers.includes('If-Match'), key).toBe(route.options.config?.ifMatch === true);
      if (readsIfMatch) {
        expect(op?.responses['412']?.description, key).toContain('If-Match');
      }
      // A querystring that takes undeclared keys is a filter grammar: described, with its own parameters typed.
      if (takesFilters(schema?.querystring)) {
        grammarOps.push(key);
        expect(op?.description, key).toContain('**List query**');
        expect(op?.description, key).toContain('`field[op]=value`');
        const query = (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        expect(query, key).toEqual(expect.arrayContaining(['limit', 'cursor', 'sort', 'q', 'count']));
      } else {
        expect(op?.description ?? '', key).not.toContain('**List query**');
      }
    }
    expect(ifMatchUndeclared, 'a handler that reads If-Match (expectedVersion) needs config.ifMatch: true, and only such a handler has it').toEqual([]);
    expect(grammarOps.sort()).toEqual(['GET /api/v1/contacts', 'GET /api/v1/contracts', 'GET /api/v1/customers', 'GET /api/v1/deals', 'GET /api/v1/follow-ups', 'GET /api/v1/leads', 'GET /api/v1/products']);

    // The signed-in caller's document (with their custom fields) says the same.
    const ws = await createWorkspaceWithAdmin(t);
    const personal = (await ws.admin.get<Json>('/api/v1/openapi.json')).body as unknown as { paths: Record<string, Record<string, Operation>> };
    expect(personal.paths['/api/v1/customers/{id}']?.patch?.responses['412']?.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
  });
});
