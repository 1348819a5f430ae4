import type { Kysely } from 'kysely';
import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import { parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import type { ContactsTable, Database } from '../../db/types';
import { setPrimaryContact } from '../contacts/contacts.repo';
import { createContactBody } from '../contacts/contacts.schema';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { customerContext } from '../customers/customers.context';
import { visibleCondition } from '../customers/customers.repo';
import { inScope } from '../permissions/permissions.service';
import { reindexContacts } from '../search/search.index';
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
  parseFlag,
  type RowError,
  type RowOutcome,
  zodRowErrors,
} from './imports.values';

const contactColumns = [
  'id',
  'workspaceId',
  'customerId',
  'ownerId',
  'name',
  'phone',
  'phoneKey',
  'email',
  'emailKey',
  'title',
  'department',
  'wechat',
  'isPrimary',
  'isDecisionMaker',
  'remark',
  'lastFollowupAt',
  'lastFollowupContent',
  'nextFollowupAt',
  'custom',
  'createdBy',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'version',
] as const satisfies readonly (keyof ContactsTable)[];

const insertContacts = new BulkInsert('contacts', contactColumns);

type ContactRecord = Record<(typeof contactColumns)[number], string | number | null>;

const contactFieldsSchema = createContactBody.omit({ customerId: true });
const textFields = ['phone', 'email', 'title', 'department', 'wechat', 'remark'] as const;

interface Customer {
  id: string;
  name: string;
  ownerId: string | null;
  primaryContactId: string | null;
}

interface ExistingContact {
  id: string;
  customerId: string;
  name: string;
  phoneKey: string | null;
  emailKey: string | null;
  custom: unknown;
}

interface Prepared {
  row: SourceRow;
  values: Record<string, string>;
  errors: RowError[];
  fields: Record<string, string | boolean>;
  custom: Record<string, unknown>;
  customerKey: string;
  keys: { name: string; phone: string | null; email: string | null };
}

/**
 * Contacts from rows, each filed under the customer named in its row (matched by normalised
 * name among customers the importer may see and edit). A duplicate is a contact of the same
 * customer with the same phone, email or name.
 */
