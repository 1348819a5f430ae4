import type { Kysely } from 'kysely';
import { customerContactColumns, firstContactColumns } from '../../../common/customer-contact-columns';
import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import { newId } from '../../db/ids';
import type { CustomersTable, Database } from '../../db/types';
import { customerContext } from '../customers/customers.context';
import { createCustomerBody } from '../customers/customers.schema';
import { can, inScope } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';
import { listPicklists } from '../picklists/picklists.service';
import { BulkInsert, updateRecords } from './bulk-insert';
import { customerIndex, indexWrittenCustomers } from './imports.customers-index';
import { defersIndex } from './imports.indexing';
import { type ExistingRecord, type ImportContext, registerImportEntity } from './imports.registry';
import { chunked, commonHeaderGuesses, keyChunks, oldestFirst, optionKey, optionLookup, picklistLookups, pickOption, rowBody, rowOwner, type RowError, schemaPatch, setKeyColumns, splitList } from './imports.values';
import { customerFieldOf } from '../customers/customers.permissions';
import { checkContactColumns, contactHeaderGuesses, contactPermissionFields, contactTemplateHints, contactTemplateLabels, insertNewCustomersContacts, newCustomersContacts, type RowContact, rowContacts, updateCustomersContacts } from './imports.customer-contacts';

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

interface State {
  lookups: Record<(typeof picklistFields)[number], Map<string, string>>;
  /** Tag ids by optionKey(name); grows as an import creates tags. */
  tags: Map<string, string>;
  canCreateTags: boolean;
  assign: ScopeFilter | null;
  edit: ScopeFilter | null;
  view: ScopeFilter;
}

interface Extra {
  ownerId: string | null;
  tagNames: string[];
  /** The row's 联系人 columns, one contact per slot filled (imports.customer-contacts.ts). */
  contacts: RowContact[];
}

type Ctx = ImportContext<State>;

/** Built-in fields of a row, validated by the API's own schema; owner and tags resolved to ids/names. */
function validateRow(ctx: Ctx, values: Record<string, string>) {
  const { state, run } = ctx;
  const errors: RowError[] = [];
  const body = rowBody(values, textFields);
  pickOption(body, values, 'kind', kinds, 'must be company or person (公司/个人)', errors);
  pickOption(body, values, 'lifecycleStage', stages, 'not a lifecycle stage', errors);
  for (const f of picklistFields) {
    pickOption(body, values, f, state.lookups[f], 'not one of the configured options', errors);
  }
  const patch = schemaPatch(createCustomerBody, body, errors);
  const ownerId = rowOwner(ctx.users, values.owner, run.auth.userId, state.assign, 'customers', errors);
  const tagNames: string[] = [];
  for (const name of values.tags === undefined ? [] : splitList(values.tags)) {
    if (name.length > 50) {
      errors.push({ field: 'tags', message: 'a tag name has at most 50 characters' });
    } else if (!state.tags.has(optionKey(name)) && !state.canCreateTags) {
      errors.push({ field: 'tags', message: `no tag named ${name}` });
    } else {
      tagNames.push(name);
    }
  }
  const contacts = rowContacts(values, errors);
  const keys = { name: companyKey(patch.name ?? ''), phone: phoneKey(patch.phone ?? undefined), email: emailKey(patch.email ?? undefined) };
  setKeyColumns(patch, keys, ['name', 'phone', 'email']);
  return { errors, patch, keys, extra: { ownerId, tagNames, contacts } satisfies Extra };
}

/** Existing customers sharing a normalised name, phone or email with the rows (indexed IN lookups), oldest first. */
async function findExisting(ctx: Ctx, db: Kysely<Database>, rows: readonly { keys: Record<string, string | null> }[]) {
  const columns = { name: 'nameKey', phone: 'phoneKey', email: 'emailKey' } as const;
  const found = new Map<string, ExistingRecord & { createdAt: string }>();
  for (const key of ['name', 'phone', 'email'] as const) {
    for (const part of keyChunks(rows, key)) {
      // No ORDER BY: it could tempt the planner into walking a created_at index over the whole workspace.
      const matches = await db
        .selectFrom('customers')
        .select(['id', 'name', 'ownerId', 'custom', 'nameKey', 'phoneKey', 'emailKey', 'createdAt'])
        .where('workspaceId', '=', ctx.workspaceId)
        .where('deletedAt', 'is', null)
        .where(columns[key], 'in', part)
        .execute();
      for (const r of matches) {
        found.set(r.id, { id: r.id, name: r.name, ownerId: r.ownerId, custom: r.custom, createdAt: r.createdAt, keys: { name: r.nameKey, phone: r.phoneKey, email: r.emailKey } });
      }
    }
  }
  return oldestFirst(found.values());
}

