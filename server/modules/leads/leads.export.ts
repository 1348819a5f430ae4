import { registerExportEntity, type ExportColumnDef } from '../exports/exports.registry';
import { scopeFilter } from '../permissions/permissions.service';
import { leadListSpec } from './leads.list-spec';
import { presentLead } from './leads.present';
import { countLeads, type LeadRow, listLeadRows } from './leads.repo';
import type { Lead } from './leads.schema';

const statusLabels: Record<string, { zh: string; en: string }> = {
  new: { zh: '新线索', en: 'new' },
  contacted: { zh: '已联系', en: 'contacted' },
  qualified: { zh: '已确认', en: 'qualified' },
  converted: { zh: '已转化', en: 'converted' },
  invalid: { zh: '无效', en: 'invalid' },
};

const text = (value: string | null | undefined) => value ?? '';

/** Headers are the words the lead importer recognises, so an exported file imports back. */
const columns: ExportColumnDef<Lead>[] = [
  { key: 'name', zh: '姓名', en: 'Name', cell: (l) => l.name },
  { key: 'company', zh: '公司', en: 'Company', permissionField: 'company', cell: (l) => text(l.company) },
  { key: 'phone', zh: '电话', en: 'Phone', permissionField: 'phone', cell: (l) => text(l.phone) },
  { key: 'email', zh: '邮箱', en: 'Email', permissionField: 'email', cell: (l) => text(l.email) },
  { key: 'title', zh: '职务', en: 'Title', permissionField: 'title', cell: (l) => text(l.title) },
  { key: 'source', zh: '来源', en: 'Source', permissionField: 'source', cell: (l, x) => x.label('customer.source', l.source) },
  { key: 'industry', zh: '行业', en: 'Industry', permissionField: 'industry', cell: (l, x) => x.label('customer.industry', l.industry) },
  {
    key: 'status',
    zh: '状态',
    en: 'Status',
    cell: (l, x) => {
      const label = statusLabels[l.status];
      return label ? x.word(label.zh, label.en) : l.status;
    },
  },
  { key: 'ownerName', zh: '负责人', en: 'Owner', permissionField: 'owner', cell: (l) => text(l.ownerName) },
  { key: 'address', zh: '地址', en: 'Address', permissionField: 'address', cell: (l) => text(l.address) },
  { key: 'remark', zh: '备注', en: 'Remark', permissionField: 'remark', cell: (l) => text(l.remark) },
  { key: 'lastFollowupAt', zh: '最近跟进时间', en: 'Last follow-up', cell: (l, x) => x.formatTime(l.lastFollowupAt) },
  { key: 'nextFollowupAt', zh: '下次联系时间', en: 'Next follow-up', cell: (l, x) => x.formatTime(l.nextFollowupAt) },
  { key: 'convertedAt', zh: '转化时间', en: 'Converted at', cell: (l, x) => x.formatTime(l.convertedAt) },
  { key: 'createdAt', zh: '创建时间', en: 'Created at', cell: (l, x) => x.formatTime(l.createdAt) },
];

const noAccess = { edit: false, delete: false, assign: false, convert: false };

/** Leads: the list's own query within the requester's lead:export scope, and its own presenter (field rules). */
registerExportEntity<LeadRow, Lead>({
  entity: 'lead',
  names: { zh: '线索', en: 'leads' },
  listSpec: leadListSpec,
  columns,
  customValues: (l) => l.custom,
  plan: async (deps, auth, { list, ids, definitions }) => {
    const scope = await scopeFilter(deps, auth, 'lead', 'export');
    const options = { deleted: false, ids };
    return {
      page: (db, page) => listLeadRows(db, deps.dialect, auth.workspaceId, scope, page, options),
      count: async (db) => (await countLeads(db, deps.dialect, auth.workspaceId, scope, list, options, 50_000_000)).total,
      present: (rows) => rows.map((r) => presentLead(auth.permissions, definitions, r, noAccess)),
    };
  },
});
