import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import {
  containsInsensitive,
  customFieldHas,
  customFieldRef,
  customFieldText,
  customFieldValue,
  type DialectName,
} from '../db/dialect';
import { parseMoney } from '../../common/money';
import type { ParsedFilter, ParsedList, ParsedSort } from './list-spec';

type Bool = Expression<SqlBool>;

function and(parts: Bool[]): Bool {
  if (parts.length === 0) {
    return sql<SqlBool>`1 = 1`;
  }
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

function coerce(type: string, value: string): string | number | boolean {
  if (type === 'money') {
    return parseMoney(value) ?? 0;
  }
  if (type === 'number') {
    return Number(value);
  }
  if (type === 'boolean') {
    return value === 'true';
  }
  return value;
}

/** Dates compare with datetimes by their day: `createdAt[lte]=2026-01-31` includes that whole day. */
function boundary(type: string, op: string, value: string): string {
  if (type === 'datetime' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (op === 'lte' || op === 'gt') {
      return new Date(`${value}T23:59:59.999Z`).toISOString();
    }
    return new Date(`${value}T00:00:00.000Z`).toISOString();
  }
  if (type === 'datetime') {
    return new Date(value).toISOString();
  }
  return value;
}

const comparison: Record<string, string> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/**
 * The key a filter pins (ListField.keyedBy with `eq`/`in`): the stored key is a function of the
 * column, so `column = v` implies `key = key(v)`, a term the key's index can seek.
 */
export function pinnedKey(f: ParsedFilter): { column: string; keys: string[] } | null {
  const keyed = f.target.kind === 'field' ? f.target.field.keyedBy : undefined;
  if (!keyed || (f.op !== 'eq' && f.op !== 'in')) {
    return null;
  }
  return { column: keyed.column, keys: [...new Set(f.values.map((v) => keyed.key(v)))] };
}

function filterExpression(dialect: DialectName, customColumn: string, f: ParsedFilter): Bool {
  const exact = columnFilter(dialect, customColumn, f);
  const pinned = pinnedKey(f);
  const plain = pinned ? and([sql<SqlBool>`${sql.ref(pinned.column)} in (${sql.join(pinned.keys)})`, exact]) : exact;
  const holds = f.target.kind === 'field' ? f.target.field.holds : undefined;
  if (!holds) {
    return plain;
  }
  // The value is the column where `holds`, else empty: a test that empty passes (`ne`, `empty`)
  // also passes where it does not hold; every other test needs it to hold.
  const emptyPasses = f.op === 'ne' || (f.op === 'empty' && f.values[0] !== 'false');
  return emptyPasses ? sql<SqlBool>`(${plain} or not ${holds})` : sql<SqlBool>`(${plain} and ${holds})`;
}

/** The filter on the column's (or custom field's) stored value. */
function columnFilter(dialect: DialectName, customColumn: string, f: ParsedFilter): Bool {
  if (f.target.kind === 'field') {
    const { column, type } = f.target.field;
    const ref = sql.ref(column);
    if (f.op === 'empty') {
      // Before the value conversion: `[empty]=true` is not a date.
      return f.values[0] === 'false' ? sql<SqlBool>`${ref} is not null` : sql<SqlBool>`${ref} is null`;
    }
    const values = f.values.map((v) => (type === 'boolean' ? (v === 'true' ? 1 : 0) : type === 'number' ? Number(v) : type === 'money' ? (parseMoney(v) ?? 0) : boundary(type, f.op, v)));
    switch (f.op) {
      case 'contains':
        return containsInsensitive(dialect, column, f.values[0] ?? '');
      case 'in':
        return sql<SqlBool>`${ref} in (${sql.join(values)})`;
      case 'ne':
        return sql<SqlBool>`(${ref} is null or ${ref} <> ${values[0]})`;
      default:
        return sql<SqlBool>`${ref} ${sql.raw(comparison[f.op] ?? '=')} ${values[0]}`;
    }
  }
  const { key, type } = f.target.field;
  const ref = customFieldRef(dialect, customColumn, key);
  switch (f.op) {
    case 'empty':
      return f.values[0] === 'false' ? sql<SqlBool>`${ref} is not null` : sql<SqlBool>`${ref} is null`;
    case 'contains':
      if (type === 'multiSelect') {
        return and(f.values.map((v) => customFieldHas(dialect, customColumn, key, v)));
      }
      return containsText(dialect, customFieldText(dialect, customColumn, key), f.values[0] ?? '');
    case 'in':
      return sql<SqlBool>`${ref} in (${sql.join(f.values.map((v) => customFieldValue(dialect, coerce(type, v))))})`;
    case 'ne':
      return sql<SqlBool>`(${ref} is null or ${ref} <> ${customFieldValue(dialect, coerce(type, f.values[0] ?? ''))})`;
    default:
      return sql<SqlBool>`${ref} ${sql.raw(comparison[f.op] ?? '=')} ${customFieldValue(dialect, coerce(type, f.values[0] ?? ''))}`;
  }
}

function containsText(dialect: DialectName, text: RawBuilder<string>, needle: string): Bool {
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return dialect === 'postgres' ? sql<SqlBool>`${text} ilike ${pattern} escape '\\'` : sql<SqlBool>`${text} like ${pattern} escape '\\'`;
}

export function filtersExpression(dialect: DialectName, customColumn: string, filters: readonly ParsedFilter[]): Bool {
  return and(filters.map((f) => filterExpression(dialect, customColumn, f)));
}

export function sortExpression(dialect: DialectName, customColumn: string, sort: ParsedSort): RawBuilder<unknown> {
  if (sort.target.kind === 'custom') {
    return customFieldRef(dialect, customColumn, sort.target.field.key);
  }
  const field = sort.target.field;
  return sql`${sql.ref(field.sortBy?.column ?? field.column)}`;
}

function isNullable(sort: ParsedSort): boolean {
  return sort.target.kind === 'custom' || sort.target.field.nullable;
}

/**
 * Keyset condition and ORDER BY for a sort. Nullable sorts put NULLs last in both directions
 * (the two dialects disagree on the default), by ordering on `x is null` first.
 */
export function keyset(dialect: DialectName, customColumn: string, idColumn: string, list: Pick<ParsedList, 'sort' | 'cursor'>) {
  const { sort, cursor } = list;
  const x = sortExpression(dialect, customColumn, sort);
  const id = sql.ref(idColumn);
  const dir = sort.direction === 'desc' ? sql.raw('desc') : sql.raw('asc');
  const cmp = sort.direction === 'desc' ? sql.raw('<') : sql.raw('>');
  const nullable = isNullable(sort);
  const orderBy = nullable
    ? sql`(case when ${x} is null then 1 else 0 end), ${x} ${dir}, ${id} ${dir}`
    : sql`${x} ${dir}, ${id} ${dir}`;
  let condition: Bool | null = null;
  if (cursor) {
    const value = sort.target.kind === 'custom' && cursor.value !== null ? customFieldValue(dialect, cursor.value) : sql`${cursor.value}`;
    if (cursor.value === null) {
      condition = sql<SqlBool>`(${x} is null and ${id} ${cmp} ${cursor.id})`;
    } else if (nullable) {
      condition = sql<SqlBool>`(${x} is null or ${x} ${cmp} ${value} or (${x} = ${value} and ${id} ${cmp} ${cursor.id}))`;
    } else {
      // The leading `x <= v` (desc) / `x >= v` (asc) is implied by the rest, but it is what lets the
      // planner seek into the sort index instead of walking it from the first row: without it a
      // deep page (an export's 500th) reads every row before it.
      const bound = sort.direction === 'desc' ? sql.raw('<=') : sql.raw('>=');
      condition = sql<SqlBool>`(${x} ${bound} ${value} and (${x} ${cmp} ${value} or (${x} = ${value} and ${id} ${cmp} ${cursor.id})))`;
    }
  }
  return { orderBy, condition };
}
