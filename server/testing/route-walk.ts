import type { FastifyInstance, HTTPMethods, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import type { RouteAccess } from '../http/auth-context';
import type { Client } from './test-app';

/** One registered method + path, as the security tests walk them. */
export interface WalkRoute {
  method: HTTPMethods;
  url: string;
  access: RouteAccess | undefined;
  options: RouteOptions;
}

/** Every registered route, one entry per method (a route may register several), sorted. */
export function walkRoutes(app: FastifyInstance): WalkRoute[] {
  const seen = new Set<string>();
  const out: WalkRoute[] = [];
  for (const options of app.routeTable) {
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    for (const method of methods) {
      const key = `${method} ${options.url}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ method, url: options.url, access: options.config?.access, options });
      }
    }
  }
  return out.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}

export function routeKey(route: Pick<WalkRoute, 'method' | 'url'>): string {
  return `${route.method} ${route.url}`;
}

export function isApiRoute(route: WalkRoute): boolean {
  return route.url.startsWith('/api/v1/');
}

export function hasBody(route: WalkRoute): boolean {
  return ['POST', 'PATCH', 'PUT'].includes(route.method) && route.options.schema?.body !== undefined;
}

/** The resource a `:param` route acts on: the path segment before its first parameter (`/users/:id/x` → `users`). */
export function resourceOf(url: string): string | undefined {
  const parts = url.split('/');
  const index = parts.findIndex((p) => p.startsWith(':'));
  return index > 0 ? parts[index - 1] : undefined;
}

/** Replaces every `:param` with the value `fill` gives for it. */
export function fillParams(url: string, fill: (param: string, url: string) => string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => encodeURIComponent(fill(name, url)));
}

/** Fills a route's params: non-id params get a valid value, ids come from `ids` by resource. */
export function fillRouteParams(url: string, ids: Record<string, string>): string {
  const fixed: Record<string, string> = { entity: 'customer', listKey: 'customer.level' };
  return fillParams(url, (param) => fixed[param] ?? ids[resourceOf(url) ?? ''] ?? '');
}

/** Routes that act on one record by id (what tenancy walks present foreign ids to). */
export function isIdRoute(route: WalkRoute): boolean {
  return route.url.includes('/:id');
}

let ipCounter = 0;
/** A fresh client address per request, so per-IP rate limits (setup, login) never mask what a test looks for. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export interface RawRequest {
  method: HTTPMethods;
  url: string;
  /** A value to send as JSON, or raw text (then set content-type yourself). */
  json?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

/** Sends a request with a client's credentials (cookie + CSRF token, or bearer), with full control of the body. */
export function send(app: FastifyInstance, client: Client | null, request: RawRequest): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (client?.auth.cookie) {
    headers.cookie = client.auth.cookie;
  }
  if (client?.auth.csrfToken) {
    headers['x-csrf-token'] = client.auth.csrfToken;
  }
  if (client?.auth.bearer) {
    headers.authorization = `Bearer ${client.auth.bearer}`;
  }
  const options: InjectOptions = {
    method: request.method,
    url: request.url,
    headers: { ...headers, ...request.headers },
    remoteAddress: request.remoteAddress ?? freshIp(),
  };
  if (request.raw !== undefined) {
    options.payload = request.raw;
  } else if (request.json !== undefined) {
    options.payload = JSON.stringify(request.json);
    options.headers = { 'content-type': 'application/json', ...options.headers };
  }
  return app.inject(options);
}

/** Describes what is wrong with an answer that should be an RFC 9457 problem, or null when it is one. */
export function problemDefect(res: LightMyRequestResponse, expected?: { status?: number; code?: string }): string | null {
  if (expected?.status !== undefined && res.statusCode !== expected.status) {
    return `status ${res.statusCode}, expected ${expected.status}: ${res.body.slice(0, 200)}`;
  }
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) {
    return `content-type ${type || '(none)'}`;
  }
  if (res.body === '') {
    return null; // HEAD: headers only
  }
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return `body is not JSON: ${res.body.slice(0, 200)}`;
  }
  const problem = body as { code?: unknown; status?: unknown; title?: unknown };
  if (typeof problem.code !== 'string' || problem.status !== res.statusCode || typeof problem.title !== 'string') {
    return `not a problem document: ${res.body.slice(0, 200)}`;
  }
  if (expected?.code !== undefined && problem.code !== expected.code) {
    return `code ${problem.code}, expected ${expected.code}`;
  }
  return null;
}

/**
 * A valid body for every route that takes one, so walks reach the handler (past validation).
 * A new route with a body needs an entry here, or the walks that use it fail and say so.
 */
export function sampleBodies(context: { roleId: string; uniqueEmail: () => string; password: string; userId: string; customerId: string }): Record<string, Record<string, unknown>> {
  const suffix = context.uniqueEmail().split('@')[0] ?? '';
  return {
    'POST /api/v1/setup': { workspaceName: 'Acme 好客', name: 'Owner', email: context.uniqueEmail(), password: context.password },
    'POST /api/v1/auth/login': { email: context.uniqueEmail(), password: 'Not-the-password-1' },
    'PATCH /api/v1/auth/me': { name: 'Me' },
    'POST /api/v1/auth/password': { currentPassword: 'Not-the-password-1', newPassword: 'Another-password-1' },
    'POST /api/v1/users': { name: 'New user', email: context.uniqueEmail(), password: context.password, roleIds: [] },
    'PATCH /api/v1/users/:id': { name: 'Renamed' },
    'POST /api/v1/users/:id/reset-password': { password: 'Another-password-1' },
    'POST /api/v1/departments': { name: `Dept ${suffix}` },
    'PATCH /api/v1/departments/:id': { name: 'Renamed' },
    'POST /api/v1/roles': { name: `Role ${suffix}`, permissions: [], fieldRules: [] },
    'PATCH /api/v1/roles/:id': { name: `Renamed ${suffix}` },
    'POST /api/v1/api-keys': { name: 'Key', roleId: context.roleId },
    'PATCH /api/v1/workspace': { settings: { recycleBinDays: 30 } },
    'PUT /api/v1/picklists/:listKey': { options: [{ value: 'A', label: 'A' }, { value: 'B', label: 'B' }] },
    'POST /api/v1/tags': { name: `Tag ${suffix}`, color: 'green' },
    'PATCH /api/v1/tags/:id': { color: 'red' },
    'POST /api/v1/custom-fields/:entity': { key: `f_${suffix.replace(/[^a-z0-9]/g, '').slice(0, 30)}`, label: 'Field', type: 'text' },
    'PATCH /api/v1/custom-fields/:entity/:id': { label: 'Renamed' },
    'POST /api/v1/customers': { name: `Customer ${suffix}` },
    'PATCH /api/v1/customers/:id': { remark: 'Edited' },
    'POST /api/v1/customers/:id/transfer': { ownerId: context.userId },
    'POST /api/v1/customers/:id/tags': { add: [], remove: [] },
    'PUT /api/v1/customers/:id/collaborators': { collaborators: [] },
    'POST /api/v1/customers/bulk': { action: 'setLevel', ids: [context.customerId], level: 'A' },
    'POST /api/v1/contacts': { customerId: context.customerId, name: `Contact ${suffix}`, phone: '13800001111' },
    'PATCH /api/v1/contacts/:id': { remark: 'Edited' },
    // Records that are not in the bin / do not exist: the walks reach the handler, which answers 404 and changes nothing.
    'POST /api/v1/contacts/restore': { ids: ['00000000-0000-7000-8000-000000000000'] },
    'POST /api/v1/contacts/bulk': { action: 'delete', ids: ['00000000-0000-7000-8000-000000000000'] },
    'POST /api/v1/customers/restore': { ids: ['00000000-0000-7000-8000-000000000000'] },
    'POST /api/v1/follow-ups': { entity: 'customer', recordId: context.customerId, type: 'call', content: 'Called' },
    'PATCH /api/v1/follow-ups/:id': { content: 'Edited' },
    'POST /api/v1/customers/:id/comments': { content: 'A comment' },
    'POST /api/v1/customers/duplicates/check': { name: 'Acme Co., Ltd.', phone: '138-0000-0000', excludeId: context.customerId },
    // A source that does not exist: the walks reach the handler, which answers 404 and merges nothing.
    'POST /api/v1/customers/merge/preview': { targetId: context.customerId, sourceIds: ['00000000-0000-7000-8000-000000000000'] },
    'POST /api/v1/customers/merge': { targetId: context.customerId, sourceIds: ['00000000-0000-7000-8000-000000000000'], fields: {} },
    'POST /api/v1/saved-views': { entity: 'customer', name: `View ${suffix}`, shared: false, definition: { filters: { level: 'A' }, sort: '-createdAt', columns: ['name'] } },
    'PATCH /api/v1/saved-views/:id': { definition: { filters: { 'createdAt[gte]': '2026-01-01' }, sort: 'name', columns: ['name', 'level'] } },
    // POST /api/v1/imports is multipart (no JSON body schema): the walks send it JSON and it answers 415.
    'POST /api/v1/imports/:id/preview': { mapping: { '0': 'name' }, duplicateMode: 'skip' },
    'POST /api/v1/imports/:id/start': { mapping: { '0': 'name' }, duplicateMode: 'skip' },
    'POST /api/v1/exports': { entity: 'customer', format: 'csv', filter: { level: 'A' } },
    'POST /api/v1/leads': { name: `Lead ${suffix}`, company: 'Acme 好客', phone: '13800002222', source: 'web' },
    'PATCH /api/v1/leads/:id': { remark: 'Edited' },
    'PUT /api/v1/leads/settings': { autoAssignDepartmentId: null, autoAssignOnCreate: false },
    // A lead that does not exist: the walks reach the handler, which answers 404 and assigns nothing.
    'POST /api/v1/leads/assign': { ids: ['00000000-0000-7000-8000-000000000000'], ownerId: context.userId },
    'POST /api/v1/leads/:id/assign': { ownerId: context.userId },
    'POST /api/v1/leads/:id/convert': { ignoreDuplicates: true },
    'POST /api/v1/leads/:id/follow-ups': { type: 'call', content: 'Called the lead' },
    'PATCH /api/v1/leads/:id/follow-ups/:followUpId': { content: 'Edited' },
    'POST /api/v1/deals': { name: `Deal ${suffix}`, customerId: context.customerId, amount: '1000.00' },
    'PATCH /api/v1/deals/:id': { remark: 'Edited', lines: [{ name: 'Seat', price: '10.00', quantity: 2, discountPercent: 5 }] },
    // A stage that does not exist: the walks reach the handler, which answers 400 and moves nothing.
    'POST /api/v1/deals/:id/move': { stageId: '00000000-0000-7000-8000-000000000000' },
    'POST /api/v1/deals/:id/close': { status: 'lost', reason: 'Too expensive' },
    'POST /api/v1/deals/:id/transfer': { ownerId: context.userId },
    'POST /api/v1/deals/:id/follow-ups': { type: 'call', content: 'Called about the deal' },
    'PATCH /api/v1/deals/:id/follow-ups/:followUpId': { content: 'Edited' },
    'POST /api/v1/pipelines': { name: `Pipeline ${suffix}`, stages: [{ name: 'First', winProbability: 20 }, { name: 'Second', winProbability: 60 }] },
    'PATCH /api/v1/pipelines/:id': { name: 'Renamed' },
    'PUT /api/v1/pipelines/:id/stages': { stages: [{ name: 'Only', winProbability: 50 }] },
    'POST /api/v1/products': { name: `Product ${suffix}`, code: `P-${suffix}`, unit: 'set', price: '99.00' },
    'PATCH /api/v1/products/:id': { price: '120.00' },
    'POST /api/v1/product-categories': { name: `Category ${suffix}` },
    'PUT /api/v1/product-categories/:id': { name: 'Renamed' },
    // A contract that does not exist: the walks reach the handler, which answers 400 and records nothing.
    'POST /api/v1/payment-plans': { contractId: '00000000-0000-7000-8000-000000000000', amount: '100.00', dueDate: '2030-01-01', remindDays: 3 },
    'PATCH /api/v1/payment-plans/:id': { remark: 'Edited' },
    'POST /api/v1/payments': { contractId: '00000000-0000-7000-8000-000000000000', amount: '100.00', paidOn: '2026-01-01', method: 'bank_transfer' },
    'PATCH /api/v1/payments/:id': { remark: 'Edited' },
    'POST /api/v1/payments/:id/withdraw': { comment: 'Taken back' },
    'POST /api/v1/approval-flows': { subjectType: 'contract', name: `Flow ${suffix}`, steps: [{ name: 'Manager', mode: 'any', approvers: [{ kind: 'manager', levels: 1 }] }] },
    'PATCH /api/v1/approval-flows/:id': { name: 'Renamed' },
    'POST /api/v1/approvals/:id/approve': { comment: 'OK' },
    'POST /api/v1/approvals/:id/reject': { comment: 'No' },
    'POST /api/v1/approvals/:id/withdraw': { comment: 'Taken back' },
    'POST /api/v1/contracts': { name: `Contract ${suffix}`, customerId: context.customerId, total: '1000.00' },
    'PATCH /api/v1/contracts/:id': { remark: 'Edited' },
    'PUT /api/v1/contracts/numbering': { pattern: 'HT-{yyyyMMdd}-{seq}', reset: 'day' },
    'POST /api/v1/contracts/:id/void': { reason: 'Cancelled' },
    'POST /api/v1/pools': { name: `Pool ${suffix}`, members: [{ type: 'user', id: context.userId }], rules: [{ level: null, noFollowupDays: 30 }] },
    'PATCH /api/v1/pools/:id': { claimDailyLimit: 5, cooldownDays: 7 },
    // A customer that does not exist: the walks reach the handler, which reports it failed and moves nothing.
    'POST /api/v1/pools/release': { customerIds: ['00000000-0000-7000-8000-000000000000'], reason: 'No longer interested' },
    'POST /api/v1/pools/:id/claim': { customerIds: ['00000000-0000-7000-8000-000000000000'] },
    'POST /api/v1/pools/:id/assign': { customerIds: ['00000000-0000-7000-8000-000000000000'], ownerId: context.userId },
    'POST /api/v1/pools/:id/recycle-preview': { rules: [{ level: null, noFollowupDays: 30 }], exemptLocked: true },
    'PUT /api/v1/ownership-limits': { subjectType: 'user', subjectId: context.userId, maxOwned: 100, excludeDealt: true, maxLocked: 10 },
    'PUT /api/v1/targets': { year: 2026, kind: 'payment_amount', items: [{ subjectType: 'user', subjectId: context.userId, yearTotal: '1200.00' }] },
  };
}