/** Visible: owner in view scope or a live collaboration; editable: owner in edit scope or a write collaboration. */
async function access(ctx: Ctx, db: Kysely<Database>, records: readonly ExistingRecord[]) {
  const shared = new Map<string, 'read' | 'write'>();
  const userId = ctx.run.auth.userId;
  if (userId) {
    for (const part of chunked([...new Set(records.map((r) => r.id))], 1000)) {
      const rows = await db
        .selectFrom('customerCollaborators')
        .select(['customerId', 'access', 'expiresAt'])
        .where('workspaceId', '=', ctx.workspaceId)
        .where('userId', '=', userId)
        .where('customerId', 'in', part)
        .execute();
      for (const r of rows) {
        if (r.expiresAt === null || r.expiresAt > ctx.run.now) {
          shared.set(r.customerId, r.access);
        }
      }
    }
  }
  const { view, edit } = ctx.state;
  return {
    visible: (r: ExistingRecord) => inScope(view, r.ownerId) || shared.has(r.id),
    editable: (r: ExistingRecord) => (edit !== null && inScope(edit, r.ownerId)) || shared.get(r.id) === 'write',
  };
}

function newRecord(ctx: Ctx, p: { patch: Record<string, string | number | null>; keys: Record<string, string | null>; custom: Record<string, unknown>; extra: Extra }) {
  const f = p.patch as Record<string, string | undefined>;
  const { run, workspaceId } = ctx;
  return {
    id: newId(),
    workspaceId,
    name: f.name ?? '',
    nameKey: p.keys.name ?? '',
    kind: f.kind ?? 'company',
    phone: f.phone ?? null,
    phoneKey: p.keys.phone ?? null,
    email: f.email ?? null,
    emailKey: p.keys.email ?? null,
    website: f.website ?? null,
    level: f.level ?? null,
    source: f.source ?? null,
    industry: f.industry ?? null,
    lifecycleStage: f.lifecycleStage ?? 'prospect',
    dealStatus: 'none',
    ownerId: p.extra.ownerId,
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
    ownerSince: p.extra.ownerId ? run.now : null,
    custom: JSON.stringify(p.custom),
    createdBy: run.auth.userId,
    createdAt: run.now,
    updatedAt: run.now,
    deletedAt: null,
    deletedBy: null,
    version: 1,
  };
}

/** Tag ids by name; names not known yet are created (the rows asking for them were checked for tag:create). */
async function ensureTags(ctx: Ctx, db: Kysely<Database>, names: readonly string[]): Promise<Map<string, string>> {
  const { tags } = ctx.state;
  const missing = names.filter((n) => !tags.has(optionKey(n)));
  if (missing.length > 0) {
    const unique = [...new Map(missing.map((n) => [optionKey(n), n])).values()];
    await db
      .insertInto('tags')
      .values(unique.map((name) => ({ id: newId(), workspaceId: ctx.workspaceId, name, color: 'blue', createdAt: ctx.run.now })))
      .onConflict((oc) => oc.columns(['workspaceId', 'name']).doNothing())
      .execute();
    const rows = await db.selectFrom('tags').select(['id', 'name']).where('workspaceId', '=', ctx.workspaceId).where('name', 'in', unique).execute();
    for (const r of rows) {
      tags.set(optionKey(r.name), r.id);
    }
  }
  return tags;
}

const customerOwnFields = ['name', 'kind', 'phone', 'email', 'website', 'level', 'source', 'industry', 'lifecycleStage', 'province', 'city', 'district', 'address', 'remark', 'owner', 'tags'];

const tagNamesOf = (rows: readonly { extra: Extra }[]) => new Set(rows.flatMap((r) => r.extra.tagNames));

