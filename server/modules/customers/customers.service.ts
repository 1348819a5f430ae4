import type { Updateable } from 'kysely';
import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import type { CustomersTable } from '../../db/types';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type ListPage, listPage } from '../../list/list-page';
import { parseListQuery, type RawQuery } from '../../list/parse-list';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { checkWritableCustomValues, throwIfFieldProblems } from '../custom-fields/custom-fields.service';
import { claimUniqueValues } from '../custom-fields/unique-values';
import { assertWritableFields, fieldAccess, inScope, scopeFilter } from '../permissions/permissions.service';
import { checkPicklistValues } from '../picklists/picklists.service';
import { reindexCustomers } from '../search/search.index';
import { appendTimeline, changedFields, customFieldChanges } from '../timeline/timeline.writer';
import { countExisting } from '../users/users.repo';
import { accessFor, type CustomerContext, customerContext } from './customers.context';
import { customerListSpec } from './customers.list-spec';
import { customerSearchCondition } from './customers.search';
import { presentCustomer } from './customers.present';
import {
  countCustomers,
  type CustomerRow,
  type CustomerRowWithTags,
  findCustomer,
  findCustomerWithTags,
  findTagsOf,
  customerWalk,
  customerWalks,
  insertCustomer,
  updateCustomerRow,
} from './customers.repo';
import type { CreateCustomerBody, Customer, UpdateCustomerBody } from './customers.schema';
import { assertCanOwn } from '../pools/pools.limits';
import { listReads } from '../../list/list-reads';
import { customerFieldOf } from './customers.permissions';

/** Extracts the non-standard list keys (tag filters, recycle bin) before the generic parser. */
function splitQuery(raw: RawQuery): { rest: RawQuery; tagIds: string[]; deleted: boolean } {
  const { tag, deleted, ...rest } = raw;
  const tagIds = (Array.isArray(tag) ? tag : tag ? [tag] : []).flatMap((t) => t.split(','));
  if (tagIds.some((t) => !/^[0-9a-f-]{36}$/.test(t))) {
    throw new AppError('unknown_filter', { errors: [{ path: 'tag', message: 'must be tag ids' }] });
  }
  return { rest, tagIds, deleted: deleted === 'true' };
}

export async function presentRows(deps: Deps, ctx: CustomerContext, rows: readonly CustomerRowWithTags[]): Promise<Customer[]> {
  // Rows read with their tags (PostgreSQL page and point queries: tagsColumn) need no tag query.
  const haveTags = rows.every((r) => r.tags !== undefined);
  const ids = haveTags ? [] : rows.map((r) => r.id);
  const [tags, access] = await Promise.all([findTagsOf(deps.db, ctx.auth.workspaceId, 'customer', ids), accessFor(deps, ctx, rows)]);
  return rows.map((row) =>
    presentCustomer(
      ctx.auth.permissions,
      ctx.definitions,
      row,
      haveTags ? (row.tags ?? []).map(({ id, name, color }) => ({ id, name, color })) : tags.filter((t) => t.recordId === row.id).map(({ id, name, color }) => ({ id, name, color })),
      access.get(row.id) ?? { edit: false, delete: false, transfer: false },
    ),
  );
}

/** A keyset page of the customers the caller may see, with filters, sort and optional count. */
export async function listCustomersPage(deps: Deps, auth: AuthContext, raw: RawQuery): Promise<ListPage<Customer>> {
  const ctx = await customerContext(deps, auth);
  const { rest, tagIds, deleted } = splitQuery(raw);
  if (deleted && !auth.permissions.actions.get('customer:delete')?.length) {
    throw new AppError('forbidden');
  }
  const list = parseListQuery(rest, customerListSpec, ctx.definitions, (f) => fieldAccess(auth.permissions, 'customer', f));
  const search = list.q ? await customerSearchCondition(deps, auth, list.q, { deleted }) : undefined;
  const options = { deleted, tagIds, search: search?.condition, searchByIds: search?.byIds, withTags: true };
  const { dialect } = deps;
  const reads = listReads(deps, list);
  return listPage({
    list,
    walks: customerWalks(dialect, ctx.visibility, list),
    fetch: customerWalk(reads.page, dialect, auth.workspaceId, ctx.visibility, list, options),
    present: (rows) => presentRows(deps, ctx, rows),
    count: () => countCustomers(reads.count, dialect, auth.workspaceId, ctx.visibility, list, options),
  });
}

/** A customer the caller may see, or 404 (never 403: existence is not revealed). */
export async function loadCustomer(deps: Deps, ctx: CustomerContext, id: string, options: { deleted?: boolean } = {}): Promise<CustomerRow> {
  const row = await findCustomer(deps.db, ctx.auth.workspaceId, id, ctx.visibility);
  if (!row || (row.deletedAt !== null) !== (options.deleted ?? false)) {
    throw new AppError('not_found');
  }
  return row;
}

