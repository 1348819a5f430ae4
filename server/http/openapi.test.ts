import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceWithAdmin } from '../testing/factories';
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
});
