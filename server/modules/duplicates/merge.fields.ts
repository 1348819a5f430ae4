import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { AppError, type FieldError } from '../../http/app-error';

/**
 * The fields a merge lets the caller choose per customer: `name`, built-in fields, `address`
 * (province, city, district and street together), `ownerId`, and custom fields as `cf.<key>`.
 * Pure functions over plain rows, so the rules are unit-tested without a database.
 */
export interface MergeField {
  field: string;
  /** Row properties the choice copies. */
  columns: readonly string[];
  /** The field-permission catalog field (null: not governed), or `cf.<key>`. */
  permissionField: string | null;
}

const builtIn: readonly MergeField[] = [
  { field: 'name', columns: ['name'], permissionField: null },
  { field: 'kind', columns: ['kind'], permissionField: null },
  { field: 'phone', columns: ['phone'], permissionField: 'phone' },
  { field: 'email', columns: ['email'], permissionField: 'email' },
  { field: 'website', columns: ['website'], permissionField: 'website' },
  { field: 'level', columns: ['level'], permissionField: 'level' },
  { field: 'source', columns: ['source'], permissionField: 'source' },
  { field: 'industry', columns: ['industry'], permissionField: 'industry' },
  { field: 'lifecycleStage', columns: ['lifecycleStage'], permissionField: 'lifecycleStage' },
  { field: 'address', columns: ['province', 'city', 'district', 'address'], permissionField: 'address' },
  { field: 'remark', columns: ['remark'], permissionField: 'remark' },
  { field: 'ownerId', columns: ['ownerId'], permissionField: 'owner' },
];

export function mergeFields(definitions: readonly CustomFieldDefinition[]): MergeField[] {
  return [...builtIn, ...definitions.map((d) => ({ field: `cf.${d.key}`, columns: [`cf.${d.key}`], permissionField: `cf.${d.key}` }))];
}

/** A merge row: built-in columns plus the parsed custom values. */
export type MergeRow = { id: string; custom: Record<string, unknown> } & Record<string, unknown>;

/** The value of a field on a row (an object for multi-column fields like the address). */
export function fieldValue(row: MergeRow, field: MergeField): unknown {
  const read = (column: string) => (column.startsWith('cf.') ? (row.custom[column.slice(3)] ?? null) : (row[column] ?? null));
  if (field.columns.length === 1) {
    return read(field.columns[0] as string);
  }
  return Object.fromEntries(field.columns.map((c) => [c, read(c)]));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Fields on which the customers disagree: what the preview asks the caller to choose. */
export function differingFields(fields: readonly MergeField[], rows: readonly MergeRow[]): MergeField[] {
  return fields.filter((f) => {
    const values = rows.map((r) => fieldValue(r, f));
    return values.some((v) => !same(v, values[0]));
  });
}

export interface ResolvedChoices {
  /** Built-in column → chosen value (only what differs from the target). */
  columns: Record<string, unknown>;
  /** Custom key → chosen value (only what differs from the target). */
  custom: Record<string, unknown>;
  /** Fields whose chosen value differs from the target's: these are writes the caller needs rights for. */
  changed: MergeField[];
}

/**
 * Turns `{field: customerId}` into what changes on the target. Unknown fields and customers that
 * are not part of the merge are validation errors; choosing the target (or an equal value) is a no-op.
 */
export function resolveChoices(fields: readonly MergeField[], target: MergeRow, sources: readonly MergeRow[], choices: Record<string, string>): ResolvedChoices {
  const byField = new Map(fields.map((f) => [f.field, f]));
  const rows = new Map([target, ...sources].map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  const out: ResolvedChoices = { columns: {}, custom: {}, changed: [] };
  for (const [name, customerId] of Object.entries(choices)) {
    const field = byField.get(name);
    const row = rows.get(customerId);
    if (!field) {
      errors.push({ path: `fields.${name}`, message: 'not a field that can be merged' });
      continue;
    }
    if (!row) {
      errors.push({ path: `fields.${name}`, message: 'not one of the customers being merged' });
      continue;
    }
    if (row.id === target.id || same(fieldValue(row, field), fieldValue(target, field))) {
      continue;
    }
    out.changed.push(field);
    for (const column of field.columns) {
      const value = fieldValue(row, { ...field, columns: [column] });
      if (column.startsWith('cf.')) {
        out.custom[column.slice(3)] = value;
      } else {
        out.columns[column] = value;
      }
    }
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', { errors });
  }
  return out;
}

export interface Collaborator {
  userId: string;
  access: 'read' | 'write';
  expiresAt: string | null;
}

/**
 * Collaborators of all merged customers on the target: one entry per user with the widest
 * access and the latest expiry (none = never), and never the owner (who needs no sharing).
 */
export function mergeCollaborators(lists: readonly (readonly Collaborator[])[], ownerId: string | null): Collaborator[] {
  const merged = new Map<string, Collaborator>();
  for (const c of lists.flat()) {
    if (c.userId === ownerId) {
      continue;
    }
    const prior = merged.get(c.userId);
    if (!prior) {
      merged.set(c.userId, { ...c });
      continue;
    }
    merged.set(c.userId, {
      userId: c.userId,
      access: prior.access === 'write' || c.access === 'write' ? 'write' : 'read',
      expiresAt: prior.expiresAt === null || c.expiresAt === null ? null : prior.expiresAt > c.expiresAt ? prior.expiresAt : c.expiresAt,
    });
  }
  return [...merged.values()].sort((a, b) => a.userId.localeCompare(b.userId));
}

/** Follow-up summary of the merged customer: the latest follow-up, and the soonest next one. */
export function mergeFollowups(rows: readonly { lastFollowupAt: string | null; lastFollowupContent: string | null; nextFollowupAt: string | null }[]) {
  let last: (typeof rows)[number] | undefined;
  let next: string | null = null;
  for (const r of rows) {
    if (r.lastFollowupAt !== null && (last?.lastFollowupAt == null || r.lastFollowupAt > last.lastFollowupAt)) {
      last = r;
    }
    if (r.nextFollowupAt !== null && (next === null || r.nextFollowupAt < next)) {
      next = r.nextFollowupAt;
    }
  }
  return { lastFollowupAt: last?.lastFollowupAt ?? null, lastFollowupContent: last?.lastFollowupContent ?? null, nextFollowupAt: next };
}
