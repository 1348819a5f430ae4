import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ErrorCode, errorCatalog } from '../../common/error-codes';
import { problemSchema } from './schemas';

/*
 * The API's cross-cutting conventions (api.md) written into the OpenAPI document, so that it is
 * the contract it claims to be: errors as application/problem+json with one Problem schema, the
 * list query grammar, and the Idempotency-Key and If-Match headers where the server honours them.
 * Everything is derived from the routes and the error catalog, so a new route is described too.
 */

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const problemRef = '#/components/schemas/Problem';
export const problemMediaType = 'application/problem+json';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The list query grammar (server/list/parse-list.ts), on every list that takes filters. */
export const listGrammar = [
  '**List query** (keyset-paged; anything not understood is a 400 `unknown_filter`, never ignored):',
  '- `limit` 1–200 (default 50); `cursor` = the previous page\'s `nextCursor`; `count=true` adds `total` (exact up to 10,000, else `countExact: false`).',
  '- `sort=field` ascending, `sort=-field` descending (also `sort=cf.<key>`); records without a value sort last.',
  '- `q` = free-text search.',
  '- `field=value` matches equal values; repeat the parameter for any of (`level=A&level=B`).',
  '- `field[op]=value` with op `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `contains`, `in` (comma-separated, any of) or `empty` (`true`/`false`); which ops apply depends on the field\'s type.',
  '- `cf.<key>=value` and `cf.<key>[op]=value` filter on custom fields.',
  '- Filterable fields are the record\'s own (see the response schema); fields hidden from the caller are unknown, masked ones match whole values only.',
].join('\n');

const idempotencyKeyHeader = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description:
    'Makes the write safe to retry: the first successful answer is kept for 24 h and replayed for the same key (with `Idempotent-Replayed: true`). ' +
    'The same key with a different request → 422 `idempotency_mismatch`; while the first is still running → 409 `request_in_progress`.',
};

const ifMatchHeader = {
  type: 'string',
  pattern: '^(?:W/)?"?\\d{1,9}"?$',
  description: "The record's `version` as you read it. If someone changed the record since, nothing is written and the answer is 412 `version_mismatch`. Without it the write is unconditional.",
};

/** Whether idempotency.ts keeps answers for this route: signed-in writes, unless the route opts out. */
function takesIdempotencyKey(route: RouteOptions): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const access = route.config?.access;
  return methods.some((m) => unsafeMethods.has(m)) && access !== undefined && !('public' in access) && route.config?.idempotent !== false;
}

/** A querystring that accepts keys it does not name is a list's filter grammar. */
function takesFilters(querystring: unknown): boolean {
  return isObject(querystring) && querystring.additionalProperties !== undefined && querystring.additionalProperties !== false;
}

/** Per route: the zod schemas as JSON Schema, then the headers and the list grammar this route takes. */
export const conventionsTransform: SwaggerTransform = (input) => {
  const { schema, url } = jsonSchemaTransform(input);
  const out: JsonObject = { ...(schema as JsonObject) };
  const headers: JsonObject = {};
  if (takesIdempotencyKey(input.route)) {
    headers['Idempotency-Key'] = idempotencyKeyHeader;
  }
  if (input.route.config?.ifMatch === true) {
    headers['If-Match'] = ifMatchHeader;
  }
  if (Object.keys(headers).length > 0) {
    out.headers = { type: 'object', properties: headers };
  }
  if (takesFilters(out.querystring)) {
    const own = isObject(out.querystring) && typeof out.querystring.description === 'string' ? `This list: ${out.querystring.description}` : null;
    out.description = [typeof out.description === 'string' ? out.description : null, listGrammar, own].filter((part) => part !== null).join('\n\n');
  }
  return { schema: out, url };
};

const statusTitles: Readonly<Record<number, string>> = {
  400: 'Invalid request',
  401: 'Not signed in, or the credentials are invalid',
  403: 'Signed in but not allowed',
  404: 'Not found, or outside your data scope',
  405: 'Method not allowed',
  409: 'Conflict with the current state (a duplicate, a state that does not allow it, a request still running)',
  412: 'Precondition failed',
  413: 'Request too large',
  415: 'Unsupported content type',
  422: 'Business rule violated',
  429: 'Too many requests: retry after `Retry-After` seconds',
  500: 'Internal error: a fault of the server, never of the request (logged with its request id; retrying later is safe for reads and for writes sent with `Idempotency-Key`)',
  503: 'Service unavailable: retry after `Retry-After` seconds',
};

function codesWithStatus(status: number): ErrorCode[] {
  return (Object.keys(errorCatalog) as ErrorCode[]).filter((code) => errorCatalog[code].status === status);
}

function responseDescription(status: number, op: JsonObject): string {
  const codes = codesWithStatus(status);
  const parts = [`${statusTitles[status] ?? 'Error'} (application/problem+json).`];
  if (codes.length > 0) {
    parts.push(`\`code\`: ${codes.map((c) => `\`${c}\``).join(', ')}.`);
  }
  if (status === 412 && hasHeader(op, 'If-Match')) {
    parts.push('Here: the record changed since the version sent in `If-Match`; read it again and retry.');
  }
  return parts.join(' ');
}

function hasHeader(op: JsonObject, name: string): boolean {
  return Array.isArray(op.parameters) && op.parameters.some((p) => isObject(p) && p.in === 'header' && p.name === name);
}

/** The Problem component: the JSON Schema of the one zod schema problem.ts sends. */
function problemComponent(): JsonObject {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(problemSchema, { io: 'output' }) as JsonObject;
  return { ...schema, description: 'An error, as RFC 9457 problem details. `code` is stable; `title`, `detail` and messages follow the caller\'s language.' };
}

/**
 * On the whole document: every 4xx and 5xx answer is application/problem+json with the shared
 * Problem schema, and every operation documents 500; a write that takes If-Match also documents
 * its 412, one that takes Idempotency-Key its 409 and 422.
 */
export const conventionsTransformObject: SwaggerTransformObject = (documentObject) => {
  if (!('openapiObject' in documentObject)) {
    return documentObject.swaggerObject;
  }
  const doc = documentObject.openapiObject as JsonObject;
  const components = isObject(doc.components) ? doc.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  doc.components = { ...components, schemas: { ...schemas, Problem: problemComponent() } };
  for (const pathItem of Object.values(isObject(doc.paths) ? doc.paths : {})) {
    for (const op of Object.values(isObject(pathItem) ? pathItem : {})) {
      if (!isObject(op) || !isObject(op.responses)) {
        continue;
      }
      // Every operation may answer 500; a route that declares a 5xx of its own (503) keeps it.
      const statuses = new Set(Object.keys(op.responses).filter((s) => /^[45]\d\d$/.test(s))).add('500');
      if (hasHeader(op, 'If-Match')) {
        statuses.add('412');
      }
      if (hasHeader(op, 'Idempotency-Key')) {
        statuses.add('409').add('422');
      }
      for (const status of [...statuses].sort()) {
        op.responses[status] = { description: responseDescription(Number(status), op), content: { [problemMediaType]: { schema: { $ref: problemRef } } } };
      }
    }
  }
  return doc;
};
