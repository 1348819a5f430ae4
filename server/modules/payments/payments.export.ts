import { fetchKeysetRows, keysetWalks } from '../../list/list-page';
import { type ExportColumnDef, registerExportEntity } from '../exports/exports.registry';
import { scopeFilter } from '../permissions/permissions.service';
import { countPaymentsForExport, paymentExportWalk } from './payments.export-repo';
import { paymentListSpec } from './payments.list-spec';
import { paymentContext } from './payments.policy';
import type { PaymentRow } from './payments.repo';
import type { Payment } from './payments.schema';
import { presentPayment } from './payments.service';

const statusLabels: Record<string, { zh: string; en: string }> = {
  pending: { zh: '审批中', en: 'pending' },
  approved: { zh: '已通过', en: 'approved' },
  rejected: { zh: '已驳回', en: 'rejected' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

const text = (value: string | null | undefined) => value ?? '';

const columns: ExportColumnDef<Payment>[] = [
  { key: 'contractNumber', zh: '合同编号', en: 'Contract number', cell: (p) => text(p.contractNumber) },
  { key: 'contractName', zh: '合同名称', en: 'Contract name', cell: (p) => text(p.contractName) },
  { key: 'customerName', zh: '客户名称', en: 'Customer', cell: (p) => text(p.customerName) },
  { key: 'planPeriod', zh: '期数', en: 'Period', cell: (p) => (p.planPeriod === null ? '' : String(p.planPeriod)) },
  { key: 'amount', zh: '回款金额', en: 'Amount', cell: (p) => p.amount },
  { key: 'currency', zh: '币种', en: 'Currency', cell: (p) => p.currency },
  { key: 'paidOn', zh: '回款日期', en: 'Payment date', cell: (p) => p.paidOn },
  // The presenter leaves `method` out when a field rule hides it; the column is dropped then too.
  { key: 'method', zh: '付款方式', en: 'Method', permissionField: 'method', cell: (p, x) => (p.method === undefined ? '' : x.label('payment.method', p.method)) },
  {
    key: 'status',
    zh: '状态',
    en: 'Status',
    cell: (p, x) => {
      const label = statusLabels[p.status];
      return label ? x.word(label.zh, label.en) : p.status;
    },
  },
  { key: 'ownerName', zh: '收款人', en: 'Collected by', cell: (p) => text(p.ownerName) },
  { key: 'remark', zh: '备注', en: 'Remark', permissionField: 'remark', cell: (p) => text(p.remark) },
  { key: 'approvedAt', zh: '通过时间', en: 'Approved at', cell: (p, x) => x.formatTime(p.approvedAt) },
  { key: 'createdAt', zh: '创建时间', en: 'Created at', cell: (p, x) => x.formatTime(p.createdAt) },
];

/**
 * Payments 回款: the payments whose owner or contract owner is in the requester's payment:export
 * scope, filtered like the list, presented by the API's own presenter (hidden fields left out,
 * masked ones masked).
 */
registerExportEntity<PaymentRow, Payment>({
  entity: 'payment',
  names: { zh: '回款', en: 'payments' },
  listSpec: paymentListSpec,
  columns,
  plan: async (deps, auth, { list, ids }) => {
    // lenient: payment:export alone is enough to export (the presenter only needs the caller's rules).
    const [scope, ctx] = await Promise.all([scopeFilter(deps, auth, 'payment', 'export'), paymentContext(deps, auth, { lenient: true })]);
    const options = { q: list.q, ids };
    return {
      page: (db, page) => fetchKeysetRows(keysetWalks(deps.dialect, paymentListSpec, page), page.limit, paymentExportWalk(db, deps.dialect, auth.workspaceId, scope, page, options)),
      count: async (db) => (await countPaymentsForExport(db, deps.dialect, auth.workspaceId, scope, list, options, 50_000_000)).total,
      present: (rows) => rows.map((r) => presentPayment(ctx, r)),
    };
  },
});
