import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { AppError, type FieldError } from '../../http/app-error';
import { assertWritableFields, type Permissions } from '../permissions/permissions.service';
import './imports.entities';
import { type ImportAdapter, importAdapter } from './imports.registry';

export { isImportEntity } from './imports.registry';

/** An importable entity's name (see imports.registry.ts: `registerImportEntity`). */
export type ImportEntity = string;

function adapterOf(entity: ImportEntity): ImportAdapter {
  const adapter = importAdapter(entity);
  if (!adapter) {
    throw new AppError('validation_failed', { errors: [{ path: 'entity', message: `cannot import ${entity}` }] });
  }
  return adapter;
}

/** Built-in fields a column may map to for an entity (custom fields are `cf.<key>`). */
export function importFields(entity: ImportEntity): readonly string[] {
  return adapterOf(entity).fields;
}

/**
 * A header as matched against the dictionary and remembered choices: width, case, spaces,
 * punctuation, required-markers and bracketed notes are ignored ("客户名称（必填）*" = "客户名称").
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .slice(0, 100);
}

/**
 * Guesses each column's field: the workspace's past choice for the header first, then a custom
 * field by label, then the dictionary, then a custom field by key. A field goes to one column only.
 */
export function guessMapping(
  entity: ImportEntity,
  headers: readonly string[],
  definitions: readonly CustomFieldDefinition[],
  remembered: ReadonlyMap<string, string | null>,
): Record<string, string> {
  const adapter = adapterOf(entity);
  const dictionary = Object.entries(adapter.headerGuesses);
  const taken = new Set<string>();
  const guesses: Record<string, string> = {};
  const valid = (field: string) => adapter.fields.includes(field) || (field.startsWith('cf.') && definitions.some((d) => `cf.${d.key}` === field));
  headers.forEach((header, index) => {
    const key = headerKey(header);
    if (key === '') {
      return;
    }
    let field: string | null | undefined;
    if (remembered.has(key)) {
      const choice = remembered.get(key) ?? null;
      if (choice === null) {
        return; // deliberately left unmapped last time
      }
      field = valid(choice) ? choice : undefined;
    }
    const byLabel = definitions.find((d) => headerKey(d.label) === key);
    const byKey = definitions.find((d) => headerKey(d.key) === key);
    field ??= byLabel ? `cf.${byLabel.key}` : undefined;
    field ??= dictionary.find(([, words]) => words.includes(key))?.[0];
    field ??= byKey ? `cf.${byKey.key}` : undefined;
    if (field && !taken.has(field)) {
      taken.add(field);
      guesses[String(index)] = field;
    }
  });
  return guesses;
}

/**
 * The field rule guarding an import field (null: none): a custom field's own, a built-in field's
 * `permissionFields` entry — a field of the entity's rules, or `entity:field` for another entity's
 * (a customer file's contact columns).
 */
export function importFieldGuard(entity: ImportEntity, adapter: ImportAdapter, field: string): { entity: string; field: string } | null {
  const guard = field.startsWith('cf.') ? field : adapter.permissionFields[field];
  if (guard === undefined) {
    return null;
  }
  const at = guard.indexOf(':');
  return at < 0 ? { entity, field: guard } : { entity: guard.slice(0, at), field: guard.slice(at + 1) };
}

/** A validated mapping: column index → field. */
export type Mapping = Map<number, string>;

/**
 * Checks a mapping from the wizard: known columns and fields, each field once, the required ones
 * present, and every mapped field writable for the importer (403 field_forbidden otherwise).
 */
export function validateMapping(
  entity: ImportEntity,
  raw: Record<string, string | null>,
  columnCount: number,
  definitions: readonly CustomFieldDefinition[],
  permissions: Permissions,
): Mapping {
  const adapter = adapterOf(entity);
  const errors: FieldError[] = [];
  const mapping: Mapping = new Map();
  const used = new Set<string>();
  for (const [column, field] of Object.entries(raw)) {
    const index = Number(column);
    if (!/^\d+$/.test(column) || index >= columnCount) {
      errors.push({ path: `mapping.${column}`, message: 'no such column' });
      continue;
    }
    if (field === null || field === '') {
      continue;
    }
    const known = adapter.fields.includes(field) || (field.startsWith('cf.') && definitions.some((d) => `cf.${d.key}` === field));
    if (!known) {
      errors.push({ path: `mapping.${column}`, message: `unknown field ${field}` });
      continue;
    }
    if (used.has(field)) {
      errors.push({ path: `mapping.${column}`, message: `${field} is mapped twice` });
      continue;
    }
    used.add(field);
    mapping.set(index, field);
  }
  for (const field of adapter.requiredFields) {
    if (!used.has(field)) {
      errors.push({ path: 'mapping', message: `map a column to ${field}` });
    }
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', { errors });
  }
  const guardedBy = new Map<string, Set<string>>();
  for (const f of mapping.values()) {
    const guard = importFieldGuard(entity, adapter, f);
    if (guard) {
      guardedBy.set(guard.entity, (guardedBy.get(guard.entity) ?? new Set()).add(guard.field));
    }
  }
  for (const [guardEntity, fields] of guardedBy) {
    assertWritableFields(permissions, guardEntity, [...fields]);
  }
  return mapping;
}

export function mappingToJson(mapping: Mapping): Record<string, string> {
  return Object.fromEntries([...mapping.entries()].map(([k, v]) => [String(k), v]));
}

export function mappingFromJson(value: unknown): Mapping {
  const mapping: Mapping = new Map();
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string') {
        mapping.set(Number(k), v);
      }
    }
  }
  return mapping;
}
