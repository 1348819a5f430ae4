import type { Updateable } from 'kysely';
import { emailKey, phoneKey } from '../../../common/normalize';
import { parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import type { ContactsTable } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { keysetWalks, type ListPage, listPage } from '../../list/list-page';
import { parseListQuery, type RawQuery } from '../../list/parse-list';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { checkWritableCustomValues, throwIfFieldProblems } from '../custom-fields/custom-fields.service';
import { claimUniqueValues } from '../custom-fields/unique-values';
import { accessFor, customerContext } from '../customers/customers.context';
import { loadCustomer } from '../customers/customers.service';
import { assertWritableFields, fieldAccess } from '../permissions/permissions.service';
import { reindexContacts } from '../search/search.index';
import { appendTimeline, changedFields } from '../timeline/timeline.writer';
import { contactListSpec } from './contacts.list-spec';
import { type ContactContext, contactAccessFor, contactContext } from './contacts.policy';
import { presentContact } from './contacts.present';
import {
  type ContactRow,
  contactWalk,
  countContacts,
  findContact,
  findContactsOfCustomer,
  insertContact,
  setPrimaryContact,
  updateContactRow,
} from './contacts.repo';
import type { Contact, CreateContactBody, UpdateContactBody } from './contacts.schema';
import { listReads } from '../../list/list-reads';

/** Writable properties under a field rule of the contact entity (the catalog field has the same name). */
const governedFields = ['phone', 'email', 'wechat', 'title', 'remark'] as const;
const plainFields = ['name', 'department', ...governedFields] as const;

export async function presentContactRows(deps: Deps, ctx: ContactContext, rows: readonly ContactRow[]): Promise<Contact[]> {
  const access = await contactAccessFor(deps, ctx, rows);
  return rows.map((row) => presentContact(ctx.auth.permissions, ctx.definitions, row, access.get(row.id) ?? { edit: false, delete: false }));
}

/** A keyset page of the contacts the caller may see (scoped through the customer's owner and collaborators). */
export async function listContactsPage(deps: Deps, auth: AuthContext, raw: RawQuery): Promise<ListPage<Contact>> {
  const ctx = await contactContext(deps, auth);
  const { deleted: deletedParam, ...rest } = raw;
  const deleted = deletedParam === 'true';
  // The bin is for those who may delete (and so restore) contacts, like the customers' bin.
  if (deleted && !ctx.delete) {
    throw new AppError('forbidden');
  }
  const list = parseListQuery(rest, contactListSpec, ctx.definitions, (f) => fieldAccess(auth.permissions, 'contact', f));
  const { dialect } = deps;
  const reads = listReads(deps, list);
  return listPage({
    list,
    walks: keysetWalks(dialect, contactListSpec, list),
    fetch: contactWalk(reads.page, dialect, auth.workspaceId, ctx.visibility, list, { deleted }),
    present: (rows) => presentContactRows(deps, ctx, rows),
    count: () => countContacts(reads.count, dialect, auth.workspaceId, ctx.visibility, list, undefined, { deleted }),
  });
}

export async function loadContact(deps: Deps, ctx: ContactContext, id: string): Promise<ContactRow> {
  const row = await findContact(deps.db, ctx.auth.workspaceId, id, ctx.visibility);
  if (!row) {
    throw new AppError('not_found');
  }
  return row;
}

export async function getContact(deps: Deps, auth: AuthContext, id: string): Promise<Contact> {
  const ctx = await contactContext(deps, auth);
  const [contact] = await presentContactRows(deps, ctx, [await loadContact(deps, ctx, id)]);
  return contact as Contact;
}

/**
 * The live contacts of a customer that the caller may see, primary first. The caller must have
 * checked that the customer itself is visible (the 360° overview does that once for everything).
 */
export async function contactsOfVisibleCustomer(deps: Deps, auth: AuthContext, customerId: string): Promise<Contact[]> {
  const ctx = await contactContext(deps, auth);
  return presentContactRows(deps, ctx, await findContactsOfCustomer(deps.db, auth.workspaceId, customerId, ctx.visibility));
}

/** GET /customers/:id/contacts: 404 unless the customer is visible. */
export async function listCustomerContacts(deps: Deps, auth: AuthContext, customerId: string): Promise<Contact[]> {
  await loadCustomer(deps, await customerContext(deps, auth, []), customerId);
  return contactsOfVisibleCustomer(deps, auth, customerId);
}


/**
 * Adds a contact to a customer the caller may see and edit. The first contact of a customer
 * without a primary becomes its primary unless told otherwise; the owner mirrors the customer's.
 */
export async function createContact(deps: Deps, auth: AuthContext, actor: AuditActor, body: CreateContactBody): Promise<Contact> {
  const ctx = await contactContext(deps, auth);
  assertWritableFields(auth.permissions, 'contact', governedFields.filter((k) => body[k] !== undefined && body[k] !== null));
  const customerCtx = await customerContext(deps, auth, ['edit']);
  // A customer the caller cannot see is, to them, one that does not exist: a bad reference (400).
  const customer = await loadCustomer(deps, customerCtx, body.customerId).catch((error: unknown) => {
    throw error instanceof AppError && error.code === 'not_found' ? new AppError('validation_failed', { errors: [{ path: 'customerId', message: 'no such customer' }] }) : error;
  });
  if (!(await accessFor(deps, customerCtx, [customer])).get(customer.id)?.edit) {
    throw new AppError('forbidden', { detail: 'You may not add contacts to this customer' });
  }
  const custom = await checkWritableCustomValues(deps, ctx, 'contact', body.custom, null);
  throwIfFieldProblems(custom.errors, custom.conflicts);
  const id = newId();
  const now = nowIso(deps);
  const isPrimary = body.isPrimary ?? customer.primaryContactId === null;
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'contact', noun: 'contact' }, custom.claims, null);
    await insertContact(trx, {
      id,
      workspaceId: auth.workspaceId,
      customerId: customer.id,
      ownerId: customer.ownerId,
      name: body.name,
      phone: body.phone ?? null,
      phoneKey: phoneKey(body.phone),
      email: body.email ?? null,
      emailKey: emailKey(body.email),
      title: body.title ?? null,
      department: body.department ?? null,
      wechat: body.wechat ?? null,
      isPrimary: 0,
      isDecisionMaker: body.isDecisionMaker ? 1 : 0,
      remark: body.remark ?? null,
      lastFollowupAt: null,
      lastFollowupContent: null,
      nextFollowupAt: null,
      custom: JSON.stringify(custom.values),
      createdBy: auth.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    if (isPrimary) {
      await setPrimaryContact(trx, auth.workspaceId, customer.id, id, now);
    }
    await appendTimeline(trx, {
      workspaceId: auth.workspaceId,
      customerId: customer.id,
      entity: 'contact',
      recordId: id,
      kind: 'contact_added',
      actorUserId: auth.userId,
      data: { contactId: id, name: body.name, isPrimary },
      at: now,
    });
    await reindexContacts(trx, deps.dialect, auth.workspaceId, [id]);
  });
  await recordAudit(deps, actor, { action: 'contact.created', targetType: 'contact', targetId: id, detail: { customerId: customer.id, name: body.name } });
  const row = await findContact(deps.db, auth.workspaceId, id);
  const [contact] = await presentContactRows(deps, ctx, row ? [row] : []);
  return contact as Contact;
}

