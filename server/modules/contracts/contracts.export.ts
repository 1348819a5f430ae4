import { fetchKeysetRows, keysetWalks } from '../../list/list-page';
import { type ExportColumnDef, registerExportEntity } from '../exports/exports.registry';
import { scopeFilter } from '../permissions/permissions.service';
import { type ContractContext, presentContract } from './contracts.context';
import { contractListSpec } from './contracts.list-spec';
import { type ContractRow, contractWalk, countContracts } from './contracts.repo';
import type { Contract } from './contracts.schema';
import { workspaceCurrency } from '../workspace/workspace.currency';

const statusLabels: Record<string, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'draft' },
  pending: { zh: '审批中', en: 'pending' },
  approved: { zh: '已通过', en: 'approved' },
  rejected: { zh: '已驳回', en: 'rejected' },
  void: { zh: '已作废', en: 'void' },
};

const text = (value: string | null | undefined) => value ?? '';

const columns: ExportColumnDef<Contract>[] = [
  { key: 'number', zh: '合同编号', en: 'Number', cell: (c) => c.number },
  { key: 'name', zh: '合同名称', en: 'Contract name', cell: (c) => c.name },
  { key: 'customerName', zh: '客户名称', en: 'Customer', cell: (c) => text(c.customerName) },
  { key: 'dealName', zh: '商机', en: 'Deal', cell: (c) => text(c.dealName) },
  { key: 'total', zh: '合同金额', en: 'Total', permissionField: 'total', cell: (c) => c.total ?? '' },
  {
    key: 'status',
    zh: '状态',
    en: 'Status',
    cell: (c, x) => {
      const label = statusLabels[c.status];
      return label ? x.word(label.zh, label.en) : c.status;
    },
  },
  { key: 'signDate', zh: '签约日期', en: 'Sign date', permissionField: 'signDate', cell: (c) => text(c.signDate) },
  { key: 'startDate', zh: '开始日期', en: 'Start date', permissionField: 'period', cell: (c) => text(c.startDate) },
  { key: 'endDate', zh: '结束日期', en: 'End date', permissionField: 'period', cell: (c) => text(c.endDate) },
  { key: 'signerName', zh: '我方签约人', en: 'Signed by', permissionField: 'signer', cell: (c) => text(c.signerName) },
  { key: 'customerSignerName', zh: '客户签约人', en: 'Customer signer', permissionField: 'customerSigner', cell: (c) => text(c.customerSignerName) },
  { key: 'ownerName', zh: '负责人', en: 'Owner', permissionField: 'owner', cell: (c) => text(c.ownerName) },
  { key: 'remark', zh: '备注', en: 'Remark', permissionField: 'remark', cell: (c) => text(c.remark) },
  { key: 'approvedAt', zh: '通过时间', en: 'Approved at', cell: (c, x) => x.formatTime(c.approvedAt) },
  { key: 'createdAt', zh: '创建时间', en: 'Created at', cell: (c, x) => x.formatTime(c.createdAt) },
];

/** Contracts: the list's own query within the requester's contract:export scope, and the API's presenter (field rules). */
registerExportEntity<ContractRow, Contract>({
  entity: 'contract',
  names: { zh: '合同', en: 'contracts' },
  listSpec: contractListSpec,
  columns,
  customValues: (c) => c.custom,
  plan: async (deps, auth, { list, ids, definitions }) => {
    const [scope, currency] = await Promise.all([scopeFilter(deps, auth, 'contract', 'export'), workspaceCurrency(deps.db, auth.workspaceId)]);
    const options = { q: list.q, ids };
    const ctx: ContractContext = { principal: auth, definitions: [...definitions], view: scope, scopes: {}, currency };
    return {
      page: (db, page) => fetchKeysetRows(keysetWalks(deps.dialect, contractListSpec, page), page.limit, contractWalk(db, deps.dialect, auth.workspaceId, scope, page, options)),
      count: async (db) => (await countContracts(db, deps.dialect, auth.workspaceId, scope, list, options, 50_000_000)).total,
      present: (rows) => rows.map((r) => presentContract(auth.permissions, ctx, r)),
    };
  },
});
