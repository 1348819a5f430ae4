import type { Kysely } from 'kysely';
import type { CustomFieldDefinition } from '../../common/custom-fields';
import type { Database } from '../db/types';
import type { Deps } from '../deps';
import { customizableEntities } from '../modules/custom-fields/custom-fields.schema';
import { customFieldDefinitions } from '../modules/custom-fields/custom-fields.service';
import { versionFor } from '../modules/permissions/authz-cache';
import type { AuthContext } from './auth-context';

/**
 * The OpenAPI document as a workspace sees it: every `custom` object of an entity that has custom
 * fields (customers, contacts, deals, leads, contracts, products) describes that workspace's
 * fields — key, type, required, options as `enum`, label as `description` — in request bodies
 * (create / update) and responses. The generic document (what anonymous callers get) is left
 * untouched: only the operations that carry a `custom` object are copied and rewritten.
 */

type Json = Record<string, unknown>;
type Mode = 'create' | 'update' | 'response';
export type CustomEntity = (typeof customizableEntities)[number];

/** Where a `custom` object sits: the operation, the key path to the object holding it, whose fields and how. */
export interface CustomLocation {
  path: string;
  method: string;
  trail: string[];
  entity: CustomEntity;
  mode: Mode;
}

/** API words (collection segments, embedded property names) → entity. */
const entityWords = new Map<string, CustomEntity>(
  customizableEntities.flatMap((e) => [
    [e, e],
    [`${e}s`, e],
  ]),
);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entity a `custom` object belongs to: the property embedding it (overview.customer), else the URL's last entity collection. */
function entityAt(urlPath: string, trail: readonly string[]): CustomEntity | null {
  for (let i = trail.length - 1; i > 0; i -= 1) {
    if (trail[i - 1] === 'properties') {
      const byName = entityWords.get(trail[i] ?? '');
      if (byName) {
        return byName;
      }
    }
  }
  const segments = urlPath.split('/').filter((s) => s !== '' && !s.startsWith('{'));
  for (let i = segments.length - 1; i >= 0; i -= 1) {
    const byPath = entityWords.get(segments[i] ?? '');
    if (byPath) {
      return byPath;
    }
  }
  return null;
}

const locationCache = new WeakMap<object, { locations: CustomLocation[]; unknown: string[] }>();

/**
 * Every `custom` object of the generic document, found once per document (the document is built
 * once at start-up). `unknown` lists the ones no entity could be named for (a test keeps it empty).
 */
export function customLocations(doc: Json): { locations: CustomLocation[]; unknown: string[] } {
  const hit = locationCache.get(doc);
  if (hit) {
    return hit;
  }
  const locations: CustomLocation[] = [];
  const unknown: string[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [urlPath, operations] of Object.entries(paths)) {
    if (!isObject(operations)) {
      continue;
    }
    for (const [method, operation] of Object.entries(operations)) {
      if (!isObject(operation)) {
        continue;
      }
      const walk = (node: unknown, trail: string[]): void => {
        if (Array.isArray(node)) {
          node.forEach((child, i) => walk(child, [...trail, String(i)]));
          return;
        }
        if (!isObject(node)) {
          return;
        }
        if (isObject(node.properties) && isObject(node.properties.custom)) {
          const entity = entityAt(urlPath, trail);
          const mode: Mode = trail[0] === 'requestBody' ? (method === 'post' ? 'create' : 'update') : 'response';
          if (entity) {
            locations.push({ path: urlPath, method, trail, entity, mode });
          } else {
            unknown.push(`${method.toUpperCase()} ${urlPath} ${trail.join('/')}`);
          }
        }
        for (const [key, child] of Object.entries(node)) {
          walk(child, [...trail, key]);
        }
      };
      walk(operation, []);
    }
  }
  const result = { locations, unknown };
  locationCache.set(doc, result);
  return result;
}

/** One field's value as JSON Schema (OpenAPI 3.1), as the API takes it (requests) or gives it (responses). */
function valueSchema(d: CustomFieldDefinition, mode: Mode): Json {
  switch (d.type) {
    case 'text':
      return { type: 'string', maxLength: 500 };
    case 'phone':
      return { type: 'string', maxLength: 40, pattern: '^\\+?[0-9][0-9 ()-]{3,38}$' };
    case 'email':
      return { type: 'string', format: 'email', maxLength: 500 };
    case 'url':
      return { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 500 };
    case 'longText':
      return { type: 'string', maxLength: 10_000 };
    case 'number':
      return { type: 'number' };
    case 'money':
      // Kept as a decimal string with two digits so sums never drift; requests may send a number.
      return mode === 'response'
        ? { type: 'string', pattern: '^-?\\d+\\.\\d{2}$', examples: ['1280.00'] }
        : { anyOf: [{ type: 'string', pattern: '^-?\\d+(\\.\\d{1,2})?$' }, { type: 'number' }], examples: ['1280.50'] };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'singleSelect':
      return { type: 'string', enum: d.options.map((o) => o.value) };
    case 'multiSelect':
      return { type: 'array', items: { type: 'string', enum: d.options.map((o) => o.value) }, uniqueItems: mode === 'response' };
    case 'user':
      return { type: 'string', format: 'uuid', description: 'a user id' };
    case 'boolean':
      return { type: 'boolean' };
  }
}

