import { type CustomFieldDefinition, operatorsFor } from '../../common/custom-fields';
import { AppError, type FieldError } from '../http/app-error';
import type { FieldAccess } from '../modules/permissions/permissions.service';
import { fieldModeOf, type FilterOp, type ListSpec, operatorsOf, type ParsedFilter, type ParsedList, type ParsedSort } from './list-spec';

export type RawQuery = Record<string, string | string[] | undefined>;

const reserved = new Set(['limit', 'cursor', 'sort', 'q', 'count']);
const keyPattern = /^(cf\.)?([A-Za-z][A-Za-z0-9_]{0,63})(?:\[([a-z]+)\])?$/;
const idPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A calendar date that exists (2026-02-30 and 2026-13-01 do not; Date would roll them over). */
function realDate(value: string): boolean {
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value.slice(0, 10);
}

/** Operators that compare a whole value: the only ones a masked field takes, so a filter cannot reveal it piece by piece. */
const wholeValueOps: ReadonlySet<FilterOp> = new Set<FilterOp>(['eq', 'in', 'ne', 'empty']);

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

function checkValue(type: string, value: string, path: string, errors: FieldError[]): void {
  if (value.length > 500) {
    errors.push({ path, message: 'too long' });
    return;
  }
  switch (type) {
    case 'money':
      // Decimal with at most two digits (cents are exact); the filter compares cents.
      if (!/^-?\d{1,13}(\.\d{1,2})?$/.test(value)) {
        errors.push({ path, message: 'must be an amount with at most 2 decimals' });
      }
      return;
    case 'number':
      if (!/^-?\d+(\.\d+)?$/.test(value)) {
        errors.push({ path, message: 'must be a number' });
      }
      return;
    case 'date':
      if (!isoDate.test(value) || !realDate(value)) {
        errors.push({ path, message: 'must be a date YYYY-MM-DD' });
      }
      return;
    case 'datetime':
      if (!((isoDate.test(value) || (isoTimestamp.test(value) && !Number.isNaN(Date.parse(value)))) && realDate(value))) {
        errors.push({ path, message: 'must be a date or an ISO timestamp' });
      }
      return;
    case 'id':
      // A malformed id is a mistake in the request, not a filter that matches nothing.
      if (!idPattern.test(value)) {
        errors.push({ path, message: 'must be an id' });
      }
      return;
    case 'boolean':
      if (value !== 'true' && value !== 'false') {
        errors.push({ path, message: 'must be true or false' });
      }
      return;
    default:
      return;
  }
}

/**
 * Parses `field=…`, `field[op]=…`, `cf.key[op]=…`, `sort=-field`, `limit`, `cursor`, `q`,
 * `count` against an entity's list spec and its workspace's custom fields. Unknown fields or
 * operators are a 400 (never silently ignored); so are hidden fields.
 */