registerImportEntity<State, Extra>({
  entity: 'customer',
  fields: [...customerOwnFields, ...Object.keys(customerContactColumns)],
  templateFields: [...customerOwnFields, ...firstContactColumns],
  requiredFields: ['name'],
  permissionFields: { ...customerFieldOf, owner: 'owner', tags: 'tags', ...contactPermissionFields },
  headerGuesses: {
    name: ['客户名称', '客户名', '公司名称', '公司名', '公司', '客户', '企业名称', '企业', '单位名称', '单位', '名称', 'name', 'company', 'companyname', 'customer', 'customername', 'account', 'accountname', 'organization', 'organisation'],
    kind: ['客户类型', '类型', '客户性质', 'kind', 'type', 'customertype'],
    ...commonHeaderGuesses,
    website: ['网址', '网站', '官网', '公司网址', '公司网站', 'website', 'url', 'web', 'homepage'],
    level: ['级别', '客户级别', '等级', '客户等级', 'level', 'rating', 'tier', 'grade'],
    source: ['来源', '客户来源', '获客渠道', '渠道', 'source', 'leadsource', 'channel'],
    industry: ['行业', '所属行业', '客户行业', 'industry', 'sector'],
    lifecycleStage: ['生命周期', '生命周期阶段', '客户阶段', '阶段', 'lifecycle', 'lifecyclestage', 'stage'],
    province: ['省份', '省', '所在省份', '所在省', 'province', 'state'],
    city: ['城市', '市', '所在城市', '所在市', 'city'],
    district: ['区县', '区', '县', '所在区县', 'district', 'county'],
    address: ['地址', '详细地址', '联系地址', '公司地址', '通讯地址', 'address', 'streetaddress'],
    owner: ['负责人', '所有人', '归属人', '销售', '销售负责人', '客户负责人', '跟进人', '业务员', 'owner', 'salesrep', 'assignedto', 'accountowner'],
    tags: ['标签', '客户标签', 'tags', 'tag', 'labels', 'label'],
    ...contactHeaderGuesses,
  },
  templateLabels: {
    name: ['客户名称', 'Customer name'],
    kind: ['客户类型', 'Customer type'],
    phone: ['电话', 'Phone'],
    email: ['邮箱', 'Email'],
    website: ['网址', 'Website'],
    level: ['客户级别', 'Level'],
    source: ['客户来源', 'Source'],
    industry: ['所属行业', 'Industry'],
    lifecycleStage: ['生命周期阶段', 'Lifecycle stage'],
    province: ['省份', 'Province'],
    city: ['城市', 'City'],
    district: ['区县', 'District'],
    address: ['详细地址', 'Address'],
    remark: ['备注', 'Remark'],
    owner: ['负责人', 'Owner'],
    tags: ['标签', 'Tags'],
    ...contactTemplateLabels,
  },
  templateHints: {
    kind: ['公司 或 个人', 'company or person'],
    lifecycleStage: ['潜在、意向、成交、忠诚 或 流失', 'prospect, intent, customer, loyal or churned'],
    owner: ['用户姓名或邮箱；不填为导入人', "a user's name or email; empty: you"],
    tags: ['多个标签用逗号分隔', 'several tags, separated by commas'],
    ...contactTemplateHints,
  },
  optionLists: { level: 'customer.level', source: 'customer.source', industry: 'customer.industry' },
  dedupeKeys: ['name', 'phone', 'email'],
  analyzeTables: ['customers', 'record_tags', 'search_docs'],

  async setup({ run, workspaceId }) {
    const { deps, auth } = run;
    checkContactColumns(auth.permissions, run.mapping, run.duplicateMode);
    const [ctx, picklists, tagRows] = await Promise.all([
      customerContext(deps, auth, ['edit', 'assign']),
      listPicklists(deps, workspaceId),
      deps.db.selectFrom('tags').select(['id', 'name']).where('workspaceId', '=', workspaceId).execute(),
    ]);
    const lookups: State['lookups'] = picklistLookups(picklists, 'customer', picklistFields);
    return {
      lookups,
      tags: new Map(tagRows.map((t) => [optionKey(t.name), t.id])),
      canCreateTags: can(auth.permissions, 'tag:create'),
      assign: ctx.scopes.assign ?? null,
      edit: ctx.scopes.edit ?? null,
      view: ctx.visibility.scope,
    };
  },
  checkRun: checkContactColumns,
  validateRow,
  findExisting,
  access,
  newRecord,

  async writeBatch(ctx, trx, { creates, updates }) {
    const { workspaceId } = ctx;
    const { dialect } = ctx.run.deps;
    const stamp = { workspaceId, createdBy: ctx.run.auth.userId, now: ctx.run.now };
    const tagIds = await ensureTags(ctx, trx, [...tagNamesOf([...creates, ...updates].flatMap((c) => c.rows))]);
    const contacts = newCustomersContacts(creates, stamp);
    await insertCustomers.insertMany(
      trx,
      dialect,
      creates.map((c) => c.record),
    );
    await insertNewCustomersContacts(trx, dialect, workspaceId, contacts, creates, defersIndex({ deferredIndex: customerIndex }, dialect));
    await updateRecords(trx, 'customers', workspaceId, updates, ctx.run.now);
    await updateCustomersContacts(trx, dialect, updates, stamp);
    const links = creates.flatMap((c) => [...tagNamesOf(c.rows)].map((name) => ({ workspaceId, entity: 'customer', recordId: String(c.record.id), tagId: tagIds.get(optionKey(name)) })));
    await insertRecordTags.insert(
      trx,
      links.filter((l) => l.tagId !== undefined),
    );
    for (const u of updates) {
      for (const name of tagNamesOf(u.rows)) {
        const tagId = tagIds.get(optionKey(name));
        if (tagId) {
          await trx.insertInto('recordTags').values({ workspaceId, entity: 'customer', recordId: u.id, tagId }).onConflict((oc) => oc.doNothing()).execute();
        }
      }
    }
    await indexWrittenCustomers(
      trx,
      dialect,
      workspaceId,
      creates.map((c) => c.record),
      updates.map((u) => u.id),
    );
  },

  deferredIndex: customerIndex,
});
