import type { Kysely } from 'kysely';
import type { Locale } from '../../../common/locale';
import type { Database } from '../../db/types';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError, type FieldError } from '../../http/app-error';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { defaultLabel, picklistDefaults, picklistKeys, presentedLabel } from './picklist-defaults';

export interface PicklistOption {
  value: string;
  label: string;
  color: string | null;
  active: boolean;
}

/** Gives a workspace the default options of every list it does not have yet. */
export async function seedPicklists(db: Kysely<Database>, workspaceId: string, locale: Locale, now: string): Promise<void> {
  const existing = await db.selectFrom('picklistOptions').select('listKey').distinct().where('workspaceId', '=', workspaceId).execute();
  const have = new Set(existing.map((r) => r.listKey));
  for (const key of picklistKeys) {
    const defaults = picklistDefaults[key] ?? [];
    if (have.has(key) || defaults.length === 0) {
      continue;
    }
    await db
      .insertInto('picklistOptions')
      .values(
        defaults.map((d, sort) => ({
          id: newId(),
          workspaceId,
          listKey: key,
          value: d.value,
          label: defaultLabel(d, locale),
          color: d.color ?? null,
          sort,
          active: 1,
          createdAt: now,
        })),
      )
      .execute();
  }
}

/** At start-up: workspaces created before a list existed get its defaults. */
export async function syncPicklists(db: Kysely<Database>): Promise<void> {
  const workspaces = await db.selectFrom('workspaces').select(['id', 'locale']).execute();
  const now = new Date().toISOString();
  for (const w of workspaces) {
    await seedPicklists(db, w.id, w.locale === 'en' ? 'en' : 'zh-CN', now);
  }
}

export async function listPicklists(deps: Deps, workspaceId: string): Promise<Record<string, PicklistOption[]>> {
  const rows = await deps.db
    .selectFrom('picklistOptions')
    .select(['listKey', 'value', 'label', 'color', 'active'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('listKey')
    .orderBy('sort')
    .orderBy('value')
    .execute();
  const lists: Record<string, PicklistOption[]> = Object.fromEntries(picklistKeys.map((k) => [k, []]));
  for (const r of rows) {
    (lists[r.listKey] ??= []).push({ value: r.value, label: r.label, color: r.color, active: r.active === 1 });
  }
  return lists;
}

/** The lists as a reader of `locale` sees them: seeded labels nobody renamed in that language (presentedLabel). */
export function picklistsIn(lists: Record<string, PicklistOption[]>, locale: Locale): Record<string, PicklistOption[]> {
  return Object.fromEntries(Object.entries(lists).map(([key, options]) => [key, options.map((o) => ({ ...o, label: presentedLabel(key, o.value, o.label, locale) }))]));
}

/** Values of a list that a record may take (inactive ones stay valid on old records only). */
export async function activeValues(deps: Deps, workspaceId: string, listKey: string): Promise<Set<string>> {
  const rows = await deps.db
    .selectFrom('picklistOptions')
    .select('value')
    .where('workspaceId', '=', workspaceId)
    .where('listKey', '=', listKey)
    .where('active', '=', 1)
    .execute();
  return new Set(rows.map((r) => r.value));
}

/**
 * The errors of a write whose option fields (`fields`, each backed by the list `<listPrefix>.<field>`)
 * hold a value that is not an active option. Absent and null values are not checked (the
 * schema has typed them: an option value is a string).
 */
export async function checkPicklistValues(deps: Deps, workspaceId: string, listPrefix: string, body: object, fields: readonly string[]): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const key of fields) {
    const value: unknown = (body as Record<string, unknown>)[key];
    if (typeof value === 'string' && !(await activeValues(deps, workspaceId, `${listPrefix}.${key}`)).has(value)) {
      errors.push({ path: key, message: 'not one of the configured options' });
    }
  }
  return errors;
}

/**
 * Replaces a list. Values in use keep working: an option removed from the list is kept,
 * deactivated, so old records still show its label.
 */
export async function replacePicklist(
  deps: Deps,
  actor: AuditActor,
  listKey: string,
  options: { value: string; label: string; color?: string | null | undefined; active?: boolean | undefined }[],
): Promise<PicklistOption[]> {
  if (!picklistKeys.includes(listKey)) {
    throw new AppError('not_found');
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('picklistOptions').select(['value']).where('workspaceId', '=', actor.workspaceId).where('listKey', '=', listKey).execute();
    const incoming = new Set(options.map((o) => o.value));
    for (const old of current) {
      if (!incoming.has(old.value)) {
        await trx
          .updateTable('picklistOptions')
          .set({ active: 0, sort: 10_000 })
          .where('workspaceId', '=', actor.workspaceId)
          .where('listKey', '=', listKey)
          .where('value', '=', old.value)
          .execute();
      }
    }
    for (const [sort, o] of options.entries()) {
      const values = { label: o.label, color: o.color ?? null, sort, active: o.active === false ? 0 : 1 };
      const updated = await trx
        .updateTable('picklistOptions')
        .set(values)
        .where('workspaceId', '=', actor.workspaceId)
        .where('listKey', '=', listKey)
        .where('value', '=', o.value)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        await trx
          .insertInto('picklistOptions')
          .values({ id: newId(), workspaceId: actor.workspaceId, listKey, value: o.value, createdAt: now, ...values })
          .execute();
      }
    }
  });
  await recordAudit(deps, actor, { action: 'picklist.updated', targetType: 'picklist', targetId: listKey, detail: { options } });
  return (await listPicklists(deps, actor.workspaceId))[listKey] ?? [];
}
