import type { z } from 'zod';
import type { ScopeFilter } from '../permissions/scope';
import { inScope } from '../permissions/permissions.service';
import type { CustomFieldDefinition } from '../../../common/custom-fields';
import type { Deps } from '../../deps';
import { validateCustomValues } from '../custom-fields/values';
import { picklistDefaults } from '../picklists/picklist-defaults';
import { dateCell, datetimeCell } from './imports.cells';
import { moneyCell, numberCell } from './imports.number-cells';
import type { WallClock } from '../../../common/time-zone';
import type { Mapping } from './imports.mapping';

/** A problem with one cell of a row, as the preview and the errors file show it. */
export interface RowError {
  field: string;
  message: string;
}

/** How a row relates to a record that already exists (or to an earlier row of the same file). */
export interface DuplicateRef {
  id: string | null;
  name: string | null;
  /** Set when the duplicate is an earlier row of the same file. */
  rowNumber: number | null;
  /** The dedupe key that matched (an adapter's dedupeKeys: name, phone, email, …). */
  reason: string;
  /** false: a record outside the importer's data scope — its id and name are not shown. */
  visible: boolean;
}

/** Headers shared by several entities (normalised, see headerKey): spread them into an adapter's headerGuesses. */
export const commonHeaderGuesses = {
  phone: ['电话', '手机', '手机号', '手机号码', '电话号码', '联系电话', '联系方式', '座机', '固话', '移动电话', 'phone', 'mobile', 'tel', 'telephone', 'phonenumber', 'mobilephone', 'cellphone', 'mobilenumber'],
  email: ['邮箱', '电子邮箱', '邮件', '电子邮件', '邮箱地址', 'email', 'mail', 'emailaddress'],
  remark: ['备注', '说明', '描述', '备注信息', 'remark', 'remarks', 'note', 'notes', 'comment', 'comments', 'description'],
} as const satisfies Record<string, readonly string[]>;

export type DuplicateMode = 'skip' | 'update' | 'create';

export interface RowOutcome {
  rowNumber: number;
  cells: string[];
  /** Mapped field → the cell's text. */
  values: Record<string, string>;
  action: 'create' | 'update' | 'skip' | 'fail';
  errors: RowError[];
  duplicateOf?: DuplicateRef;
}

/** The mapped, non-empty cells of a row. */
export function mappedValues(mapping: Mapping, cells: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [index, field] of mapping) {
    const text = cells[index];
    if (text !== undefined && text !== '') {
      values[field] = text;
    }
  }
  return values;
}

/**
 * The start of a row's create body: its name and those of `fields` that have a cell. A field
 * without a cell stays absent, so an update never blanks what the file does not mention.
 */
export function rowBody(values: Record<string, string>, fields: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { name: values.name ?? '' };
  for (const f of fields) {
    if (values[f] !== undefined) {
      body[f] = values[f];
    }
  }
  return body;
}

/** Sets `body[field]` from its cell through a lookup of labels (optionLookup); an unknown label is the row's error. */
export function pickOption(body: Record<string, unknown>, values: Record<string, string>, field: string, lookup: ReadonlyMap<string, string>, message: string, errors: RowError[]): void {
  const text = values[field];
  if (text === undefined) {
    return;
  }
  const value = lookup.get(optionKey(text));
  if (value) {
    body[field] = value;
  } else {
    errors.push({ field, message });
  }
}

/** Sets `body[field]` from a yes/no cell (parseFlag). */
export function pickFlag(body: Record<string, unknown>, values: Record<string, string>, field: string, errors: RowError[]): void {
  const text = values[field];
  if (text === undefined) {
    return;
  }
  const flag = parseFlag(text);
  if (flag === null) {
    errors.push({ field, message: 'must be yes or no (是/否)' });
  } else {
    body[field] = flag;
  }
}

/**
 * Gives the patch the dedupe key column (`phoneKey`, …) of each key field it writes: an update
 * that changes a phone changes its key too, and one without the cell leaves both alone.
 */
export function setKeyColumns(patch: Record<string, string | number | null>, keys: Record<string, string | null>, fields: readonly string[]): void {
  for (const f of fields) {
    if (patch[f] !== undefined) {
      patch[`${f}Key`] = keys[f] ?? null;
    }
  }
}

