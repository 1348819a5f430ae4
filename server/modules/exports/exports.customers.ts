import { type Expression, type SqlBool, sql } from 'kysely';
import { AppError } from '../../http/app-error';
import { customerContext } from '../customers/customers.context';
import { customerListSpec } from '../customers/customers.list-spec';
import { presentCustomer } from '../customers/customers.present';
import { type CustomerRow, countCustomers, findTagsOf, listCustomerRows } from '../customers/customers.repo';
import type { Customer } from '../customers/customers.schema';
import { customerSearchCondition } from '../customers/customers.search';
import { scopeFilter } from '../permissions/permissions.service';
import { type ExportColumnDef, registerExportEntity } from './exports.registry';

const stageLabels: Record<string, { zh: string; en: string }> = {
  prospect: { zh: '潜在', en: 'Prospect' },
  intent: { zh: '意向', en: 'Intent' },
  customer: { zh: '成交', en: 'Customer' },
  loyal: { zh: '忠诚', en: 'Loyal' },
  churned: { zh: '流失', en: 'Churned' },
};

function text(value: string | null | undefined): string {
  return value ?? '';
}

/**
 * Built-in customer columns. Headers are the words the importer recognises, so an exported file
 * imports back with its columns mapped.
 */
export const customerExportColumns: ExportColumnDef<Customer>[] = [
  { key: 'name', zh: '客户名称', en: 'Name', cell: (c) => c.name },
  { key: 'kind', zh: '客户类型', en: 'Kind', cell: (c, x) => (c.kind === 'person' ? x.word('个人', 'person') : x.word('公司', 'company')) },
  { key: 'phone', zh: '电话', en: 'Phone', permissionField: 'phone', cell: (c) => text(c.phone) },
  { key: 'email', zh: '邮箱', en: 'Email', permissionField: 'email', cell: (c) => text(c.email) },
  { key: 'website', zh: '网址', en: 'Website', permissionField: 'website', cell: (c) => text(c.website) },
  { key: 'level', zh: '客户级别', en: 'Level', permissionField: 'level', cell: (c, x) => x.label('customer.level', c.level) },
  { key: 'source', zh: '客户来源', en: 'Source', permissionField: 'source', cell: (c, x) => x.label('customer.source', c.source) },
  { key: 'industry', zh: '所属行业', en: 'Industry', permissionField: 'industry', cell: (c, x) => x.label('customer.industry', c.industry) },
  {
    key: 'lifecycleStage',
    zh: '生命周期',
    en: 'Lifecycle stage',
    permissionField: 'lifecycleStage',
    cell: (c, x) => {
      const label = c.lifecycleStage ? stageLabels[c.lifecycleStage] : undefined;
      return label ? x.word(label.zh, label.en) : '';
    },
  },
  { key: 'dealStatus', zh: '成交状态', en: 'Deal status', cell: (c, x) => (c.dealStatus === 'dealt' ? x.word('已成交', 'dealt') : x.word('未成交', 'none')) },
  { key: 'ownerName', zh: '负责人', en: 'Owner', permissionField: 'owner', cell: (c) => text(c.ownerName) },
  { key: 'province', zh: '省份', en: 'Province', permissionField: 'address', cell: (c) => text(c.province) },
  { key: 'city', zh: '城市', en: 'City', permissionField: 'address', cell: (c) => text(c.city) },
  { key: 'district', zh: '区县', en: 'District', permissionField: 'address', cell: (c) => text(c.district) },
  { key: 'address', zh: '地址', en: 'Address', permissionField: 'address', cell: (c) => text(c.address) },
  { key: 'remark', zh: '备注', en: 'Remark', permissionField: 'remark', cell: (c) => text(c.remark) },
  { key: 'tags', zh: '标签', en: 'Tags', permissionField: 'tags', cell: (c) => (c.tags ?? []).map((t) => t.name).join(', ') },
  { key: 'primaryContactName', zh: '首要联系人', en: 'Primary contact', cell: (c) => text(c.primaryContactName) },
  { key: 'locked', zh: '锁定', en: 'Locked', cell: (c, x) => (c.locked ? x.word('是', 'yes') : x.word('否', 'no')) },
  { key: 'lastFollowupAt', zh: '最近跟进时间', en: 'Last follow-up', cell: (c, x) => x.formatTime(c.lastFollowupAt) },
  { key: 'lastFollowupContent', zh: '最近跟进内容', en: 'Last follow-up content', cell: (c) => text(c.lastFollowupContent) },
  { key: 'nextFollowupAt', zh: '下次联系时间', en: 'Next follow-up', cell: (c, x) => x.formatTime(c.nextFollowupAt) },
  { key: 'createdAt', zh: '创建时间', en: 'Created at', cell: (c, x) => x.formatTime(c.createdAt) },
  { key: 'updatedAt', zh: '更新时间', en: 'Updated at', cell: (c, x) => x.formatTime(c.updatedAt) },
];

const uuid = /^[0-9a-f-]{36}$/;
const noAccess = { edit: false, delete: false, transfer: false };

/** A list row with its tags, looked up per page. */
type ExportRow = CustomerRow & { tags?: { id: string; name: string; color: string }[] };

/**
 * Customers: the list's own query (listCustomerRows: data scope — the requester's export scope —
 * filters, `q`, tags, sort) and the list's own presenter (presentCustomer: hidden fields left out,
 * masked ones masked).
 */
registerExportEntity<ExportRow, Customer>({
  entity: 'customer',
  names: { zh: '客户', en: 'customers' },
  listSpec: customerListSpec,
  extraFilterKeys: ['tag'],
  columns: customerExportColumns,
  customValues: (c) => c.custom,
  plan: async (deps, auth, { list, extra, ids, definitions, columns }) => {
    const tagIds = extra.tag ?? [];
    if (tagIds.some((t) => !uuid.test(t))) {
      throw new AppError('unknown_filter', { errors: [{ path: 'tag', message: 'must be tag ids' }] });
    }
    const conditions: Expression<SqlBool>[] = [];
    let byIds = false;
    if (list.q) {
      const search = await customerSearchCondition(deps, auth, list.q);
      conditions.push(search.condition);
      byIds = search.byIds;
    }
    if (ids && ids.length > 0) {
      conditions.push(sql<SqlBool>`c.id in (${sql.join([...ids])})`);
      // A selection is a handful of primary keys: start from them, not from the workspace's sort index.
      byIds = true;
    }
    const search = conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
    const options = { deleted: false, tagIds, search, searchByIds: byIds };
    const ctx = await customerContext(deps, auth, []);
    const visibility = { ...ctx.visibility, scope: await scopeFilter(deps, auth, 'customer', 'export') };
    const workspaceId = auth.workspaceId;
    const needTags = columns.includes('tags');
    return {
      // The page's tags are read with it (on the long-read worker, while the previous page is written).
      page: async (db, page) => {
        const rows: ExportRow[] = await listCustomerRows(db, deps.dialect, workspaceId, visibility, page, options);
        if (needTags && rows.length > 0) {
          const byId = new Map(rows.map((r) => [r.id, r]));
          for (const t of await findTagsOf(db, workspaceId, 'customer', rows.map((r) => r.id))) {
            const row = byId.get(t.recordId);
            if (row) {
              (row.tags ??= []).push({ id: t.id, name: t.name, color: t.color });
            }
          }
        }
        return rows;
      },
      count: async (db) => (await countCustomers(db, deps.dialect, workspaceId, visibility, list, options, 50_000_000)).total,
      present: (rows) => rows.map((r) => presentCustomer(auth.permissions, definitions, r, r.tags ?? [], noAccess)),
    };
  },
});