export async function getCustomer(deps: Deps, auth: AuthContext, id: string): Promise<Customer> {
  const ctx = await customerContext(deps, auth);
  const row = await findCustomerWithTags(deps.db, deps.dialect, auth.workspaceId, id, ctx.visibility);
  if (!row || row.deletedAt !== null) {
    throw new AppError('not_found');
  }
  const [customer] = await presentRows(deps, ctx, [row]);
  return customer as Customer;
}

const pickFields = ['kind', 'phone', 'email', 'website', 'level', 'source', 'industry', 'lifecycleStage', 'province', 'city', 'district', 'address', 'remark', 'nextFollowupAt'] as const;

/** Catalog field each writable property belongs to, for the field-permission check. */
const permissionFieldOf: Partial<Record<string, string>> = customerFieldOf;



/** Creates a customer (owner: the caller unless told otherwise), with an optional first contact. */
export async function createCustomer(deps: Deps, auth: AuthContext, actor: AuditActor, body: CreateCustomerBody): Promise<Customer> {
  const ctx = await customerContext(deps, auth);
  assertWritableFields(auth.permissions, 'customer', pickFields.filter((k) => body[k] !== undefined && body[k] !== null).map((k) => permissionFieldOf[k] ?? k).filter((k) => k !== 'kind' && k !== 'nextFollowupAt'));
  if (body.contact) {
    // The first contact is the contact's own fields: its field rules apply, as in POST /contacts and the import's contact columns.
    const contact = body.contact;
    assertWritableFields(auth.permissions, 'contact', (['phone', 'email', 'title'] as const).filter((k) => contact[k] !== undefined && contact[k] !== null));
  }
  const ownerId = body.ownerId === undefined ? auth.userId : body.ownerId;
  if (ownerId !== auth.userId) {
    // Creating for someone else (or into the pool) is an assignment.
    const assign = auth.permissions.actions.get('customer:assign');
    if (!assign?.length || (ownerId !== null && !inScope(await scopeFilter(deps, auth, 'customer', 'assign'), ownerId))) {
      throw new AppError('forbidden', { detail: 'You may not create customers for other owners' });
    }
  }
  const errors = await checkPicklistValues(deps, auth.workspaceId, 'customer', body, ['level', 'source', 'industry']);
  if (ownerId && (await countExisting(deps.db, auth.workspaceId, 'users', [ownerId])) !== 1) {
    errors.push({ path: 'ownerId', message: 'no such user' });
  }
  if (body.tagIds?.length && (await countTags(deps, auth.workspaceId, body.tagIds)) !== new Set(body.tagIds).size) {
    errors.push({ path: 'tagIds', message: 'no such tag' });
  }
  const custom = await checkWritableCustomValues(deps, ctx, 'customer', body.custom, null);
  throwIfFieldProblems([...errors, ...custom.errors], custom.conflicts);
  const id = newId();
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'customer', noun: 'customer' }, custom.claims, null);
    if (ownerId) {
      await assertCanOwn(trx, deps.dialect, auth.workspaceId, ownerId, [{ dealStatus: 'none' }]);
    }
    await insertCustomer(trx, {
      id,
      workspaceId: auth.workspaceId,
      name: body.name,
      nameKey: companyKey(body.name),
      kind: body.kind ?? 'company',
      phone: body.phone ?? null,
      phoneKey: phoneKey(body.phone),
      email: body.email ?? null,
      emailKey: emailKey(body.email),
      website: body.website ?? null,
      level: body.level ?? null,
      source: body.source ?? null,
      industry: body.industry ?? null,
      lifecycleStage: body.lifecycleStage ?? 'prospect',
      dealStatus: 'none',
      ownerId,
      locked: 0,
      province: body.province ?? null,
      city: body.city ?? null,
      district: body.district ?? null,
      address: body.address ?? null,
      primaryContactId: null,
      remark: body.remark ?? null,
      lastFollowupAt: null,
      lastFollowupContent: null,
      nextFollowupAt: body.nextFollowupAt ? new Date(body.nextFollowupAt).toISOString() : null,
      ownerSince: ownerId ? now : null,
      custom: JSON.stringify(custom.values),
      createdBy: auth.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      deletedBy: null,
    });
    let primaryContactId: string | null = null;
    if (body.contact) {
      primaryContactId = newId();
      await trx
        .insertInto('contacts')
        .values({
          id: primaryContactId,
          workspaceId: auth.workspaceId,
          customerId: id,
          ownerId,
          name: body.contact.name,
          phone: body.contact.phone ?? null,
          phoneKey: phoneKey(body.contact.phone),
          email: body.contact.email ?? null,
          emailKey: emailKey(body.contact.email),
          title: body.contact.title ?? null,
          department: null,
          wechat: null,
          isPrimary: 1,
          isDecisionMaker: 0,
          remark: null,
          lastFollowupAt: null,
          nextFollowupAt: null,
          custom: '{}',
          createdBy: auth.userId,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        })
        .execute();
      await trx.updateTable('customers').set({ primaryContactId }).where('workspaceId', '=', auth.workspaceId).where('id', '=', id).execute();
    }
    if (body.tagIds?.length) {
      await trx
        .insertInto('recordTags')
        .values([...new Set(body.tagIds)].map((tagId) => ({ workspaceId: auth.workspaceId, entity: 'customer', recordId: id, tagId })))
        .execute();
    }
    await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId: id, entity: 'customer', recordId: id, kind: 'created', actorUserId: auth.userId, data: { name: body.name, ownerId }, at: now });
    if (body.contact && primaryContactId) {
      // Like a contact added later: the timeline tells who the first contact is and since when.
      await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId: id, entity: 'contact', recordId: primaryContactId, kind: 'contact_added', actorUserId: auth.userId, data: { contactId: primaryContactId, name: body.contact.name, isPrimary: true }, at: now });
    }
    await reindexCustomers(trx, deps.dialect, auth.workspaceId, [id]);
  });
  await recordAudit(deps, actor, { action: 'customer.created', targetType: 'customer', targetId: id, detail: { name: body.name } });
  return getCustomer(deps, auth, id).catch(async () => {
    // The creator may have given it away (assign) and no longer see it: answer what was made.
    const row = await findCustomer(deps.db, auth.workspaceId, id);
    const [customer] = await presentRows(deps, ctx, row ? [row] : []);
    return customer as Customer;
  });
}