export function optionKey(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

/**
 * Text → stored value for each option field of an import (`<list>.<field>` picklists): the
 * workspace's active options by value or label, plus their default labels in either language (a
 * sheet written in Chinese imports into an English workspace too).
 */
export function picklistLookups<F extends string>(
  picklists: Readonly<Record<string, readonly { value: string; label: string; active: boolean | number }[]>>,
  list: string,
  fields: readonly F[],
): Record<F, Map<string, string>> {
  return Object.fromEntries(
    fields.map((f) => {
      const active = (picklists[`${list}.${f}`] ?? []).filter((o) => o.active);
      const values = new Set(active.map((o) => o.value));
      const defaults = (picklistDefaults[`${list}.${f}`] ?? []).filter((d) => values.has(d.value)).flatMap((d) => [
        { value: d.value, label: d.zh },
        { value: d.value, label: d.en },
      ]);
      return [f, optionLookup([...active, ...defaults])];
    }),
  ) as Record<F, Map<string, string>>;
}

/**
 * Text → stored value for a list of options, by value or by label, ignoring case and width; a
 * label's bracketed note counts too ("A（重点客户）" is found by "A" and by "重点客户").
 */
export function optionLookup(options: readonly { value: string; label: string }[]): Map<string, string> {
  const lookup = new Map<string, string>();
  const add = (key: string, value: string) => {
    const k = optionKey(key);
    if (k !== '' && !lookup.has(k)) {
      lookup.set(k, value);
    }
  };
  for (const o of options) {
    add(o.value, o.value);
  }
  for (const o of options) {
    add(o.label, o.value);
    const bracket = /^(.*?)[（(](.*?)[)）]\s*$/.exec(o.label);
    if (bracket) {
      add(bracket[1] ?? '', o.value);
      add(bracket[2] ?? '', o.value);
    }
  }
  return lookup;
}

/** Splits a list cell: 标签 "重点, 华东；展会" → three names. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,，;；|、\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

export function zodRowErrors(error: z.ZodError, fieldOf: (path: string) => string = (p) => p): RowError[] {
  return error.issues.map((issue) => ({ field: fieldOf(String(issue.path[0] ?? '')), message: issue.message }));
}

/**
 * A row's built-in fields through the entity's own create schema (the API's validator): the
 * string values it accepted become the row's patch, or its issues become the row's errors.
 */
export function schemaPatch(schema: z.ZodType, body: Record<string, unknown>, errors: RowError[]): Record<string, string | null> {
  const parsed = schema.safeParse(body);
  const patch: Record<string, string | null> = {};
  if (parsed.success) {
    for (const [k, v] of Object.entries(parsed.data as Record<string, unknown>)) {
      if (typeof v === 'string') {
        patch[k] = v;
      }
    }
  } else {
    errors.push(...zodRowErrors(parsed.error));
  }
  return patch;
}

/**
 * The owner a row names in its `owner` cell (email, unique name, or id): an active user who is the
 * importer or within their assign scope. Without the cell, the importer owns the record.
 */
export function rowOwner(
  users: UserLookup,
  text: string | undefined,
  importerId: string | null,
  assign: ScopeFilter | null,
  noun: string,
  errors: RowError[],
): string | null {
  if (text === undefined) {
    return importerId;
  }
  const user = resolveUser(users, text);
  if ('error' in user) {
    errors.push({ field: 'owner', message: user.error });
  } else if (!users.active.has(user.id)) {
    errors.push({ field: 'owner', message: 'this user is inactive' });
  } else if (user.id !== importerId && !(assign && inScope(assign, user.id))) {
    errors.push({ field: 'owner', message: `you may not assign ${noun} to this user` });
  } else {
    return user.id;
  }
  return importerId;
}

export interface UserLookup {
  byEmail: Map<string, string>;
  byName: Map<string, string[]>;
  ids: Set<string>;
  active: Set<string>;
}

export async function loadUsers(deps: Deps, workspaceId: string): Promise<UserLookup> {
  const rows = await deps.db.selectFrom('users').select(['id', 'name', 'email', 'status']).where('workspaceId', '=', workspaceId).execute();
  const lookup: UserLookup = { byEmail: new Map(), byName: new Map(), ids: new Set(), active: new Set() };
  for (const u of rows) {
    lookup.ids.add(u.id);
    if (u.status === 'active') {
      lookup.active.add(u.id);
    }
    lookup.byEmail.set(u.email.toLowerCase(), u.id);
    const key = optionKey(u.name);
    lookup.byName.set(key, [...(lookup.byName.get(key) ?? []), u.id]);
  }
  return lookup;
}

/** A user named in a cell: by email, by name (unique), or by id. */
export function resolveUser(lookup: UserLookup, text: string): { id: string } | { error: string } {
  const trimmed = text.trim();
  if (lookup.ids.has(trimmed)) {
    return { id: trimmed };
  }
  if (trimmed.includes('@')) {
    const id = lookup.byEmail.get(trimmed.toLowerCase());
    return id ? { id } : { error: 'no user with this email' };
  }
  const ids = lookup.byName.get(optionKey(trimmed)) ?? [];
  if (ids.length === 1 && ids[0]) {
    return { id: ids[0] };
  }
  return { error: ids.length === 0 ? 'no user with this name' : 'several users have this name: use the email' };
}

/**
 * Custom values from cells through the one validator the API uses, after turning what a person
 * types into stored values: option labels into option values, user names or emails into ids,
 * dates and numbers as Excel writes them into canonical text (imports.cells.ts), times without a
 * zone read on the workspace's `wallClock`.
 */
export function customFromCells(
  definitions: readonly CustomFieldDefinition[],
  values: Record<string, string>,
  users: UserLookup,
  options: ReadonlyMap<string, Map<string, string>>,
  wallClock: WallClock,
): { values: Record<string, unknown>; errors: RowError[] } {
  const input: Record<string, unknown> = {};
  const errors: RowError[] = [];
  for (const d of definitions) {
    const text = values[`cf.${d.key}`];
    if (text === undefined) {
      continue;
    }
    if (d.type === 'user') {
      const user = resolveUser(users, text);
      if ('error' in user) {
        errors.push({ field: `cf.${d.key}`, message: user.error });
        continue;
      }
      input[d.key] = user.id;
    } else if (d.type === 'singleSelect') {
      input[d.key] = options.get(d.key)?.get(optionKey(text)) ?? text;
    } else if (d.type === 'multiSelect') {
      input[d.key] = splitList(text).map((t) => options.get(d.key)?.get(optionKey(t)) ?? t);
    } else if (d.type === 'date' || d.type === 'datetime' || d.type === 'number' || d.type === 'money') {
      const cell = d.type === 'date' ? dateCell(text) : d.type === 'datetime' ? datetimeCell(text, wallClock) : d.type === 'number' ? numberCell(text) : moneyCell(text);
      if (typeof cell !== 'string') {
        errors.push({ field: `cf.${d.key}`, message: cell.error });
        continue;
      }
      input[d.key] = cell;
    } else {
      input[d.key] = text;
    }
  }
  const checked = validateCustomValues(definitions, input, { partial: true, userExists: (id) => users.ids.has(id) });
  for (const e of checked.errors) {
    errors.push({ field: e.path.replace(/^custom\./, 'cf.'), message: e.message });
  }
  return { values: checked.values, errors };
}

/** Required custom fields a new record lacks (an update keeps what the record has). */
export function missingRequired(definitions: readonly CustomFieldDefinition[], values: Record<string, unknown>): RowError[] {
  return definitions.filter((d) => d.required && (values[d.key] === undefined || values[d.key] === null)).map((d) => ({ field: `cf.${d.key}`, message: 'required' }));
}

export function customOptionLookups(definitions: readonly CustomFieldDefinition[]): Map<string, Map<string, string>> {
  return new Map(definitions.filter((d) => d.type === 'singleSelect' || d.type === 'multiSelect').map((d) => [d.key, optionLookup(d.options)]));
}

/** "是"/"yes"/"true"/"1" and their opposites. */
export function parseFlag(text: string): boolean | null {
  const t = optionKey(text);
  if (['true', '1', 'yes', 'y', '是', '√', '✓'].includes(t)) {
    return true;
  }
  if (['false', '0', 'no', 'n', '否', ''].includes(t)) {
    return false;
  }
  return null;
}

/** The distinct non-empty values of one dedupe key over the rows, in chunks for indexed IN lookups. */
export function keyChunks(rows: readonly { keys: Record<string, string | null> }[], key: string, size = 1000): string[][] {
  return chunked([...new Set(rows.map((p) => p.keys[key]).filter((k): k is string => k !== null && k !== undefined && k !== ''))], size);
}

/** Existing records an import row may match, oldest first (then by id): the first one is the one updated. */
export function oldestFirst<T extends { id: string; createdAt: string }>(records: Iterable<T>): T[] {
  return [...records].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