/** Edits a contact (If-Match: version). Making it primary demotes the customer's previous primary. */
export async function updateContact(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: UpdateContactBody, expectedVersion?: number): Promise<Contact> {
  const ctx = await contactContext(deps, auth);
  const row = await loadContact(deps, ctx, id);
  if (!(await contactAccessFor(deps, ctx, [row])).get(id)?.edit) {
    throw new AppError('forbidden');
  }
  assertWritableFields(auth.permissions, 'contact', governedFields.filter((k) => body[k] !== undefined));
  const storedCustom = (parseJson(row.custom) ?? {}) as Record<string, unknown>;
  const custom = body.custom === undefined ? null : await checkWritableCustomValues(deps, ctx, 'contact', body.custom, { id, custom: storedCustom });
  throwIfFieldProblems(custom?.errors ?? [], custom?.conflicts);
  const patch: Updateable<ContactsTable> = {};
  const after: Record<string, unknown> = {};
  for (const key of plainFields) {
    const value = body[key];
    if (value !== undefined) {
      (patch as Record<string, unknown>)[key] = value;
      after[key] = value;
    }
  }
  if (body.isDecisionMaker !== undefined) {
    patch.isDecisionMaker = body.isDecisionMaker ? 1 : 0;
    after.isDecisionMaker = patch.isDecisionMaker;
  }
  if (body.phone !== undefined) {
    patch.phoneKey = phoneKey(body.phone);
  }
  if (body.email !== undefined) {
    patch.emailKey = emailKey(body.email);
  }
  if (custom) {
    patch.custom = JSON.stringify(custom.values);
    after.custom = custom.values;
  }
  const wasPrimary = row.isPrimary === 1;
  const changes = changedFields({ ...row, custom: storedCustom }, after, Object.keys(after));
  if (body.isPrimary !== undefined && body.isPrimary !== wasPrimary) {
    changes.isPrimary = { from: wasPrimary, to: body.isPrimary };
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'contact', noun: 'contact' }, custom?.claims ?? [], id);
    if ((await updateContactRow(trx, auth.workspaceId, id, patch, now, expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
    if (body.isPrimary !== undefined && body.isPrimary !== wasPrimary) {
      await setPrimaryContact(trx, auth.workspaceId, row.customerId, body.isPrimary ? id : null, now);
    }
    await reindexContacts(trx, deps.dialect, auth.workspaceId, [id]);
  });
  await recordAudit(deps, actor, { action: 'contact.updated', targetType: 'contact', targetId: id, detail: { changes } });
  return getContact(deps, auth, id);
}