/** The `custom` object of one entity for one kind of body. */
export function customObjectSchema(definitions: readonly CustomFieldDefinition[], mode: Mode): Json {
  const properties: Json = {};
  for (const d of definitions) {
    const value = valueSchema(d, mode);
    // null clears a field on write; a response carries null for a cleared one. Required fields take no null.
    const nullable = mode === 'response' || !d.required;
    const optionLabels = d.options.length > 0 ? ` Options: ${d.options.map((o) => `${o.value} = ${o.label}`).join('; ')}.` : '';
    properties[d.key] = {
      ...(nullable ? { anyOf: [value, { type: 'null' }] } : value),
      description: `${d.label}${optionLabels}`,
      'x-custom-field-type': d.type,
      ...(d.unique ? { 'x-unique': true } : {}),
    };
  }
  const required = mode === 'create' ? definitions.filter((d) => d.required).map((d) => d.key) : [];
  return {
    type: 'object',
    description:
      mode === 'response'
        ? "This workspace's custom fields (fields a role hides are left out)."
        : mode === 'create'
          ? "This workspace's custom fields; unknown keys are refused."
          : "This workspace's custom fields: only the ones to change; null clears one; unknown keys are refused.",
    properties,
    ...(required.length > 0 ? { required } : {}),
    // Requests with unknown keys fail validation (422); responses carry only defined fields.
    additionalProperties: false,
  };
}

function at(root: Json, trail: readonly string[]): Json | null {
  let node: unknown = root;
  for (const key of trail) {
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
  }
  return isObject(node) ? node : null;
}

/**
 * A copy of the generic document with the workspace's custom fields filled in. Only the affected
 * operations are cloned; everything else is shared with the generic document (never mutated).
 */
export function personaliseDocument(doc: Json, byEntity: ReadonlyMap<CustomEntity, readonly CustomFieldDefinition[]>): Json {
  const { locations } = customLocations(doc);
  const paths = { ...(doc.paths as Json) };
  const cloned = new Map<string, Json>();
  for (const loc of locations) {
    const definitions = byEntity.get(loc.entity) ?? [];
    const opKey = `${loc.path} ${loc.method}`;
    let operation = cloned.get(opKey);
    if (!operation) {
      const original = (paths[loc.path] as Json)[loc.method] as Json;
      operation = structuredClone(original);
      cloned.set(opKey, operation);
      paths[loc.path] = { ...(paths[loc.path] as Json), [loc.method]: operation };
    }
    const holder = at(operation, loc.trail);
    if (!holder || !isObject(holder.properties)) {
      continue;
    }
    holder.properties.custom = customObjectSchema(definitions, loc.mode);
    if (loc.mode === 'create' && definitions.some((d) => d.required)) {
      const required = Array.isArray(holder.required) ? (holder.required as string[]) : [];
      holder.required = required.includes('custom') ? required : [...required, 'custom'];
    }
  }
  return { ...doc, paths };
}

/** Personalised documents, serialised, per database handle and workspace (a few dozen at most). */
const maxWorkspaces = 50;
const documents = new WeakMap<Kysely<Database>, Map<string, { version: number; body: Promise<string> }>>();

/**
 * The document for the caller's workspace as JSON text. Cached per workspace at its authorisation
 * version, which every custom_fields write bumps (database triggers, migration 0012): a field
 * added, changed or deleted is in the very next document, on every app instance. A cache hit
 * costs the version lookup the request already made (stamped on its permissions).
 */
export async function workspaceDocument(deps: Deps, auth: AuthContext, generic: Json): Promise<string> {
  const version = await versionFor(deps, auth.workspaceId, auth.permissions);
  let cache = documents.get(deps.db);
  if (!cache) {
    cache = new Map();
    documents.set(deps.db, cache);
  }
  const hit = cache.get(auth.workspaceId);
  if (hit && hit.version === version) {
    return hit.body;
  }
  const body = (async () => {
    const lists = await Promise.all(customizableEntities.map(async (e) => [e, await customFieldDefinitions(deps, auth.workspaceId, e, auth.permissions)] as const));
    return JSON.stringify(personaliseDocument(generic, new Map(lists)));
  })();
  cache.delete(auth.workspaceId);
  if (cache.size >= maxWorkspaces) {
    // Oldest first (insertion order; a hit is not re-inserted, a rebuild is).
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) {
      cache.delete(oldest);
    }
  }
  cache.set(auth.workspaceId, { version, body });
  body.catch(() => {
    if (cache.get(auth.workspaceId)?.body === body) {
      cache.delete(auth.workspaceId);
    }
  });
  return body;
}
