import type { Kysely } from 'kysely';
import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import { parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import type { CustomersTable, Database } from '../../db/types';
import { customValueTaken } from '../custom-fields/custom-fields.service';
import { customerContext } from '../customers/customers.context';
import { createCustomerBody } from '../customers/customers.schema';
import { can, inScope } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';
import { picklistDefaults } from '../picklists/picklist-defaults';
import { listPicklists } from '../picklists/picklists.service';
import { reindexCustomers } from '../search/search.index';
import { BulkInsert } from './bulk-insert';
import type { BatchPlan, EntityImporter, ImportRun } from './imports.batch';
import type { SourceRow } from './imports.files';
import {
  chunked,
  customFromCells,
  customOptionLookups,
  type DuplicateRef,
  loadUsers,
  mappedValues,
  missingRequired,
  optionKey,
  optionLookup,
  resolveUser,
  type RowError,
  type RowOutcome,
  splitList,
  zodRowErrors,
} from './imports.values';

const customerColumns = [
  'id',
  'workspaceId',
  'name',
  'nameKey',
  'kind',
  'phone',
  'phoneKey',
  'email',
  'emailKey',
  'website',
  'level',
  'source',
  'industry',
  'lifecycleStage',
  'dealStatus',
  'ownerId',
  'locked',
  'province',
  'city',
  'district',
  'address',
  'primaryContactId',
  'remark',
  'lastFollowupAt',
  'lastFollowupContent',
  'nextFollowupAt',
  'ownerSince',
  'custom',
  'createdBy',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'deletedBy',
  'version',
] as const satisfies readonly (keyof CustomersTable)[];

const insertCustomers = new BulkInsert('customers', customerColumns);
const insertRecordTags = new BulkInsert('recordTags', ['workspaceId', 'entity', 'recordId', 'tagId']);

type CustomerRecord = Record<(typeof customerColumns)[number], string | number | null>;

const kinds = optionLookup([
  { value: 'company', label: '公司' },
  { value: 'company', label: '企业' },
  { value: 'company', label: '单位' },
  { value: 'company', label: 'organization' },
  { value: 'company', label: '企业客户' },
  { value: 'person', label: '个人' },
  { value: 'person', label: '个人客户' },
  { value: 'person', label: 'individual' },
]);

const stages = optionLookup([
  { value: 'prospect', label: '潜在' },
  { value: 'prospect', label: '潜在客户' },
  { value: 'intent', label: '意向' },
  { value: 'intent', label: '意向客户' },
  { value: 'customer', label: '成交' },
  { value: 'customer', label: '成交客户' },
  { value: 'loyal', label: '忠诚' },
  { value: 'loyal', label: '忠诚客户' },
  { value: 'churned', label: '流失' },
  { value: 'churned', label: '流失客户' },
]);

const textFields = ['phone', 'email', 'website', 'province', 'city', 'district', 'address', 'remark'] as const;
const picklistFields = ['level', 'source', 'industry'] as const;

interface Prepared {
  row: SourceRow;
  values: Record<string, string>;
  errors: RowError[];
  /** Validated built-in fields present in the row. */
  fields: Record<string, string>;
  ownerId: string | null;
  tagNames: string[];
  custom: Record<string, unknown>;
  keys: { name: string; phone: string | null; email: string | null };
}

interface Existing {
  id: string;
  name: string;
  ownerId: string | null;
  custom: unknown;
  createdAt: string;
}

type Target = { kind: 'existing'; existing: Existing } | { kind: 'new'; record: CustomerRecord; tagNames: Set<string>; rowNumber: number };

function reasonOf(key: 'name' | 'phone' | 'email'): DuplicateRef['reason'] {
  return key;
}

/**
 * Customers from rows: the API's validator per row (same zod schema, picklists, custom field
 * rules), duplicates by normalised name / phone / email against the workspace (indexed lookups
 * per batch) and earlier rows of the batch, then multi-row INSERTs.
 */
export async function customerImporter(run: ImportRun): Promise<EntityImporter> {
  const { deps, auth, mapping } = run;
  const workspaceId = auth.workspaceId;
  const [ctx, picklists, users, tagRows] = await Promise.all([
    customerContext(deps, auth, ['edit', 'assign']),
    listPicklists(deps, workspaceId),
    loadUsers(deps, workspaceId),
    deps.db.selectFrom('tags').select(['id', 'name']).where('workspaceId', '=', workspaceId).execute(),
  ]);
  const definitions: CustomFieldDefinition[] = ctx.definitions;
  const mappedCustom = definitions.filter((d) => [...mapping.values()].includes(`cf.${d.key}`));
  const customOptions = customOptionLookups(definitions);
  // An option is found by its value, its label, or its default label in either language (a
  // sheet written in Chinese imports into an English workspace too).
  const lookups = Object.fromEntries(
    picklistFields.map((f) => {
      const active = (picklists[`customer.${f}`] ?? []).filter((o) => o.active);
      const values = new Set(active.map((o) => o.value));
      const defaults = (picklistDefaults[`customer.${f}`] ?? []).filter((d) => values.has(d.value)).flatMap((d) => [
        { value: d.value, label: d.zh },
        { value: d.value, label: d.en },
      ]);
      return [f, optionLookup([...active, ...defaults])];
    }),
  ) as Record<(typeof picklistFields)[number], Map<string, string>>;
  const tags = new Map(tagRows.map((t) => [optionKey(t.name), t.id]));
  const canCreateTags = can(auth.permissions, 'tag:create');
  const assign: ScopeFilter | null = ctx.scopes.assign ?? null;
  const edit: ScopeFilter | null = ctx.scopes.edit ?? null;
  const view = ctx.visibility.scope;

  function prepare(row: SourceRow): Prepared {
    const values = mappedValues(mapping, row.cells);
    const errors: RowError[] = [];
    const body: Record<string, unknown> = { name: values.name ?? '' };
    for (const f of textFields) {
      if (values[f] !== undefined) {
        body[f] = values[f];
      }
    }
    if (values.kind !== undefined) {
      const kind = kinds.get(optionKey(values.kind));
      if (kind) {
        body.kind = kind;
      } else {
        errors.push({ field: 'kind', message: 'must be company or person (公司/个人)' });
      }
    }
    if (values.lifecycleStage !== undefined) {
      const stage = stages.get(optionKey(values.lifecycleStage));
      if (stage) {
        body.lifecycleStage = stage;
      } else {
        errors.push({ field: 'lifecycleStage', message: 'not a lifecycle stage' });
      }
    }
    for (const f of picklistFields) {
      const text = values[f];
      if (text !== undefined) {
        const value = lookups[f].get(optionKey(text));
        if (value) {
          body[f] = value;
        } else {
          errors.push({ field: f, message: 'not one of the configured options' });
        }
      }
    }
    const parsed = createCustomerBody.safeParse(body);
    const fields: Record<string, string> = {};
    if (parsed.success) {
      for (const [k, v] of Object.entries(parsed.data)) {
        if (typeof v === 'string') {
          fields[k] = v;
        }
      }
    } else {
      errors.push(...zodRowErrors(parsed.error));
    }
    let ownerId = auth.userId;
    if (values.owner !== undefined) {
      const user = resolveUser(users, values.owner);
      if ('error' in user) {
        errors.push({ field: 'owner', message: user.error });
      } else if (!users.active.has(user.id)) {
        errors.push({ field: 'owner', message: 'this user is inactive' });
      } else if (user.id !== auth.userId && !(assign && inScope(assign, user.id))) {
        errors.push({ field: 'owner', message: 'you may not assign customers to this user' });
      } else {
        ownerId = user.id;
      }
    }
    const tagNames: string[] = [];
    for (const name of values.tags === undefined ? [] : splitList(values.tags)) {
      if (name.length > 50) {
        errors.push({ field: 'tags', message: 'a tag name has at most 50 characters' });
      } else if (!tags.has(optionKey(name)) && !canCreateTags) {
        errors.push({ field: 'tags', message: `no tag named ${name}` });
      } else {
        tagNames.push(name);
      }
    }
    const custom = mappedCustom.length > 0 ? customFromCells(mappedCustom, values, users, customOptions) : { values: {}, errors: [] };
    errors.push(...custom.errors);
    const name = fields.name ?? '';
    return {
      row,
      values,
      errors,
      fields,
      ownerId,
      tagNames,
      custom: custom.values,
      keys: { name: companyKey(name), phone: phoneKey(fields.phone), email: emailKey(fields.email) },
    };
  }

  function newRecord(p: Prepared): CustomerRecord {
    const f = p.fields;
    return {
      id: newId(),
      workspaceId,
      name: f.name ?? '',
      nameKey: p.keys.name,
      kind: f.kind ?? 'company',
      phone: f.phone ?? null,
      phoneKey: p.keys.phone,
      email: f.email ?? null,
      emailKey: p.keys.email,
      website: f.website ?? null,
      level: f.level ?? null,
      source: f.source ?? null,
      industry: f.industry ?? null,
      lifecycleStage: f.lifecycleStage ?? 'prospect',
      dealStatus: 'none',
      ownerId: p.ownerId,
      locked: 0,
      province: f.province ?? null,
      city: f.city ?? null,
      district: f.district ?? null,
      address: f.address ?? null,
      primaryContactId: null,
      remark: f.remark ?? null,
      lastFollowupAt: null,
      lastFollowupContent: null,
      nextFollowupAt: null,
      ownerSince: p.ownerId ? run.now : null,
      custom: JSON.stringify(p.custom),
      createdBy: auth.userId,
      createdAt: run.now,
      updatedAt: run.now,
      deletedAt: null,
      deletedBy: null,
      version: 1,
    };
  }

  /** Built-in columns an update sets: only cells that have a value (an empty cell never blanks data). */
  function updatePatch(p: Prepared): Record<string, string | null> {
    const patch: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(p.fields)) {
      patch[k] = v;
    }
    if (p.fields.name !== undefined) {
      patch.nameKey = p.keys.name;
    }
    if (p.fields.phone !== undefined) {
      patch.phoneKey = p.keys.phone;
    }
    if (p.fields.email !== undefined) {
      patch.emailKey = p.keys.email;
    }
    return patch;
  }

  async function findExisting(db: Kysely<Database>, prepared: readonly Prepared[]) {
    const byKey = { name: new Map<string, Existing>(), phone: new Map<string, Existing>(), email: new Map<string, Existing>() };
    const columns = { name: 'nameKey', phone: 'phoneKey', email: 'emailKey' } as const;
    for (const key of ['name', 'phone', 'email'] as const) {
      const wanted = [...new Set(prepared.map((p) => p.keys[key]).filter((k): k is string => k !== null && k !== ''))];
      for (const part of chunked(wanted, 1000)) {
        // No ORDER BY: it could tempt the planner into walking a created_at index over the
        // whole workspace. The oldest match is picked here instead.
        const rows = await db
          .selectFrom('customers')
          .select(['id', 'name', 'ownerId', 'custom', 'nameKey', 'phoneKey', 'emailKey', 'createdAt'])
          .where('workspaceId', '=', workspaceId)
          .where('deletedAt', 'is', null)
          .where(columns[key], 'in', part)
          .execute();
        for (const r of rows) {
          const k = r[columns[key]];
          const known = k ? byKey[key].get(k) : undefined;
          if (k && (!known || r.createdAt < known.createdAt || (r.createdAt === known.createdAt && r.id < known.id))) {
            byKey[key].set(k, { id: r.id, name: r.name, ownerId: r.ownerId, custom: r.custom, createdAt: r.createdAt });
          }
        }
      }
    }
    return byKey;
  }

  /** Collaborations of the importer on these customers: read ones make them visible, write ones editable. */
  async function collaborations(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, 'read' | 'write'>> {
    const out = new Map<string, 'read' | 'write'>();
    if (!auth.userId || ids.length === 0) {
      return out;
    }
    for (const part of chunked(ids, 1000)) {
      const rows = await db
        .selectFrom('customerCollaborators')
        .select(['customerId', 'access', 'expiresAt'])
        .where('workspaceId', '=', workspaceId)
        .where('userId', '=', auth.userId)
        .where('customerId', 'in', part)
        .execute();
      for (const r of rows) {
        if (r.expiresAt === null || r.expiresAt > run.now) {
          out.set(r.customerId, r.access);
        }
      }
    }
    return out;
  }

  async function uniqueCustomErrors(db: Kysely<Database>, p: Prepared, excludeId: string | null, seen: Map<string, number>): Promise<RowError[]> {
    const errors: RowError[] = [];
    for (const d of mappedCustom) {
      const value = p.custom[d.key];
      if (!d.unique || value === undefined || value === null || Array.isArray(value) || typeof value === 'object') {
        continue;
      }
      const token = `${d.key}\u0000${JSON.stringify(value)}`;
      const earlier = seen.get(token);
      if (earlier !== undefined) {
        errors.push({ field: `cf.${d.key}`, message: `same value as row ${earlier}` });
      } else if (await customValueTaken({ ...deps, db }, workspaceId, 'customer', d.key, value as string | number | boolean, excludeId)) {
        errors.push({ field: `cf.${d.key}`, message: 'already used by another customer' });
      } else {
        seen.set(token, p.row.rowNumber);
      }
    }
    return errors;
  }

  async function plan(db: Kysely<Database>, rows: readonly SourceRow[], options: { preview: boolean }): Promise<BatchPlan> {
    const prepared = rows.map(prepare);
    const valid = prepared.filter((p) => p.errors.length === 0);
    const lookForDuplicates = run.duplicateMode !== 'create' || options.preview;
    const existing = lookForDuplicates ? await findExisting(db, valid) : null;
    const matchedIds = existing ? [...new Set([...existing.name.values(), ...existing.phone.values(), ...existing.email.values()].map((e) => e.id))] : [];
    const shared = await collaborations(db, matchedIds);
    const inBatch = { name: new Map<string, Target>(), phone: new Map<string, Target>(), email: new Map<string, Target>() };
    const creates: { record: CustomerRecord; tagNames: Set<string> }[] = [];
    const updates = new Map<string, { patch: Record<string, string | null>; custom: Record<string, unknown>; tagNames: Set<string> }>();
    const uniqueSeen = new Map<string, number>();
    const outcomes: RowOutcome[] = [];

    for (const p of prepared) {
      const outcome: RowOutcome = { rowNumber: p.row.rowNumber, cells: p.row.cells, values: p.values, action: 'fail', errors: p.errors };
      outcomes.push(outcome);
      if (p.errors.length > 0) {
        continue;
      }
      let target: Target | undefined;
      let reason: DuplicateRef['reason'] = 'name';
      if (lookForDuplicates) {
        for (const key of ['name', 'phone', 'email'] as const) {
          const k = p.keys[key];
          const found = k ? existing?.[key].get(k) : undefined;
          if (found) {
            target = { kind: 'existing', existing: found };
            reason = reasonOf(key);
            break;
          }
        }
        for (const key of ['name', 'phone', 'email'] as const) {
          const k = p.keys[key];
          const found = !target && k ? inBatch[key].get(k) : undefined;
          if (found) {
            target = found;
            reason = reasonOf(key);
          }
        }
      }
      if (target) {
        const visible =
          target.kind === 'new' ||
          inScope(view, target.existing.ownerId) ||
          shared.has(target.existing.id);
        outcome.duplicateOf =
          target.kind === 'new'
            ? { id: null, name: String(target.record.name), rowNumber: target.rowNumber, reason, visible: true }
            : { id: visible ? target.existing.id : null, name: visible ? target.existing.name : null, rowNumber: null, reason, visible };
      }
      if (target && run.duplicateMode === 'skip') {
        outcome.action = 'skip';
        continue;
      }
      if (target && run.duplicateMode === 'update') {
        if (target.kind === 'new') {
          // A later row of the same batch about the same customer: it fills in the pending record.
          const patch = updatePatch(p);
          Object.assign(target.record, patch, { custom: JSON.stringify({ ...(parseJson(target.record.custom) as Record<string, unknown>), ...p.custom }) });
          p.tagNames.forEach((t) => target.tagNames.add(t));
          outcome.action = 'update';
          continue;
        }
        const found = target.existing;
        const editable = (edit !== null && inScope(edit, found.ownerId)) || shared.get(found.id) === 'write';
        if (!editable) {
          outcome.errors = [{ field: reason, message: 'duplicate of a customer you may not edit' }];
          continue;
        }
        const uniqueErrors = await uniqueCustomErrors(db, p, found.id, uniqueSeen);
        if (uniqueErrors.length > 0) {
          outcome.errors = uniqueErrors;
          continue;
        }
        const pending = updates.get(found.id) ?? { patch: {}, custom: (parseJson(found.custom) as Record<string, unknown> | null) ?? {}, tagNames: new Set<string>() };
        Object.assign(pending.patch, updatePatch(p));
        Object.assign(pending.custom, p.custom);
        p.tagNames.forEach((t) => pending.tagNames.add(t));
        updates.set(found.id, pending);
        outcome.action = 'update';
        continue;
      }
      const required = missingRequired(definitions, p.custom);
      const uniqueErrors = required.length > 0 ? [] : await uniqueCustomErrors(db, p, null, uniqueSeen);
      if (required.length > 0 || uniqueErrors.length > 0) {
        outcome.errors = [...required, ...uniqueErrors];
        continue;
      }
      const record = newRecord(p);
      const created: Target = { kind: 'new', record, tagNames: new Set(p.tagNames), rowNumber: p.row.rowNumber };
      creates.push(created);
      for (const key of ['name', 'phone', 'email'] as const) {
        const k = p.keys[key];
        if (k && !inBatch[key].has(k)) {
          inBatch[key].set(k, created);
        }
      }
      outcome.action = 'create';
    }

    return {
      outcomes,
      write: async (trx) => {
        const wantedTags = new Set<string>();
        for (const c of [...creates, ...updates.values()]) {
          c.tagNames.forEach((t) => wantedTags.add(t));
        }
        const tagIds = await ensureTags(trx, [...wantedTags]);
        await insertCustomers.insert(trx, creates.map((c) => c.record));
        for (const [id, u] of updates) {
          await trx
            .updateTable('customers')
            .set((eb) => ({ ...u.patch, custom: JSON.stringify(u.custom), updatedAt: run.now, version: eb('version', '+', 1) }))
            .where('workspaceId', '=', workspaceId)
            .where('id', '=', id)
            .execute();
        }
        const links = creates.flatMap((c) => [...c.tagNames].map((name) => ({ workspaceId, entity: 'customer', recordId: String(c.record.id), tagId: tagIds.get(optionKey(name)) })));
        await insertRecordTags.insert(
          trx,
          links.filter((l) => l.tagId !== undefined),
        );
        for (const [id, u] of updates) {
          for (const name of u.tagNames) {
            const tagId = tagIds.get(optionKey(name));
            if (tagId) {
              await trx
                .insertInto('recordTags')
                .values({ workspaceId, entity: 'customer', recordId: id, tagId })
                .onConflict((oc) => oc.doNothing())
                .execute();
            }
          }
        }
        await reindexCustomers(trx, deps.dialect, workspaceId, [...creates.map((c) => String(c.record.id)), ...updates.keys()]);
      },
    };
  }

  /** Tag ids by name; names not known yet are created (the rows asking for them were checked for tag:create). */
  async function ensureTags(db: Kysely<Database>, names: readonly string[]): Promise<Map<string, string>> {
    const missing = names.filter((n) => !tags.has(optionKey(n)));
    if (missing.length > 0) {
      const unique = [...new Map(missing.map((n) => [optionKey(n), n])).values()];
      await db
        .insertInto('tags')
        .values(unique.map((name) => ({ id: newId(), workspaceId, name, color: 'blue', createdAt: run.now })))
        .onConflict((oc) => oc.columns(['workspaceId', 'name']).doNothing())
        .execute();
      const rows = await db.selectFrom('tags').select(['id', 'name']).where('workspaceId', '=', workspaceId).where('name', 'in', unique).execute();
      for (const r of rows) {
        tags.set(optionKey(r.name), r.id);
      }
    }
    return tags;
  }

  return { plan };
}
