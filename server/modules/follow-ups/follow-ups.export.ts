import { type ExportColumnDef, registerExportEntity } from '../exports/exports.registry';
import { scopeFilter } from '../permissions/permissions.service';
import { followUpListSpec } from './follow-ups.list-spec';
import { followUpContext } from './follow-ups.policy';
import { countFollowUps, type FollowUpRow, listFollowUpRows } from './follow-ups.repo';
import type { FollowUp } from './follow-ups.schema';
import { presentFollowUp, withContentSearch } from './follow-ups.service';

const text = (value: string | null | undefined) => value ?? '';

const columns: ExportColumnDef<FollowUp>[] = [
  { key: 'createdAt', zh: '跟进时间', en: 'Time', cell: (f, x) => x.formatTime(f.createdAt) },
  { key: 'customerName', zh: '客户名称', en: 'Customer', cell: (f) => text(f.customerName) },
  { key: 'contactName', zh: '联系人', en: 'Contact', cell: (f) => text(f.contactName) },
  { key: 'recordName', zh: '商机 / 线索', en: 'Deal / lead', cell: (f, x) => (f.entity === 'deal' ? `${x.word('商机', 'Deal')}: ${text(f.recordName)}` : f.entity === 'lead' ? `${x.word('线索', 'Lead')}: ${text(f.recordName)}` : '') },
  { key: 'type', zh: '跟进方式', en: 'Type', cell: (f, x) => x.label('followUp.type', f.type) },
  { key: 'content', zh: '跟进内容', en: 'Content', cell: (f) => f.content },
  { key: 'nextFollowupAt', zh: '下次联系时间', en: 'Next follow-up', cell: (f, x) => x.formatTime(f.nextFollowupAt) },
  { key: 'ownerName', zh: '跟进人', en: 'Written by', cell: (f) => text(f.ownerName) },
  { key: 'attachments', zh: '附件', en: 'Attachments', cell: (f) => f.attachments.map((a) => a.name).join(', ') },
];

/**
 * Follow-up records 跟进记录: the list's own query and presenter. What may be exported is what the
 * requester's followUp:export scope covers by author — not also the follow-ups others wrote on
 * customers they can see, which the list shows: exporting stays within the narrower grant.
 */
registerExportEntity<FollowUpRow, FollowUp>({
  entity: 'followUp',
  names: { zh: '跟进记录', en: 'follow-ups' },
  listSpec: followUpListSpec,
  columns,
  plan: async (deps, auth, { list, ids }) => {
    const [listCtx, scope] = await Promise.all([followUpContext(deps, auth, { lenient: true }), scopeFilter(deps, auth, 'followUp', 'export')]);
    const ctx = { ...listCtx, view: scope, customerView: null };
    const filtered = withContentSearch(list);
    const options = { ids };
    return {
      page: (db, keysetPage) => listFollowUpRows(db, deps.dialect, ctx, withContentSearch(keysetPage), options),
      count: async (db) => (await countFollowUps(db, deps.dialect, ctx, filtered, { ...options, walk: false }, 50_000_000)).total,
      present: (rows) => rows.map((r) => presentFollowUp(ctx, r)),
    };
  },
});
