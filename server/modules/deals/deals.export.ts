import { type ExportColumnDef, registerExportEntity } from '../exports/exports.registry';
import { scopeFilter } from '../permissions/permissions.service';
import { dealListSpec } from './deals.list-spec';
import { countDeals, listDealRows } from './deals.list';
import { presentDeal } from './deals.present';
import type { DealRow } from './deals.repo';
import type { Deal } from './deals.schema';
import { workspaceCurrency } from '../workspace/workspace.currency';

const statusLabels: Record<string, { zh: string; en: string }> = {
  open: { zh: '进行中', en: 'open' },
  won: { zh: '赢单', en: 'won' },
  lost: { zh: '输单', en: 'lost' },
  invalid: { zh: '无效', en: 'invalid' },
};

const text = (value: string | null | undefined) => value ?? '';

const columns: ExportColumnDef<Deal>[] = [
  { key: 'name', zh: '商机名称', en: 'Deal name', cell: (d) => d.name },
  { key: 'customerName', zh: '客户名称', en: 'Customer', cell: (d) => text(d.customerName) },
  { key: 'contactName', zh: '联系人', en: 'Contact', cell: (d) => text(d.contactName) },
  { key: 'amount', zh: '金额', en: 'Amount', permissionField: 'amount', cell: (d) => d.amount ?? '' },
  { key: 'stageName', zh: '阶段', en: 'Stage', cell: (d) => text(d.stageName) },
  { key: 'winProbability', zh: '赢单概率', en: 'Win probability', cell: (d) => (d.winProbability === null ? '' : `${d.winProbability}%`) },
  {
    key: 'status',
    zh: '状态',
    en: 'Status',
    cell: (d, x) => {
      const label = statusLabels[d.status];
      return label ? x.word(label.zh, label.en) : d.status;
    },
  },
  { key: 'lostReason', zh: '原因', en: 'Reason', permissionField: 'lostReason', cell: (d) => text(d.lostReason) },
  { key: 'expectedCloseDate', zh: '预计成交日期', en: 'Expected close', permissionField: 'expectedCloseDate', cell: (d) => text(d.expectedCloseDate) },
  { key: 'source', zh: '来源', en: 'Source', permissionField: 'source', cell: (d, x) => x.label('customer.source', d.source) },
  { key: 'ownerName', zh: '负责人', en: 'Owner', permissionField: 'owner', cell: (d) => text(d.ownerName) },
  { key: 'remark', zh: '备注', en: 'Remark', permissionField: 'remark', cell: (d) => text(d.remark) },
  { key: 'closedAt', zh: '结束时间', en: 'Closed at', cell: (d, x) => x.formatTime(d.closedAt) },
  { key: 'createdAt', zh: '创建时间', en: 'Created at', cell: (d, x) => x.formatTime(d.createdAt) },
];

const noAccess = { edit: false, delete: false, transfer: false };

/** Deals: the list's own query within the requester's deal:export scope, and the API's presenter (field rules). */
registerExportEntity<DealRow, Deal>({
  entity: 'deal',
  names: { zh: '商机', en: 'deals' },
  listSpec: dealListSpec,
  extraFilterKeys: ['tag'],
  columns,
  customValues: (d) => d.custom,
  plan: async (deps, auth, { list, extra, ids, definitions }) => {
    const [scope, currency] = await Promise.all([scopeFilter(deps, auth, 'deal', 'export'), workspaceCurrency(deps.db, auth.workspaceId)]);
    const options = { deleted: false, tagIds: extra.tag ?? [], q: list.q, ids };
    return {
      page: (db, page) => listDealRows(db, deps.dialect, auth.workspaceId, scope, page, options),
      count: async (db) => (await countDeals(db, deps.dialect, auth.workspaceId, scope, list, options, 50_000_000)).total,
      present: (rows) => rows.map((r) => presentDeal(auth.permissions, definitions, r, [], noAccess, currency)),
    };
  },
});
