import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { formatMoney, parseMoney } from '../../../common/money';
import type { FieldError } from '../../http/app-error';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phone = /^\+?[0-9][0-9 ()-]{3,38}$/;

type Value = string | number | boolean | string[] | null;

/**
 * Checks and normalises custom field values against their definitions: the one place that
 * decides what a valid value is, for forms, the API and import alike. Money is kept as a
 * decimal string with two digits, so sums never drift.
 */
export function validateCustomValues(
  definitions: readonly CustomFieldDefinition[],
  input: Record<string, unknown>,
  options: { partial: boolean; userExists?: (id: string) => boolean },
): { values: Record<string, Value>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const values: Record<string, Value> = {};
  for (const key of Object.keys(input)) {
    if (!definitions.some((d) => d.key === key)) {
      errors.push({ path: `custom.${key}`, message: 'unknown custom field' });
    }
  }
  for (const d of definitions) {
    const path = `custom.${d.key}`;
    if (!(d.key in input)) {
      if (!options.partial && d.required) {
        errors.push({ path, message: 'required' });
      }
      continue;
    }
    const raw = input[d.key];
    if (raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0)) {
      if (d.required) {
        errors.push({ path, message: 'required' });
      } else {
        values[d.key] = null;
      }
      continue;
    }
    const result = normaliseOne(d, raw, options.userExists);
    if (typeof result === 'object' && result !== null && 'error' in result) {
      errors.push({ path, message: result.error });
    } else {
      values[d.key] = result;
    }
  }
  return { values, errors };
}

function normaliseOne(d: CustomFieldDefinition, raw: unknown, userExists?: (id: string) => boolean): Value | { error: string } {
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : null;
  switch (d.type) {
    case 'text':
    case 'phone':
    case 'email':
    case 'url': {
      if (text === null || text.length > 500) {
        return { error: 'must be text of at most 500 characters' };
      }
      if (d.type === 'email' && !email.test(text)) {
        return { error: 'must be an email' };
      }
      if (d.type === 'phone' && !phone.test(text)) {
        return { error: 'must be a phone number' };
      }
      if (d.type === 'url' && !/^https?:\/\/\S+$/i.test(text)) {
        return { error: 'must be an http(s) URL' };
      }
      return d.type === 'email' ? text.toLowerCase() : text;
    }
    case 'longText':
      return text !== null && text.length <= 10_000 ? text : { error: 'must be text of at most 10000 characters' };
    case 'number': {
      const n = typeof raw === 'number' ? raw : text !== null && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
      return Number.isFinite(n) && Math.abs(n) < 1e15 ? n : { error: 'must be a number' };
    }
    case 'money': {
      const cents = text === null ? null : parseMoney(text);
      return cents === null ? { error: 'must be an amount with at most 2 decimals' } : cents;
    }
    case 'date':
      return text !== null && isoDate.test(text) && !Number.isNaN(Date.parse(text)) ? text : { error: 'must be a date YYYY-MM-DD' };
    case 'datetime':
      return text !== null && !Number.isNaN(Date.parse(text)) ? new Date(text).toISOString() : { error: 'must be an ISO timestamp' };
    case 'singleSelect':
      return text !== null && d.options.some((o) => o.value === text) ? text : { error: 'not one of the options' };
    case 'multiSelect': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[,，;；]/).map((s) => s.trim()) : null;
      if (!list || list.some((v) => typeof v !== 'string' || !d.options.some((o) => o.value === v))) {
        return { error: 'not all values are options' };
      }
      return [...new Set(list as string[])];
    }
    case 'user':
      return text !== null && (userExists ? userExists(text) : true) ? text : { error: 'no such user' };
    case 'boolean':
      if (typeof raw === 'boolean') {
        return raw;
      }
      if (text !== null && ['true', '1', 'yes', '是'].includes(text.toLowerCase())) {
        return true;
      }
      if (text !== null && ['false', '0', 'no', '否'].includes(text.toLowerCase())) {
        return false;
      }
      return { error: 'must be true or false' };
  }
}

/** Stored values → API values: money cents become "1234.50"; fields no longer defined are dropped. */
export function presentCustomValues(definitions: readonly CustomFieldDefinition[], stored: unknown): Record<string, Value> {
  const source = typeof stored === 'object' && stored !== null ? (stored as Record<string, Value>) : {};
  const out: Record<string, Value> = {};
  for (const d of definitions) {
    const value = source[d.key];
    if (value === undefined) {
      continue;
    }
    out[d.key] = d.type === 'money' && typeof value === 'number' ? formatMoney(value) : value;
  }
  return out;
}
