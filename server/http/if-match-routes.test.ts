import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids';
import { insertContract } from '../modules/payments/payments.testing';
import { createDepartment, createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../testing/factories';
import { isApiRoute, problemDefect, routeKey, sampleBodies, send, type WalkRoute, walkRoutes } from '../testing/route-walk';
import { createTestApp, type Json, type TestApp, testPassword, uniqueEmail } from '../testing/test-app';

/**
 * PATCH routes that do not honour `If-Match`, each with the reason. Keep it short: a record a
 * client edits carries a `version` (docs/api.md "Writes"). None today — every PATCH edits a record
 * that has one. (POST /auth/password is no PATCH and takes no If-Match on purpose: it proves the
 * current password instead of editing fields a form showed, so there is no stale copy to protect.)
 */
const exemptPatchRoutes: Readonly<Record<string, string>> = {};

/** The record's version in an answer: the record itself, or `{user}` for PATCH /auth/me. */
function versionOf(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const record = body as { version?: unknown; user?: { version?: unknown } };
  const version = record.version ?? record.user?.version;
  return typeof version === 'number' ? version : undefined;
}

/** The same URL with the route's last `:param` (the record edited) replaced by an id that exists nowhere. */
function missingRecordUrl(route: WalkRoute, url: string): string | null {
  const template = route.url.split('/');
  const index = template.findLastIndex((part) => part.startsWith(':'));
  if (index < 0) {
    return null;
  }
  const parts = url.split('/');
  parts[index] = newId();
  return parts.join('/');
}

/**
 * Optimistic concurrency on every registered PATCH route. A route declares `config.ifMatch: true`
 * (the OpenAPI document names the If-Match header from it), and the declaration is held to
 * behaviour: each route edits a real record of this workspace and must answer 412
 * `version_mismatch` to a stale `If-Match`, apply a current one and bump the version it answers,
 * and 404 (not 412) for a record that does not exist. A new PATCH route fails here until it does —
 * or until it is in exemptPatchRoutes with its reason (and then must not declare it).
 */
describe('If-Match on every PATCH route', () => {
  let t: TestApp;
  let w: TestWorkspace;
  let patchRoutes: WalkRoute[];
  /** Route key → the URL of a record of this workspace it may edit. */
  const targets: Record<string, string> = {};

  const created = async (path: string, body: Json): Promise<string> => {
    const res = await w.admin.post<Json>(`/api/v1${path}`, body);
    if (res.status !== 201 || typeof res.body.id !== 'string') {
      throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body.id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorkspaceWithAdmin(t);
    patchRoutes = walkRoutes(t.app).filter((r) => isApiRoute(r) && r.method === 'PATCH');
    const user = await createUser(t.app, w.admin, { name: 'Edited person' });
    const customerId = await created('/customers', { name: 'If-Match Co' });
    const leadId = await created('/leads', { name: 'If-Match lead' });
    const dealId = await created('/deals', { name: 'If-Match deal', customerId });
    const contractId = await insertContract(t, { workspaceId: w.workspaceId, customerId, ownerId: w.adminId, totalCents: 100_000 });
    // Only a payment taken back from its approval may be edited: give payments an approval flow, record one, withdraw it.
    const approver = { name: 'Step', mode: 'any', approvers: [{ kind: 'user', userId: w.adminId }] };
    await created('/approval-flows', { subjectType: 'payment', name: 'If-Match payments', steps: [approver] });
    const paymentId = await created('/payments', { contractId, amount: '10', paidOn: '2026-01-01', method: 'cash' });
    expect((await w.admin.post(`/api/v1/payments/${paymentId}/withdraw`, { comment: 'To edit it' })).status).toBe(200);
    const ids: Record<string, string> = {
      'PATCH /api/v1/auth/me': '/auth/me',
      'PATCH /api/v1/workspace': '/workspace',
      'PATCH /api/v1/users/:id': `/users/${user.id}`,
      'PATCH /api/v1/departments/:id': `/departments/${await createDepartment(w.admin, 'If-Match department')}`,
      'PATCH /api/v1/roles/:id': `/roles/${await created('/roles', { name: 'If-Match role', permissions: [], fieldRules: [] })}`,
      'PATCH /api/v1/tags/:id': `/tags/${await created('/tags', { name: 'If-Match tag' })}`,
      'PATCH /api/v1/custom-fields/:entity/:id': `/custom-fields/customer/${await created('/custom-fields/customer', { key: 'if_match', label: 'Field', type: 'text' })}`,
      'PATCH /api/v1/saved-views/:id': `/saved-views/${await created('/saved-views', { entity: 'customer', name: 'If-Match view', definition: {} })}`,
      'PATCH /api/v1/customers/:id': `/customers/${customerId}`,
      'PATCH /api/v1/contacts/:id': `/contacts/${await created('/contacts', { customerId, name: 'If-Match contact' })}`,
      'PATCH /api/v1/follow-ups/:id': `/follow-ups/${await created('/follow-ups', { entity: 'customer', recordId: customerId, type: 'call', content: 'Called' })}`,
      'PATCH /api/v1/leads/:id': `/leads/${leadId}`,
      'PATCH /api/v1/leads/:id/follow-ups/:followUpId': `/leads/${leadId}/follow-ups/${await created(`/leads/${leadId}/follow-ups`, { type: 'call', content: 'Called the lead' })}`,
      'PATCH /api/v1/deals/:id': `/deals/${dealId}`,
      'PATCH /api/v1/deals/:id/follow-ups/:followUpId': `/deals/${dealId}/follow-ups/${await created(`/deals/${dealId}/follow-ups`, { type: 'call', content: 'Called about the deal' })}`,
      'PATCH /api/v1/pipelines/:id': `/pipelines/${await created('/pipelines', { name: 'If-Match pipeline', stages: [{ name: 'First', winProbability: 20 }] })}`,
      'PATCH /api/v1/products/:id': `/products/${await created('/products', { name: 'If-Match product', price: '1.00' })}`,
      'PATCH /api/v1/contracts/:id': `/contracts/${await created('/contracts', { name: 'If-Match contract', customerId, total: '10.00' })}`,
      'PATCH /api/v1/payment-plans/:id': `/payment-plans/${await created('/payment-plans', { contractId, amount: '100', dueDate: '2030-01-01' })}`,
      'PATCH /api/v1/payments/:id': `/payments/${paymentId}`,
      'PATCH /api/v1/approval-flows/:id': `/approval-flows/${await created('/approval-flows', { subjectType: 'contract', name: 'If-Match flow', steps: [approver] })}`,
      'PATCH /api/v1/pools/:id': `/pools/${await created('/pools', { name: 'If-Match pool', allUsers: true })}`,
    };
    for (const [key, path] of Object.entries(ids)) {
      targets[key] = `/api/v1${path}`;
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('walks the PATCH routes (the walk is not vacuous) and exempts only registered ones', () => {
    const keys = patchRoutes.map(routeKey);
    expect(keys.length).toBeGreaterThanOrEqual(20);
    expect(keys).toContain('PATCH /api/v1/customers/:id');
    expect(Object.keys(exemptPatchRoutes).filter((key) => !keys.includes(key))).toEqual([]);
    expect(Object.entries(exemptPatchRoutes).filter(([, reason]) => reason.trim().length < 20)).toEqual([]);
  });

  it('has every PATCH route declare config.ifMatch, except the exempt ones, which must not', () => {
    const wrong = patchRoutes
      .filter((route) => (route.options.config?.ifMatch === true) === (routeKey(route) in exemptPatchRoutes))
      .map((route) => `${routeKey(route)}: ${routeKey(route) in exemptPatchRoutes ? 'exempt, yet declares ifMatch' : 'declare config.ifMatch: true (or exempt it with a reason)'}`);
    expect(wrong).toEqual([]);
  });

  it('answers a stale If-Match with 412 and changes nothing, applies a current one and bumps the version, on every PATCH route', async () => {
    const bodies = sampleBodies({ roleId: w.roles.admin ?? '', uniqueEmail, password: testPassword, userId: w.adminId, customerId: '' });
    const defects: string[] = [];
    const checked: string[] = [];
    for (const route of patchRoutes) {
      const key = routeKey(route);
      if (key in exemptPatchRoutes) {
        continue;
      }
      const url = targets[key];
      const body = bodies[key];
      if (!url || !body) {
        defects.push(`${key}: ${url ? 'no sample body in route-walk.ts' : 'no record to edit: add one to targets here'} (or exempt it with a reason)`);
        continue;
      }
      const patch = (ifMatch?: string) => send(t.app, w.admin, { method: 'PATCH', url, json: body, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });
      // Without If-Match the edit is unconditional; its answer says which version the record is at.
      const plain = await patch();
      const base = versionOf(plain.json());
      if (plain.statusCode !== 200 || base === undefined) {
        defects.push(`${key}: without If-Match answered ${plain.statusCode} with no version: ${plain.body.slice(0, 200)}`);
        continue;
      }
      const fresh = await patch(`"${base}"`);
      if (fresh.statusCode !== 200 || versionOf(fresh.json()) !== base + 1) {
        defects.push(`${key}: If-Match "${base}" (current) answered ${fresh.statusCode}, version ${versionOf(fresh.json())}, expected 200 and ${base + 1}`);
        continue;
      }
      const stale = problemDefect(await patch(`"${base}"`), { status: 412, code: 'version_mismatch' });
      if (stale) {
        defects.push(`${key}: If-Match "${base}" (stale): ${stale}`);
        continue;
      }
      // The refused edit left the version where it was: the next one, based on it, applies.
      const after = await patch(String(base + 1));
      if (after.statusCode !== 200 || versionOf(after.json()) !== base + 2) {
        defects.push(`${key}: after a refused edit, If-Match ${base + 1} answered ${after.statusCode}, version ${versionOf(after.json())}`);
        continue;
      }
      const missing = missingRecordUrl(route, url);
      if (missing) {
        const res = await send(t.app, w.admin, { method: 'PATCH', url: missing, json: body, headers: { 'if-match': '"1"' } });
        const defect = problemDefect(res, { status: 404, code: 'not_found' });
        if (defect) {
          defects.push(`${key}: a record that does not exist, with If-Match: ${defect}`);
          continue;
        }
      }
      checked.push(key);
    }
    expect(defects).toEqual([]);
    expect(checked.length).toBe(patchRoutes.length - Object.keys(exemptPatchRoutes).length);
  });
});
