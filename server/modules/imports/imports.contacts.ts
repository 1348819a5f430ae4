import type { Kysely } from 'kysely';
import { contactOwnerValue } from '../contacts/contacts.owner';
import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import type { Database } from '../../db/types';
import { setPrimaryContact } from '../contacts/contacts.repo';
import { createContactBody } from '../contacts/contacts.schema';
import { customerContext } from '../customers/customers.context';
import { visibleCondition } from '../customers/customers.repo';
import { inScope } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';
import { reindexContacts } from '../search/search.index';
import { contactIndex } from './imports.contacts-index';
import { defersIndex } from './imports.indexing';
import { updateRecords } from './bulk-insert';
import { insertContacts, newContactRecord } from './imports.contact-rows';
import { type ExistingRecord, type ImportContext, type PreparedRow, registerImportEntity } from './imports.registry';
import { chunked, commonHeaderGuesses, optionKey, pickFlag, rowBody, type RowError, setKeyColumns, zodRowErrors } from './imports.values';

const contactFieldsSchema = createContactBody.omit({ customerId: true });
const textFields = ['phone', 'email', 'title', 'department', 'wechat', 'remark'] as const;

interface Customer {
  id: string;
  name: string;
  ownerId: string | null;
  primaryContactId: string | null;
}

interface State {
  visibility: Awaited<ReturnType<typeof customerContext>>['visibility'];
  edit: ScopeFilter | null;
}

interface Extra {
  customerKey: string;
  primary: boolean;
  /** Set by resolveBatch: the one writable customer the row names. */
  customer: Customer | null;
}

type Ctx = ImportContext<State>;
type Row = PreparedRow<Extra>;

/** Dedupe keys are per customer: the same phone under two customers is two contacts. */
function scoped(customerId: string, key: string | null): string | null {
  return key ? `${customerId}\u0000${key}` : null;
}

function validateRow(_ctx: Ctx, values: Record<string, string>) {
  const errors: RowError[] = [];
  const body = rowBody(values, textFields);
  pickFlag(body, values, 'isPrimary', errors);
  pickFlag(body, values, 'isDecisionMaker', errors);
  const parsed = contactFieldsSchema.safeParse(body);
  const patch: Record<string, string | number | null> = {};
  let primary = false;
  if (parsed.success) {
    for (const [k, v] of Object.entries(parsed.data)) {
      if (k === 'isPrimary') {
        primary = v === true;
      } else if (typeof v === 'string') {
        patch[k] = v;
      } else if (typeof v === 'boolean') {
        patch[k] = v ? 1 : 0;
      }
    }
  } else {
    errors.push(...zodRowErrors(parsed.error));
  }
  const customerKey = companyKey(values.customer ?? '');
  if (customerKey === '') {
    errors.push({ field: 'customer', message: 'required' });
  }
  const text = (k: string) => (typeof patch[k] === 'string' ? patch[k] : undefined);
  const keys = { name: optionKey(text('name') ?? ''), phone: phoneKey(text('phone')), email: emailKey(text('email')) };
  setKeyColumns(patch, keys, ['phone', 'email']);
  return { errors, patch, keys, extra: { customerKey, primary, customer: null } satisfies Extra };
}

/**
 * Files each row under the customer it names (normalised name, among customers the importer may
 * see): none, several, or one they may not edit fail the row.
 */
