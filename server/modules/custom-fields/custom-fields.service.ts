import type { CustomFieldDefinition, CustomFieldOption, CustomFieldType } from '../../../common/custom-fields';
import { customFieldIndexSql, parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError, type FieldError } from '../../http/app-error';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { cached, versionFor } from '../permissions/authz-cache';
import { assertWritableFields, type Permissions } from '../permissions/permissions.service';
import { customizableTable } from './custom-fields.tables';
import { customValueTaken, sharedValues, type UniqueClaim } from './unique-values';
import { validateCustomValues } from './values';
import { deleteFieldRow, insertFieldRow, listFieldRows, updateFieldRow } from './custom-fields.repo';
import type { CreateCustomFieldBody, CustomField, UpdateCustomFieldBody } from './custom-fields.schema';


function toField(row: Awaited<ReturnType<typeof listFieldRows>>[number]): CustomField {
  const options = parseJson(row.options);
  return {
    id: row.id,
    entity: row.entity,
    key: row.key,
    label: row.label,
    type: row.type as CustomFieldType,
    required: row.required === 1,
    unique: row.isUnique === 1,
    options: Array.isArray(options) ? (options as CustomFieldOption[]) : [],
    sort: row.sort,
    version: row.version,
  };
}

export async function listCustomFields(deps: Deps, workspaceId: string, entity: string): Promise<CustomField[]> {
  return (await listFieldRows(deps.db, workspaceId, entity)).map(toField);
}

/**
 * The definitions the value validator and list engine work from. Cached per workspace
 * authorisation version (custom_fields writes bump it, see permissions/authz-cache.ts); pass the
 * caller's permissions to reuse the version their request already read. Shared: never mutate.
 */
export async function customFieldDefinitions(deps: Deps, workspaceId: string, entity: string, permissions?: object): Promise<CustomFieldDefinition[]> {
  const version = await versionFor(deps, workspaceId, permissions);
  return cached(deps, `customFields|${workspaceId}|${version}|${entity}`, async () =>
    (await listCustomFields(deps, workspaceId, entity)).map(({ key, label, type, required, unique, options }) => ({
      key,
      label,
      type,
      required,
      unique,
      options,
    })),
  );
}

async function findField(deps: Deps, workspaceId: string, entity: string, id: string): Promise<CustomField> {
  const field = (await listCustomFields(deps, workspaceId, entity)).find((f) => f.id === id);
  if (!field) {
    throw new AppError('not_found');
  }
  return field;
}

/**
 * Adds a field. Filtering and sorting on it stay fast because an expression index on the value
 * is created with it (shared by workspaces that use the same key; building it on a big table
 * takes a moment, once).
 */
export async function createCustomField(deps: Deps, actor: AuditActor, entity: string, body: CreateCustomFieldBody): Promise<CustomField> {
  const table = customizableTable(entity);
  if (!table) {
    throw new AppError('not_found');
  }
  const existing = await listCustomFields(deps, actor.workspaceId, entity);
  if (existing.some((f) => f.key === body.key)) {
    throw new AppError('conflict', { errors: [{ path: 'key', message: 'a field with this key exists' }] });
  }
  const id = newId();
  const now = nowIso(deps);
  await insertFieldRow(deps.db, {
    id,
    workspaceId: actor.workspaceId,
    entity,
    key: body.key,
    label: body.label,
    type: body.type,
    required: body.required ? 1 : 0,
    isUnique: body.unique ? 1 : 0,
    options: JSON.stringify(body.options),
    sort: body.sort ?? existing.length,
    createdAt: now,
    updatedAt: now,
  });
  if (body.type !== 'longText') {
    await customFieldIndexSql(deps.dialect, table, body.key).execute(deps.db);
  }
  await recordAudit(deps, actor, { action: 'custom_field.created', targetType: 'customField', targetId: id, detail: { entity, key: body.key, type: body.type } });
  return findField(deps, actor.workspaceId, entity, id);
}

/**
 * Turning `unique` on while records already share a value would leave them in conflict with
 * every later save: refused (409 on `unique`) naming a few of the shared values, so the admin
 * can find and fix them first (a list filter `cf.<key>=<value>` shows the holders).
 */
async function assertNoSharedValues(deps: Deps, workspaceId: string, entity: string, key: string): Promise<void> {
  const shared = await sharedValues(deps, workspaceId, entity, key, 3);
  if (shared.length > 0) {
    const examples = shared.map((s) => `${JSON.stringify(s.value)} ×${s.holders}`).join(', ');
    throw new AppError('conflict', { errors: [{ path: 'unique', message: `records already share values of this field, e.g. ${examples}: make them unique first` }] });
  }
}

export async function updateCustomField(deps: Deps, actor: AuditActor, entity: string, id: string, body: UpdateCustomFieldBody, expectedVersion?: number): Promise<CustomField> {
  const before = await findField(deps, actor.workspaceId, entity, id);
  if (body.options && !['singleSelect', 'multiSelect'].includes(before.type) && body.options.length > 0) {
    throw new AppError('validation_failed', { errors: [{ path: 'options', message: 'only select fields have options' }] });
  }
  if (body.unique === true && !before.unique) {
    await assertNoSharedValues(deps, actor.workspaceId, entity, before.key);
  }
  const updated = await updateFieldRow(
    deps.db,
    actor.workspaceId,
    id,
    {
      ...(body.label !== undefined ? { label: body.label } : {}),
      ...(body.required !== undefined ? { required: body.required ? 1 : 0 } : {}),
      ...(body.unique !== undefined ? { isUnique: body.unique ? 1 : 0 } : {}),
      ...(body.options !== undefined ? { options: JSON.stringify(body.options) } : {}),
      ...(body.sort !== undefined ? { sort: body.sort } : {}),
    },
    nowIso(deps),
    expectedVersion,
  );
  if (updated === 0) {
    // findField above proved it exists: another admin changed it since the caller read it.
    throw new AppError('version_mismatch');
  }
  await recordAudit(deps, actor, { action: 'custom_field.updated', targetType: 'customField', targetId: id, detail: { entity, key: before.key, changes: body } });
  return findField(deps, actor.workspaceId, entity, id);
}

