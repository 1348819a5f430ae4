import type { Kysely } from 'kysely';
import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import type { LeadsTable } from '../../db/types-leads';
import { BulkInsert, updateRecords } from '../imports/bulk-insert';
import { type ExistingRecord, type ImportContext, registerImportEntity } from '../imports/imports.registry';
import { commonHeaderGuesses, keyChunks, oldestFirst, optionLookup, picklistLookups, pickOption, rowBody, type RowError, rowOwner, schemaPatch, setKeyColumns } from '../imports/imports.values';
import { can, inScope, scopeFilter } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';
import { listPicklists } from '../picklists/picklists.service';
import { createLeadBody } from './leads.schema';
import { leadDoc, reindexLeads } from './leads.search';
import { indexDocs } from '../search/search.index';

// Lead import (CSV / XLSX) through the generic import pipeline (server/modules/imports): rows are
// validated by the API's own schema, duplicates are found by normalised phone and email among
// live leads, and converted leads are never updated (they are read-only).

const leadColumns = [
  'id',
  'workspaceId',
  'name',
  'company',
  'companyKey',
  'phone',
  'phoneKey',
  'email',
  'emailKey',
  'title',
  'source',
  'industry',
  'address',
  'remark',
  'status',
  'ownerId',
  'ownerSince',
  'lastFollowupAt',
  'lastFollowupContent',
  'nextFollowupAt',
  'custom',
  'convertedAt',
  'convertedBy',
  'customerId',
  'contactId',
  'dealId',
  'createdBy',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'deletedBy',
  'version',
] as const satisfies readonly (keyof LeadsTable)[];

const insertLeads = new BulkInsert('leads', leadColumns);
const insertEvents = new BulkInsert('leadEvents', ['id', 'workspaceId', 'leadId', 'kind', 'actorUserId', 'data', 'createdAt']);

const statuses = optionLookup([
  { value: 'new', label: '新线索' },
  { value: 'new', label: '新建' },
  { value: 'new', label: 'new' },
  { value: 'contacted', label: '已联系' },
  { value: 'contacted', label: 'contacted' },
  { value: 'qualified', label: '已确认' },
  { value: 'qualified', label: '有效' },
  { value: 'qualified', label: 'qualified' },
  { value: 'invalid', label: '无效' },
  { value: 'invalid', label: 'invalid' },
]);

const textFields = ['company', 'phone', 'email', 'title', 'address', 'remark'] as const;
const picklistFields = ['source', 'industry'] as const;

interface State {
  lookups: Record<(typeof picklistFields)[number], Map<string, string>>;
  view: ScopeFilter;
  edit: ScopeFilter | null;
  assign: ScopeFilter | null;
  /** Existing leads found as duplicates that are converted (read-only: never updated). */
  converted: Set<string>;
}

interface Extra {
  ownerId: string | null;
}

type Ctx = ImportContext<State>;

function validateRow(ctx: Ctx, values: Record<string, string>) {
  const { state, run } = ctx;
  const errors: RowError[] = [];
  const body = rowBody(values, textFields);
  for (const f of picklistFields) {
    pickOption(body, values, f, state.lookups[f], 'not one of the configured options', errors);
  }
  pickOption(body, values, 'status', statuses, 'must be new, contacted, qualified or invalid', errors);
  const patch = schemaPatch(createLeadBody, body, errors);
  const ownerId = rowOwner(ctx.users, values.owner, run.auth.userId, state.assign, 'leads', errors);
  const keys = { phone: phoneKey(patch.phone ?? undefined), email: emailKey(patch.email ?? undefined) };
  if (patch.company !== undefined) {
    patch.companyKey = patch.company ? companyKey(patch.company) || null : null;
  }
  setKeyColumns(patch, keys, ['phone', 'email']);
  return { errors, patch, keys, extra: { ownerId } satisfies Extra };
}

/** Live leads sharing a normalised phone or email with the rows, oldest first. */
async function findExisting(ctx: Ctx, db: Kysely<Database>, rows: readonly { keys: Record<string, string | null> }[]) {
  const columns = { phone: 'phoneKey', email: 'emailKey' } as const;
  const found = new Map<string, ExistingRecord & { createdAt: string }>();
  for (const key of ['phone', 'email'] as const) {
    for (const part of keyChunks(rows, key)) {
      const matches = await db
        .selectFrom('leads')
        .select(['id', 'name', 'ownerId', 'custom', 'phoneKey', 'emailKey', 'status', 'createdAt'])
        .where('workspaceId', '=', ctx.workspaceId)
        .where('deletedAt', 'is', null)
        .where(columns[key], 'in', part)
        .execute();
      for (const r of matches) {
        if (r.status === 'converted') {
          ctx.state.converted.add(r.id);
        }
        found.set(r.id, { id: r.id, name: r.name, ownerId: r.ownerId, custom: r.custom, createdAt: r.createdAt, keys: { phone: r.phoneKey, email: r.emailKey } });
      }
    }
  }
  return oldestFirst(found.values());
}