export function parseListQuery(
  raw: RawQuery,
  spec: ListSpec,
  customFields: readonly CustomFieldDefinition[],
  fieldAccess: (field: string) => FieldAccess,
): ParsedList {
  const errors: FieldError[] = [];
  const filters: ParsedFilter[] = [];
  const visible = (permissionField: string | undefined) => permissionField === undefined || fieldAccess(permissionField).access !== 'hidden';
  const masked = (permissionField: string | undefined) => permissionField !== undefined && fieldAccess(permissionField).masked;
  /** The operator's values are well-formed for the type, and a masked field takes whole values only. */
  const checkFilter = (type: string, permissionField: string | undefined, key: string, op: FilterOp, values: readonly string[]): boolean => {
    if (masked(permissionField) && !wholeValueOps.has(op)) {
      errors.push({ path: key, message: 'this field is masked for you: it can be matched only as a whole value (=, in, ne, empty)' });
      return false;
    }
    if (op === 'empty') {
      values.forEach((v) => checkValue('boolean', v, key, errors));
    } else {
      values.forEach((v) => checkValue(type, v, key, errors));
    }
    return true;
  };

  for (const [key, value] of Object.entries(raw)) {
    if (reserved.has(key) || value === undefined) {
      continue;
    }
    const match = keyPattern.exec(key);
    if (!match) {
      errors.push({ path: key, message: 'unknown filter' });
      continue;
    }
    const [, cf, name = '', rawOp] = match;
    const op = (rawOp ?? (asList(value).length > 1 ? 'in' : 'eq')) as FilterOp;
    let values = asList(value);
    if (op === 'in') {
      values = values.flatMap((v) => v.split(',')).filter((v) => v !== '');
      if (values.length === 0 || values.length > 100) {
        errors.push({ path: key, message: 'in takes 1–100 values' });
        continue;
      }
    }
    if (cf) {
      const field = customFields.find((f) => f.key === name);
      if (!field || !visible(`cf.${name}`)) {
        errors.push({ path: key, message: 'unknown custom field' });
        continue;
      }
      if (!operatorsFor(field.type).includes(op)) {
        errors.push({ path: key, message: `operator ${op} does not apply to ${field.type}` });
        continue;
      }
      if (checkFilter(field.type, `cf.${name}`, key, op, values)) {
        filters.push({ target: { kind: 'custom', field }, op, values });
      }
      continue;
    }
    const field = spec.fields.find((f) => f.name === name);
    if (!field || !visible(field.permissionField)) {
      errors.push({ path: key, message: 'unknown filter field' });
      continue;
    }
    if (!operatorsOf(field.type).includes(op)) {
      errors.push({ path: key, message: `operator ${op} does not apply to ${name}` });
      continue;
    }
    if (checkFilter(field.type, field.permissionField, key, op, values)) {
      filters.push({ target: { kind: 'field', field }, op, values });
    }
  }

  const sortRaw = asList(raw.sort)[0] ?? spec.defaultSort;
  const direction = sortRaw.startsWith('-') ? 'desc' : 'asc';
  const sortName = sortRaw.replace(/^[-+]/, '');
  let sort: ParsedSort | undefined;
  if (sortName.startsWith('cf.')) {
    const field = customFields.find((f) => f.key === sortName.slice(3));
    // A masked field does not sort: the order of its hidden parts is what masking hides.
    if (field && field.type !== 'multiSelect' && field.type !== 'longText' && visible(sortName) && !masked(sortName)) {
      sort = { target: { kind: 'custom', field }, direction, name: sortName };
    }
  } else {
    const field = spec.fields.find((f) => f.name === sortName && f.sortable);
    if (field && visible(field.permissionField) && !masked(field.permissionField)) {
      sort = { target: { kind: 'field', field }, direction, name: sortName };
    }
  }
  if (!sort) {
    errors.push({ path: 'sort', message: `cannot sort by ${sortName}` });
  }

  const limitRaw = asList(raw.limit)[0];
  const limit = limitRaw === undefined ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    errors.push({ path: 'limit', message: 'must be 1–200' });
  }
  const q = asList(raw.q)[0]?.trim();
  if (q !== undefined && q.length > 100) {
    errors.push({ path: 'q', message: 'too long' });
  }
  const countRaw = asList(raw.count)[0];
  if (errors.length > 0 || !sort) {
    throw new AppError('unknown_filter', { errors });
  }
  let cursor: ParsedList['cursor'] = null;
  const cursorRaw = asList(raw.cursor)[0];
  if (cursorRaw) {
    cursor = decodeListCursor(cursorRaw, sort.name);
  }
  const qModes = { phone: fieldModeOf(fieldAccess('phone')), email: fieldModeOf(fieldAccess('email')) };
  return { filters, sort, limit, cursor, q: q === '' ? undefined : q, qModes, count: countRaw === 'true' || countRaw === '1' };
}

/** List cursors carry the sort they were made for, so a cursor from another sort is refused. */
export function encodeListCursor(sort: string, value: string | number | null, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: value, id }), 'utf8').toString('base64url');
}

function decodeListCursor(cursor: string, sort: string): { value: string | number | null; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; v?: unknown; id?: unknown };
    const okValue = parsed.v === null || typeof parsed.v === 'string' || typeof parsed.v === 'number';
    if (parsed.s === sort && okValue && typeof parsed.id === 'string' && /^[0-9a-f-]{36}$/.test(parsed.id)) {
      return { value: parsed.v as string | number | null, id: parsed.id };
    }
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', { errors: [{ path: 'cursor', message: 'invalid cursor (or made for another sort)' }] });
}