/** Removes the definition; stored values stay in the rows but are no longer shown or accepted. */
export async function deleteCustomField(deps: Deps, actor: AuditActor, entity: string, id: string): Promise<void> {
  const field = await findField(deps, actor.workspaceId, entity, id);
  await deleteFieldRow(deps.db, actor.workspaceId, id);
  await recordAudit(deps, actor, { action: 'custom_field.deleted', targetType: 'customField', targetId: id, detail: { entity, key: field.key } });
}

/**
 * Custom fields as permission-catalog fields (`cf.<key>`), so roles can hide or mask them like
 * built-in ones. Phone, email and text-like fields can be masked.
 */
export async function customCatalogFields(deps: Deps, workspaceId: string): Promise<Map<string, { key: string; label: string; mask?: 'phone' | 'email' | 'text' }[]>> {
  const rows = await deps.db.selectFrom('customFields').select(['entity', 'key', 'label', 'type']).where('workspaceId', '=', workspaceId).orderBy('sort').execute();
  const byEntity = new Map<string, { key: string; label: string; mask?: 'phone' | 'email' | 'text' }[]>();
  for (const r of rows) {
    const mask = r.type === 'phone' ? 'phone' : r.type === 'email' ? 'email' : ['text', 'longText', 'url'].includes(r.type) ? 'text' : undefined;
    const list = byEntity.get(r.entity) ?? [];
    list.push({ key: `cf.${r.key}`, label: r.label, ...(mask ? { mask } : {}) });
    byEntity.set(r.entity, list);
  }
  return byEntity;
}

/** Custom values checked for a write: what to store, and what is wrong with them. */
export interface CheckedCustomValues {
  /** The checked values merged over the stored ones. */
  values: Record<string, unknown>;
  /** Values that are invalid in themselves (`custom.<key>`): a 400. */
  errors: FieldError[];
  /** Unique values another live record already holds (`cf.<key>`): a 409, as every duplicate is (api.md). */
  conflicts: FieldError[];
  /** Unique values the write stores and nobody held: claim them in its transaction (claimUniqueValues). */
  claims: UniqueClaim[];
}

/**
 * The custom values of a create (existing = null) or an update: checked against the definitions,
 * unique ones against the other live records of the entity, then merged over the stored values.
 * `noun` names the record in the "already used by another …" conflict.
 */
export async function checkCustomValues(
  deps: Deps,
  workspaceId: string,
  target: { entity: string; noun: string; definitions: readonly CustomFieldDefinition[] },
  input: Record<string, unknown> | undefined,
  existing: { id: string; custom: Record<string, unknown> } | null,
): Promise<CheckedCustomValues> {
  const { values, errors } = validateCustomValues(target.definitions, input ?? {}, { partial: existing !== null });
  const conflicts: FieldError[] = [];
  const claims: UniqueClaim[] = [];
  for (const d of target.definitions) {
    const value = values[d.key];
    if (d.unique && value !== undefined && value !== null && !Array.isArray(value)) {
      if (await customValueTaken(deps, workspaceId, target.entity, d.key, value, existing?.id ?? null)) {
        // Named as field rules and list filters name the field, so a form can show it there.
        conflicts.push({ path: `cf.${d.key}`, message: `already used by another ${target.noun}` });
      } else {
        claims.push({ key: d.key, value });
      }
    }
  }
  return { values: { ...(existing?.custom ?? {}), ...values }, errors, conflicts, claims };
}

/**
 * Ends a write whose fields have problems: 400 validation_failed while anything is invalid (a
 * clash is only worth reporting for a request that is otherwise right), else 409 conflict naming
 * each unique custom value that another record holds.
 */
export function throwIfFieldProblems(errors: readonly FieldError[], conflicts: readonly FieldError[] = []): void {
  if (errors.length > 0) {
    throw new AppError('validation_failed', { errors: [...errors] });
  }
  if (conflicts.length > 0) {
    throw new AppError('conflict', { errors: [...conflicts] });
  }
}

/**
 * checkCustomValues for a caller writing a record: a custom field their field permissions do not
 * let them edit is refused first (403 field_forbidden), as a built-in field would be.
 */
export async function checkWritableCustomValues(
  deps: Deps,
  ctx: { auth: { permissions: Permissions; workspaceId: string }; definitions: readonly CustomFieldDefinition[] },
  entity: string,
  input: Record<string, unknown> | undefined,
  existing: { id: string; custom: Record<string, unknown> } | null,
): Promise<CheckedCustomValues> {
  assertWritableFields(
    ctx.auth.permissions,
    entity,
    Object.keys(input ?? {}).map((k) => `cf.${k}`),
  );
  return checkCustomValues(deps, ctx.auth.workspaceId, { entity, noun: entity, definitions: ctx.definitions }, input, existing);
}