function newRecord(ctx: Ctx, p: { patch: Record<string, string | number | null>; keys: Record<string, string | null>; custom: Record<string, unknown>; extra: Extra }) {
  const f = p.patch as Record<string, string | undefined>;
  const { run, workspaceId } = ctx;
  return {
    id: newId(),
    workspaceId,
    name: f.name ?? '',
    company: f.company ?? null,
    companyKey: f.companyKey ?? null,
    phone: f.phone ?? null,
    phoneKey: p.keys.phone ?? null,
    email: f.email ?? null,
    emailKey: p.keys.email ?? null,
    title: f.title ?? null,
    source: f.source ?? null,
    industry: f.industry ?? null,
    address: f.address ?? null,
    remark: f.remark ?? null,
    status: f.status ?? 'new',
    ownerId: p.extra.ownerId,
    ownerSince: p.extra.ownerId ? run.now : null,
    lastFollowupAt: null,
    lastFollowupContent: null,
    nextFollowupAt: null,
    custom: JSON.stringify(p.custom),
    convertedAt: null,
    convertedBy: null,
    customerId: null,
    contactId: null,
    dealId: null,
    createdBy: run.auth.userId,
    createdAt: run.now,
    updatedAt: run.now,
    deletedAt: null,
    deletedBy: null,
    version: 1,
  };
}

registerImportEntity<State, Extra>({
  entity: 'lead',
  fields: ['name', 'company', 'phone', 'email', 'title', 'source', 'industry', 'address', 'remark', 'status', 'owner'],
  requiredFields: ['name'],
  permissionFields: { company: 'company', phone: 'phone', email: 'email', title: 'title', source: 'source', industry: 'industry', address: 'address', remark: 'remark', owner: 'owner' },
  headerGuesses: {
    name: ['姓名', '联系人', '联系人姓名', '名字', '线索名称', '线索', 'name', 'fullname', 'contact', 'contactname', 'leadname'],
    company: ['公司', '公司名称', '单位', '企业', '企业名称', 'company', 'companyname', 'organization', 'organisation', 'account'],
    ...commonHeaderGuesses,
    title: ['职务', '职位', '头衔', 'title', 'jobtitle', 'position'],
    source: ['来源', '线索来源', '渠道', '获客渠道', 'source', 'leadsource', 'channel'],
    industry: ['行业', '所属行业', 'industry', 'sector'],
    address: ['地址', '联系地址', '公司地址', 'address'],
    status: ['状态', '线索状态', 'status', 'leadstatus'],
    owner: ['负责人', '所有人', '跟进人', '销售', '业务员', 'owner', 'assignedto', 'salesrep'],
  },
  templateLabels: {
    name: ['姓名', 'Name'],
    company: ['公司名称', 'Company'],
    phone: ['电话', 'Phone'],
    email: ['邮箱', 'Email'],
    title: ['职务', 'Title'],
    source: ['线索来源', 'Source'],
    industry: ['所属行业', 'Industry'],
    address: ['地址', 'Address'],
    remark: ['备注', 'Remark'],
    status: ['线索状态', 'Status'],
    owner: ['负责人', 'Owner'],
  },
  templateHints: {
    status: ['新线索、已联系、已确认 或 无效', 'new, contacted, qualified or invalid'],
    owner: ['用户姓名或邮箱；不填为导入人', "a user's name or email; empty: you"],
  },
  optionLists: { source: 'customer.source', industry: 'customer.industry' },
  dedupeKeys: ['phone', 'email'],
  analyzeTables: ['leads'],

  async setup({ run, workspaceId }) {
    const { deps, auth } = run;
    const [view, edit, assign, picklists] = await Promise.all([
      scopeFilter(deps, auth, 'lead', 'view'),
      can(auth.permissions, 'lead:edit') ? scopeFilter(deps, auth, 'lead', 'edit') : null,
      can(auth.permissions, 'lead:assign') ? scopeFilter(deps, auth, 'lead', 'assign') : null,
      listPicklists(deps, workspaceId),
    ]);
    const lookups: State['lookups'] = picklistLookups(picklists, 'customer', picklistFields);
    return { lookups, view, edit, assign, converted: new Set<string>() };
  },
  validateRow,
  findExisting,
  access: async (ctx) => ({
    visible: (r: ExistingRecord) => inScope(ctx.state.view, r.ownerId),
    editable: (r: ExistingRecord) => ctx.state.edit !== null && inScope(ctx.state.edit, r.ownerId) && !ctx.state.converted.has(r.id),
  }),
  newRecord,

  async writeBatch(ctx, trx, { creates, updates }) {
    const { workspaceId, run } = ctx;
    await insertLeads.insert(
      trx,
      creates.map((c) => c.record),
    );
    await insertEvents.insert(
      trx,
      creates.map((c) => ({ id: newId(), workspaceId, leadId: c.record.id, kind: 'created', actorUserId: run.auth.userId, data: JSON.stringify({ name: c.record.name, ownerId: c.record.ownerId, via: 'import' }), createdAt: run.now })),
    );
    await updateRecords(trx, 'leads', workspaceId, updates, run.now);
    await indexDocs(
      trx,
      run.deps.dialect,
      workspaceId,
      creates.map((c) => leadDoc({ id: String(c.record.id), name: String(c.record.name), company: (c.record.company as string | null) ?? null, phone: (c.record.phone as string | null) ?? null, email: (c.record.email as string | null) ?? null, ownerId: (c.record.ownerId as string | null) ?? null })),
      { fresh: true },
    );
    await reindexLeads(
      trx,
      run.deps.dialect,
      workspaceId,
      updates.map((u) => u.id),
    );
  },
});
