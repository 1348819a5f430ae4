import { AppError } from '../../http/app-error';
import { contactListSpec } from '../contacts/contacts.list-spec';
import { contactContext } from '../contacts/contacts.policy';
import { presentContact } from '../contacts/contacts.present';
import { type ContactRow, countContacts, listContactRows } from '../contacts/contacts.repo';
import type { Contact } from '../contacts/contacts.schema';
import { scopeFilter } from '../permissions/permissions.service';
import { registerExportEntity } from './exports.registry';

const noAccess = { edit: false, delete: false };

/**
 * Contacts: the contact list's own query (scoped through the customer's owner and collaborators,
 * with the requester's contact **export** scope) and presenter. Headers are the contact importer's
 * words, so the file imports back.
 */
registerExportEntity<ContactRow, Contact>({
  entity: 'contact',
  names: { zh: '联系人', en: 'contacts' },
  listSpec: contactListSpec,
  columns: [
    { key: 'customerName', zh: '客户名称', en: 'Customer', cell: (c) => c.customerName ?? '' },
    { key: 'name', zh: '联系人姓名', en: 'Contact name', cell: (c) => c.name },
    { key: 'phone', zh: '电话', en: 'Phone', permissionField: 'phone', cell: (c) => c.phone ?? '' },
    { key: 'email', zh: '邮箱', en: 'Email', permissionField: 'email', cell: (c) => c.email ?? '' },
    { key: 'title', zh: '职务', en: 'Title', permissionField: 'title', cell: (c) => c.title ?? '' },
    { key: 'department', zh: '部门', en: 'Department', cell: (c) => c.department ?? '' },
    { key: 'wechat', zh: '微信', en: 'WeChat', permissionField: 'wechat', cell: (c) => c.wechat ?? '' },
    { key: 'isPrimary', zh: '首要联系人', en: 'Primary', cell: (c, x) => (c.isPrimary ? x.word('是', 'yes') : x.word('否', 'no')) },
    { key: 'isDecisionMaker', zh: '关键决策人', en: 'Decision maker', cell: (c, x) => (c.isDecisionMaker ? x.word('是', 'yes') : x.word('否', 'no')) },
    { key: 'remark', zh: '备注', en: 'Remark', permissionField: 'remark', cell: (c) => c.remark ?? '' },
    { key: 'lastFollowupAt', zh: '最近跟进时间', en: 'Last follow-up', cell: (c, x) => x.formatTime(c.lastFollowupAt) },
    { key: 'nextFollowupAt', zh: '下次联系时间', en: 'Next follow-up', cell: (c, x) => x.formatTime(c.nextFollowupAt) },
    { key: 'createdAt', zh: '创建时间', en: 'Created at', cell: (c, x) => x.formatTime(c.createdAt) },
    { key: 'updatedAt', zh: '更新时间', en: 'Updated at', cell: (c, x) => x.formatTime(c.updatedAt) },
  ],
  customValues: (c) => c.custom,
  plan: async (deps, auth, { list, ids, definitions }) => {
    if (ids && ids.length > 0) {
      // The contact list query has no selection term yet: refuse rather than export more than chosen.
      throw new AppError('business_rule', { detail: 'Exporting a selection of contacts is not available; export a filter' });
    }
    const ctx = await contactContext(deps, auth);
    const visibility = { ...ctx.visibility, scope: await scopeFilter(deps, auth, 'contact', 'export') };
    return {
      page: (db, page) => listContactRows(db, deps.dialect, auth.workspaceId, visibility, page),
      count: async (db) => (await countContacts(db, deps.dialect, auth.workspaceId, visibility, list, 50_000_000)).total,
      present: (rows) => rows.map((r) => presentContact(auth.permissions, definitions, r, noAccess)),
    };
  },
});