async function resolveBatch(ctx: Ctx, db: Kysely<Database>, rows: Row[]): Promise<void> {
  const byKey = new Map<string, Customer[]>();
  for (const part of chunked([...new Set(rows.map((r) => r.extra.customerKey))], 1000)) {
    const found = await db
      .selectFrom('customers as c')
      .select(['c.id', 'c.name', 'c.nameKey', 'c.ownerId', 'c.primaryContactId'])
      .where('c.workspaceId', '=', ctx.workspaceId)
      .where('c.deletedAt', 'is', null)
      .where('c.nameKey', 'in', part)
      .where(visibleCondition(ctx.workspaceId, ctx.state.visibility))
      .execute();
    for (const r of found) {
      byKey.set(r.nameKey, [...(byKey.get(r.nameKey) ?? []), { id: r.id, name: r.name, ownerId: r.ownerId, primaryContactId: r.primaryContactId }]);
    }
  }
  const matched = [...byKey.values()].filter((list) => list.length === 1).map((list) => list[0] as Customer);
  const { edit } = ctx.state;
  const writable = new Set(matched.filter((c) => edit !== null && inScope(edit, c.ownerId)).map((c) => c.id));
  const rest = matched.filter((c) => !writable.has(c.id)).map((c) => c.id);
  const userId = ctx.run.auth.userId;
  if (userId && rest.length > 0) {
    for (const part of chunked(rest, 1000)) {
      const shared = await db
        .selectFrom('customerCollaborators')
        .select(['customerId', 'expiresAt'])
        .where('workspaceId', '=', ctx.workspaceId)
        .where('userId', '=', userId)
        .where('access', '=', 'write')
        .where('customerId', 'in', part)
        .execute();
      shared.filter((r) => r.expiresAt === null || r.expiresAt > ctx.run.now).forEach((r) => writable.add(r.customerId));
    }
  }
  for (const r of rows) {
    const candidates = byKey.get(r.extra.customerKey) ?? [];
    const customer = candidates[0];
    if (!customer || candidates.length > 1) {
      r.errors.push({ field: 'customer', message: candidates.length > 1 ? 'several customers have this name' : 'no customer with this name' });
    } else if (!writable.has(customer.id)) {
      r.errors.push({ field: 'customer', message: 'you may not add contacts to this customer' });
    } else {
      r.extra.customer = customer;
      r.keys = { phone: scoped(customer.id, r.keys.phone ?? null), email: scoped(customer.id, r.keys.email ?? null), name: scoped(customer.id, r.keys.name ?? null) };
    }
  }
}

/** The live contacts of the rows' customers, oldest first per customer. */
async function findExisting(ctx: Ctx, db: Kysely<Database>, rows: readonly Row[]): Promise<ExistingRecord[]> {
  const ids = [...new Set(rows.map((r) => r.extra.customer?.id).filter((id): id is string => id !== undefined))];
  const out: ExistingRecord[] = [];
  for (const part of chunked(ids, 1000)) {
    const found = await db
      .selectFrom('contacts as ct')
      .innerJoin('customers as c', 'c.id', 'ct.customerId')
      .select(['ct.id', 'ct.customerId', 'ct.name', 'ct.phoneKey', 'ct.emailKey', 'ct.custom'])
      .select(contactOwnerValue().as('ownerId'))
      .where('ct.workspaceId', '=', ctx.workspaceId)
      .where('ct.deletedAt', 'is', null)
      .where('ct.customerId', 'in', part)
      .orderBy('ct.customerId')
      .orderBy('ct.createdAt')
      .execute();
    for (const c of found) {
      out.push({ id: c.id, name: c.name, ownerId: c.ownerId, custom: c.custom, keys: { phone: scoped(c.customerId, c.phoneKey), email: scoped(c.customerId, c.emailKey), name: scoped(c.customerId, optionKey(c.name)) } });
    }
  }
  return out;
}

function newRecord(ctx: Ctx, p: Row) {
  const f = p.patch;
  const text = (k: string) => (typeof f[k] === 'string' ? f[k] : null);
  const customer = p.extra.customer as Customer;
  return newContactRecord({
    workspaceId: ctx.workspaceId,
    customerId: customer.id,
    ownerId: customer.ownerId,
    name: text('name') ?? '',
    phone: text('phone'),
    email: text('email'),
    title: text('title'),
    department: text('department'),
    wechat: text('wechat'),
    remark: text('remark'),
    isDecisionMaker: f.isDecisionMaker === 1,
    custom: p.custom,
    createdBy: ctx.run.auth.userId,
    now: ctx.run.now,
  });
}

/**
 * Contacts from rows, each filed under the customer named in its row. A duplicate is a contact of
 * the same customer with the same phone, email or name (looked for in every mode: cheap per customer).
 */