async function countTags(deps: Deps, workspaceId: string, ids: readonly string[]): Promise<number> {
  const rows = await deps.db.selectFrom('tags').select('id').where('workspaceId', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute();
  return rows.length;
}

/** Edits fields (not the owner: that is a transfer). Every change lands on the timeline as from → to. */
export async function updateCustomer(
  deps: Deps,
  auth: AuthContext,
  actor: AuditActor,
  id: string,
  body: UpdateCustomerBody,
  expectedVersion?: number,
): Promise<Customer> {
  const ctx = await customerContext(deps, auth);
  const row = await loadCustomer(deps, ctx, id);
  const access = (await accessFor(deps, ctx, [row])).get(id);
  if (!access?.edit) {
    throw new AppError('forbidden');
  }
  assertWritableFields(auth.permissions, 'customer', pickFields.filter((k) => body[k] !== undefined).map((k) => permissionFieldOf[k]).filter((k): k is string => k !== undefined));
  const errors = await checkPicklistValues(deps, auth.workspaceId, 'customer', body, ['level', 'source', 'industry']);
  const storedCustom = (typeof row.custom === 'string' ? JSON.parse(row.custom) : (row.custom ?? {})) as Record<string, unknown>;
  const custom = body.custom === undefined ? null : await checkWritableCustomValues(deps, ctx, 'customer', body.custom, { id, custom: storedCustom });
  errors.push(...(custom?.errors ?? []));
  if (body.primaryContactId) {
    const contact = await deps.db.selectFrom('contacts').select('id').where('workspaceId', '=', auth.workspaceId).where('customerId', '=', id).where('id', '=', body.primaryContactId).where('deletedAt', 'is', null).executeTakeFirst();
    if (!contact) {
      errors.push({ path: 'primaryContactId', message: 'not a contact of this customer' });
    }
  }
  throwIfFieldProblems(errors, custom?.conflicts);
  const patch: Updateable<CustomersTable> = {};
  const after: Record<string, unknown> = {};
  for (const key of ['name', ...pickFields, 'primaryContactId'] as const) {
    const value = body[key];
    if (value !== undefined) {
      const normalised = key === 'nextFollowupAt' && value ? new Date(value).toISOString() : value;
      (patch as Record<string, unknown>)[key] = normalised;
      after[key] = normalised;
    }
  }
  if (body.name !== undefined) {
    patch.nameKey = companyKey(body.name);
  }
  if (body.phone !== undefined) {
    patch.phoneKey = phoneKey(body.phone);
  }
  if (body.email !== undefined) {
    patch.emailKey = emailKey(body.email);
  }
  if (custom) {
    patch.custom = JSON.stringify(custom.values);
  }
  const changes = { ...changedFields(row, after, Object.keys(after)), ...(custom ? customFieldChanges(storedCustom, custom.values) : {}) };
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'customer', noun: 'customer' }, custom?.claims ?? [], id);
    if (body.primaryContactId !== undefined) {
      await trx.updateTable('contacts').set({ isPrimary: 0 }).where('workspaceId', '=', auth.workspaceId).where('customerId', '=', id).execute();
      if (body.primaryContactId) {
        await trx.updateTable('contacts').set({ isPrimary: 1 }).where('workspaceId', '=', auth.workspaceId).where('id', '=', body.primaryContactId).execute();
      }
    }
    if ((await updateCustomerRow(trx, auth.workspaceId, id, patch, now, expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
    if (Object.keys(changes).length > 0) {
      await appendTimeline(trx, { workspaceId: auth.workspaceId, customerId: id, entity: 'customer', recordId: id, kind: 'field_change', actorUserId: auth.userId, data: { changes }, at: now });
    }
    if (body.name !== undefined || body.phone !== undefined || body.email !== undefined) {
      await reindexCustomers(trx, deps.dialect, auth.workspaceId, [id]);
    }
  });
  await recordAudit(deps, actor, { action: 'customer.updated', targetType: 'customer', targetId: id, detail: { changes } });
  return getCustomer(deps, auth, id);
}