export async function contactImporter(run: ImportRun): Promise<EntityImporter> {
  const { deps, auth, mapping } = run;
  const workspaceId = auth.workspaceId;
  const [ctx, definitions, users] = await Promise.all([
    customerContext(deps, auth, ['edit']),
    customFieldDefinitions(deps, workspaceId, 'contact'),
    loadUsers(deps, workspaceId),
  ]);
  const mappedCustom = definitions.filter((d) => [...mapping.values()].includes(`cf.${d.key}`));
  const customOptions = customOptionLookups(definitions);
  const edit = ctx.scopes.edit ?? null;

  function prepare(row: SourceRow): Prepared {
    const values = mappedValues(mapping, row.cells);
    const errors: RowError[] = [];
    const body: Record<string, unknown> = { name: values.name ?? '' };
    for (const f of textFields) {
      if (values[f] !== undefined) {
        body[f] = values[f];
      }
    }
    for (const f of ['isPrimary', 'isDecisionMaker'] as const) {
      if (values[f] !== undefined) {
        const flag = parseFlag(values[f]);
        if (flag === null) {
          errors.push({ field: f, message: 'must be yes or no (是/否)' });
        } else {
          body[f] = flag;
        }
      }
    }
    const parsed = contactFieldsSchema.safeParse(body);
    const fields: Record<string, string | boolean> = {};
    if (parsed.success) {
      for (const [k, v] of Object.entries(parsed.data)) {
        if (typeof v === 'string' || typeof v === 'boolean') {
          fields[k] = v;
        }
      }
    } else {
      errors.push(...zodRowErrors(parsed.error));
    }
    const customerKey = companyKey(values.customer ?? '');
    if (customerKey === '') {
      errors.push({ field: 'customer', message: 'required' });
    }
    const custom = mappedCustom.length > 0 ? customFromCells(mappedCustom, values, users, customOptions) : { values: {}, errors: [] };
    errors.push(...custom.errors);
    const text = (k: string) => (typeof fields[k] === 'string' ? fields[k] : undefined);
    return {
      row,
      values,
      errors,
      fields,
      custom: custom.values,
      customerKey,
      keys: { name: optionKey(text('name') ?? ''), phone: phoneKey(text('phone')), email: emailKey(text('email')) },
    };
  }

  async function findCustomers(db: Kysely<Database>, keys: readonly string[]) {
    const byKey = new Map<string, Customer[]>();
    for (const part of chunked([...new Set(keys)], 1000)) {
      const rows = await db
        .selectFrom('customers as c')
        .select(['c.id', 'c.name', 'c.nameKey', 'c.ownerId', 'c.primaryContactId'])
        .where('c.workspaceId', '=', workspaceId)
        .where('c.deletedAt', 'is', null)
        .where('c.nameKey', 'in', part)
        .where(visibleCondition(workspaceId, ctx.visibility))
        .execute();
      for (const r of rows) {
        byKey.set(r.nameKey, [...(byKey.get(r.nameKey) ?? []), { id: r.id, name: r.name, ownerId: r.ownerId, primaryContactId: r.primaryContactId }]);
      }
    }
    return byKey;
  }

  async function writableCustomers(db: Kysely<Database>, customers: readonly Customer[]): Promise<Set<string>> {
    const out = new Set(customers.filter((c) => edit !== null && inScope(edit, c.ownerId)).map((c) => c.id));
    const rest = customers.filter((c) => !out.has(c.id)).map((c) => c.id);
    if (auth.userId && rest.length > 0) {
      for (const part of chunked(rest, 1000)) {
        const rows = await db
          .selectFrom('customerCollaborators')
          .select(['customerId', 'expiresAt'])
          .where('workspaceId', '=', workspaceId)
          .where('userId', '=', auth.userId)
          .where('access', '=', 'write')
          .where('customerId', 'in', part)
          .execute();
        rows.filter((r) => r.expiresAt === null || r.expiresAt > run.now).forEach((r) => out.add(r.customerId));
      }
    }
    return out;
  }

  async function existingContacts(db: Kysely<Database>, customerIds: readonly string[]): Promise<Map<string, ExistingContact[]>> {
    const byCustomer = new Map<string, ExistingContact[]>();
    for (const part of chunked(customerIds, 1000)) {
      const rows = await db
        .selectFrom('contacts')
        .select(['id', 'customerId', 'name', 'phoneKey', 'emailKey', 'custom'])
        .where('workspaceId', '=', workspaceId)
        .where('deletedAt', 'is', null)
        .where('customerId', 'in', part)
        .orderBy('customerId')
        .orderBy('createdAt')
        .execute();
      for (const r of rows) {
        byCustomer.set(r.customerId, [...(byCustomer.get(r.customerId) ?? []), r]);
      }
    }
    return byCustomer;
  }

  function newRecord(p: Prepared, customer: Customer): ContactRecord {
    const f = p.fields;
    const text = (k: string) => (typeof f[k] === 'string' ? f[k] : null);
    return {
      id: newId(),
      workspaceId,
      customerId: customer.id,
      ownerId: customer.ownerId,
      name: text('name') ?? '',
      phone: text('phone'),
      phoneKey: p.keys.phone,
      email: text('email'),
      emailKey: p.keys.email,
      title: text('title'),
      department: text('department'),
      wechat: text('wechat'),
      isPrimary: 0,
      isDecisionMaker: f.isDecisionMaker === true ? 1 : 0,
      remark: text('remark'),
      lastFollowupAt: null,
      lastFollowupContent: null,
      nextFollowupAt: null,
      custom: JSON.stringify(p.custom),
      createdBy: auth.userId,
      createdAt: run.now,
      updatedAt: run.now,
      deletedAt: null,
      version: 1,
    };
  }

  function patchOf(p: Prepared): Record<string, string | number | null> {
    const patch: Record<string, string | number | null> = {};
    for (const [k, v] of Object.entries(p.fields)) {
      if (k === 'isPrimary') {
        continue;
      }
      patch[k] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }
    if (typeof p.fields.phone === 'string') {
      patch.phoneKey = p.keys.phone;
    }
    if (typeof p.fields.email === 'string') {
      patch.emailKey = p.keys.email;
    }
    return patch;
  }

  async function plan(db: Kysely<Database>, rows: readonly SourceRow[]): Promise<BatchPlan> {
    // Contacts look for duplicates in every mode: they are per customer, and cheap to find.
    const prepared = rows.map(prepare);
    const customersByKey = await findCustomers(
      db,
      prepared.filter((p) => p.errors.length === 0).map((p) => p.customerKey),
    );
    const matched = [...customersByKey.values()].filter((list) => list.length === 1).map((list) => list[0] as Customer);
    const writable = await writableCustomers(db, matched);
    const contactsOf = await existingContacts(
      db,
      matched.filter((c) => writable.has(c.id)).map((c) => c.id),
    );
    const creates: { record: ContactRecord; customer: Customer; primary: boolean }[] = [];
    const updates = new Map<string, { patch: Record<string, string | number | null>; custom: Record<string, unknown>; customer: Customer; primary: boolean }>();
    const outcomes: RowOutcome[] = [];

    for (const p of prepared) {
      const outcome: RowOutcome = { rowNumber: p.row.rowNumber, cells: p.row.cells, values: p.values, action: 'fail', errors: p.errors };
      outcomes.push(outcome);
      if (p.errors.length > 0) {
        continue;
      }
      const candidates = customersByKey.get(p.customerKey) ?? [];
      const customer = candidates[0];
      if (!customer || candidates.length > 1) {
        outcome.errors = [{ field: 'customer', message: candidates.length > 1 ? 'several customers have this name' : 'no customer with this name' }];
        continue;
      }
      if (!writable.has(customer.id)) {
        outcome.errors = [{ field: 'customer', message: 'you may not add contacts to this customer' }];
        continue;
      }
      const known = contactsOf.get(customer.id) ?? [];
      let duplicate: ExistingContact | undefined;
      let reason: DuplicateRef['reason'] = 'name';
      for (const [key, column] of [
        ['phone', 'phoneKey'],
        ['email', 'emailKey'],
      ] as const) {
        const k = p.keys[key];
        duplicate ??= k ? known.find((c) => c[column] === k) : undefined;
        if (duplicate && reason === 'name') {
          reason = key;
        }
      }
      if (!duplicate) {
        duplicate = known.find((c) => optionKey(c.name) === p.keys.name);
        reason = 'name';
      }
      if (duplicate) {
        outcome.duplicateOf = { id: duplicate.id, name: duplicate.name, rowNumber: null, reason, visible: true };
        if (run.duplicateMode === 'skip') {
          outcome.action = 'skip';
          continue;
        }
        if (run.duplicateMode === 'update') {
          const pending = updates.get(duplicate.id) ?? { patch: {}, custom: (parseJson(duplicate.custom) as Record<string, unknown> | null) ?? {}, customer, primary: false };
          Object.assign(pending.patch, patchOf(p));
          Object.assign(pending.custom, p.custom);
          pending.primary ||= p.fields.isPrimary === true;
          updates.set(duplicate.id, pending);
          outcome.action = 'update';
          continue;
        }
      }
      const required = missingRequired(definitions, p.custom);
      if (required.length > 0) {
        outcome.errors = required;
        continue;
      }
      const record = newRecord(p, customer);
      creates.push({ record, customer, primary: p.fields.isPrimary === true });
      // Later rows of this batch see it as an existing contact of the customer.
      known.push({ id: String(record.id), customerId: customer.id, name: String(record.name), phoneKey: p.keys.phone, emailKey: p.keys.email, custom: record.custom });
      contactsOf.set(customer.id, known);
      outcome.action = 'create';
    }

    return {
      outcomes,
      write: async (trx) => {
        // Pending creates that later rows updated carry their patch into the insert.
        const createdIds = new Set(creates.map((c) => String(c.record.id)));
        for (const c of creates) {
          const u = updates.get(String(c.record.id));
          if (u) {
            Object.assign(c.record, u.patch, { custom: JSON.stringify(u.custom) });
            c.primary ||= u.primary;
          }
        }
        await insertContacts.insert(trx, creates.map((c) => c.record));
        for (const [id, u] of updates) {
          if (createdIds.has(id)) {
            continue;
          }
          await trx
            .updateTable('contacts')
            .set((eb) => ({ ...u.patch, custom: JSON.stringify(u.custom), updatedAt: run.now, version: eb('version', '+', 1) }))
            .where('workspaceId', '=', workspaceId)
            .where('id', '=', id)
            .execute();
        }
        // 首要联系人: an explicit "primary" row wins; otherwise a customer without one gets its first new contact.
        const primaryOf = new Map<string, string>();
        for (const c of creates) {
          if (c.primary || (c.customer.primaryContactId === null && !primaryOf.has(c.customer.id))) {
            primaryOf.set(c.customer.id, String(c.record.id));
          }
        }
        for (const [id, u] of updates) {
          if (u.primary && !createdIds.has(id)) {
            primaryOf.set(u.customer.id, id);
          }
        }
        for (const [customerId, contactId] of primaryOf) {
          await setPrimaryContact(trx, workspaceId, customerId, contactId, run.now);
        }
        await reindexContacts(trx, deps.dialect, workspaceId, [...createdIds, ...updates.keys()]);
      },
    };
  }

  return { plan };
}