registerImportEntity<State, Extra>({
  entity: 'contact',
  fields: ['customer', 'name', 'phone', 'email', 'title', 'department', 'wechat', 'isPrimary', 'isDecisionMaker', 'remark'],
  requiredFields: ['customer', 'name'],
  permissionFields: { phone: 'phone', email: 'email', wechat: 'wechat', title: 'title', remark: 'remark' },
  headerGuesses: {
    customer: ['客户名称', '客户', '公司名称', '公司', '所属客户', '所属公司', '企业名称', '单位名称', 'customer', 'customername', 'company', 'companyname', 'account', 'accountname'],
    name: ['联系人', '联系人姓名', '联系人名称', '姓名', '名字', 'name', 'contact', 'contactname', 'fullname'],
    ...commonHeaderGuesses,
    title: ['职务', '职位', '头衔', 'title', 'jobtitle', 'position'],
    department: ['部门', '所在部门', 'department', 'dept'],
    wechat: ['微信', '微信号', 'wechat', 'weixin'],
    isPrimary: ['首要联系人', '主联系人', '主要联系人', 'primary', 'isprimary', 'primarycontact'],
    isDecisionMaker: ['关键决策人', '决策人', '是否决策人', 'decisionmaker', 'isdecisionmaker', 'keydecisionmaker'],
  },
  templateLabels: {
    customer: ['客户名称', 'Customer name'],
    name: ['联系人姓名', 'Contact name'],
    phone: ['电话', 'Phone'],
    email: ['邮箱', 'Email'],
    title: ['职务', 'Title'],
    department: ['部门', 'Department'],
    wechat: ['微信', 'WeChat'],
    isPrimary: ['首要联系人', 'Primary contact'],
    isDecisionMaker: ['关键决策人', 'Decision maker'],
    remark: ['备注', 'Remark'],
  },
  templateHints: {
    customer: ['已有客户的名称', 'the name of an existing customer'],
    isPrimary: ['是 / 否', 'yes / no'],
    isDecisionMaker: ['是 / 否', 'yes / no'],
  },
  dedupeKeys: ['phone', 'email', 'name'],
  dedupeInCreateMode: true,
  analyzeTables: ['contacts', 'search_docs'],

  async setup({ run }) {
    const ctx = await customerContext(run.deps, run.auth, ['edit']);
    return { visibility: ctx.visibility, edit: ctx.scopes.edit ?? null };
  },
  validateRow,
  resolveBatch,
  findExisting,
  newRecord,

  async writeBatch(ctx, trx, { creates, updates }) {
    const { workspaceId } = ctx;
    await insertContacts.insert(
      trx,
      creates.map((c) => c.record),
    );
    await updateRecords(trx, 'contacts', workspaceId, updates, ctx.run.now);
    // 首要联系人: an explicit "primary" row wins; otherwise a customer without one gets its first new contact.
    const primaryOf = new Map<string, string>();
    for (const c of creates) {
      const customer = c.rows[0]?.extra.customer;
      if (customer && (c.rows.some((r) => r.extra.primary) || (customer.primaryContactId === null && !primaryOf.has(customer.id)))) {
        primaryOf.set(customer.id, String(c.record.id));
      }
    }
    for (const u of updates) {
      const customer = u.rows[0]?.extra.customer;
      if (customer && u.rows.some((r) => r.extra.primary)) {
        primaryOf.set(customer.id, u.id);
      }
    }
    for (const [customerId, contactId] of primaryOf) {
      await setPrimaryContact(trx, workspaceId, customerId, contactId, ctx.run.now);
    }
    // New contacts get their entries from the indexing stage (or its lane) unless this database indexes in the batch.
    const fresh = defersIndex({ deferredIndex: contactIndex }, ctx.run.deps.dialect) ? [] : creates.map((c) => String(c.record.id));
    await reindexContacts(trx, ctx.run.deps.dialect, workspaceId, [...fresh, ...updates.map((u) => u.id)]);
  },

  deferredIndex: contactIndex,
});
