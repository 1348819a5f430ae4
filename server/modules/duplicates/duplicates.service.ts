import { companyKey, emailKey, phoneKey } from '../../../common/normalize';
import { maskValue } from '../../../common/permissions';
import { longRead } from '../../db/read-worker';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { customerContext } from '../customers/customers.context';
import { findCustomersByIds } from '../customers/customers.repo';
import { presentRows } from '../customers/customers.service';
import { can, fieldAccess, presentFields, scopeFilter } from '../permissions/permissions.service';
import { findCustomersWithKey, findDuplicateKeys, findKeyMatches } from './duplicates.repo';
import { type DuplicateCheckBody, type DuplicateMatch, type DuplicateReason, duplicateReasons, type DuplicateReport } from './duplicates.schema';

/** At most this many matches answer a check, and this many customers are listed per report group. */
const checkLimit = 20;
const groupLimit = 50;

/**
 * 查重 while creating or editing: live customers anywhere in the workspace with the same company
 * name (ignoring case, width, spaces, punctuation and legal suffixes), phone or email — also
 * through their contacts. Matches outside the caller's scope are reported without their data
 * (`visible: false`, owner's name only), so a rep learns a colleague already has the customer.
 */
export async function checkDuplicates(deps: Deps, auth: AuthContext, body: DuplicateCheckBody): Promise<{ matches: DuplicateMatch[] }> {
  if (!can(auth.permissions, 'customer:create') && !can(auth.permissions, 'customer:edit')) {
    throw new AppError('forbidden');
  }
  // A field hidden from the caller never matches, as in search: they cannot write it, and a match would confirm it.
  const hidden = (field: string) => fieldAccess(auth.permissions, 'customer', field).access === 'hidden';
  const keys = { name: companyKey(body.name) || null, phone: hidden('phone') ? null : phoneKey(body.phone), email: hidden('email') ? null : emailKey(body.email) };
  if (!keys.name && !keys.phone && !keys.email) {
    return { matches: [] };
  }
  const found = await findKeyMatches(deps.db, auth.workspaceId, keys, body.excludeId ?? null, checkLimit);
  const reasons = new Map<string, Set<DuplicateReason>>();
  const add = (id: string, reason: DuplicateReason) => reasons.set(id, (reasons.get(id) ?? new Set()).add(reason));
  for (const c of found.customers) {
    if (keys.name && c.nameKey === keys.name) {
      add(c.id, 'name');
    }
    if (keys.phone && c.phoneKey === keys.phone) {
      add(c.id, 'phone');
    }
    if (keys.email && c.emailKey === keys.email) {
      add(c.id, 'email');
    }
  }
  for (const c of found.contacts) {
    if (keys.phone && c.phoneKey === keys.phone) {
      add(c.customerId, 'phone');
    }
    if (keys.email && c.emailKey === keys.email) {
      add(c.customerId, 'email');
    }
  }
  const ids = [...reasons.keys()].slice(0, checkLimit);
  const ctx = await customerContext(deps, auth, []);
  const [all, visible] = await Promise.all([
    findCustomersByIds(deps.db, deps.dialect, auth.workspaceId, ids),
    findCustomersByIds(deps.db, deps.dialect, auth.workspaceId, ids, ctx.visibility),
  ]);
  const visibleIds = new Set(visible.map((r) => r.id));
  const matches = all.map((row): DuplicateMatch => {
    const why = duplicateReasons.filter((r) => reasons.get(row.id)?.has(r));
    const seen = visibleIds.has(row.id);
    const match: DuplicateMatch = seen
      ? { id: row.id, name: row.name, phone: row.phone, email: row.email, ownerName: row.ownerName, reasons: why, visible: true }
      : { id: null, name: null, phone: null, email: null, ownerName: row.ownerName, reasons: why, visible: false };
    return presentFields(auth.permissions, 'customer', match, { phone: ['phone'], email: ['email'], owner: ['ownerName'] });
  });
  matches.sort((a, b) => b.reasons.length - a.reasons.length || Number(b.visible) - Number(a.visible));
  return { matches };
}

interface ReportCursor {
  reason: DuplicateReason;
  key: string;
}

function parseReportCursor(raw: string | undefined): ReportCursor | null {
  if (!raw) {
    return null;
  }
  const value = decodeCursor(raw, ['reason', 'key']);
  const reason = duplicateReasons.find((r) => r === value.reason);
  if (!reason) {
    throw new AppError('validation_failed', { errors: [{ path: 'cursor', message: 'invalid cursor' }] });
  }
  return { reason, key: value.key };
}

/**
 * 重复客户报告: groups of live customers sharing a company name, phone or email key, in (reason,
 * key) order, keyset-paged. Admins and everyone with customer:edit over all records see the
 * whole workspace; a narrower edit scope sees the groups among the records it may edit. A phone
 * or email field hidden from the caller is never grouped on; a masked one shows a masked key.
 */
export async function duplicateReport(deps: Deps, auth: AuthContext, input: { limit: number; cursor?: string | undefined }): Promise<DuplicateReport> {
  const edit = await scopeFilter(deps, auth, 'customer', 'edit');
  const ownerIds = edit.kind === 'all' ? null : edit.ownerIds;
  const cursor = parseReportCursor(input.cursor);
  const groups: { reason: DuplicateReason; key: string; n: number }[] = [];
  let more = false;
  for (const reason of duplicateReasons.slice(cursor ? duplicateReasons.indexOf(cursor.reason) : 0)) {
    if (reason !== 'name' && fieldAccess(auth.permissions, 'customer', reason).access === 'hidden') {
      continue;
    }
    const after = cursor && cursor.reason === reason ? cursor.key : null;
    // A grouping scan over a key index (or the scope's rows): a long read, off SQLite's main connection.
    const rows = await findDuplicateKeys(longRead(deps).db, deps.dialect, auth.workspaceId, reason, ownerIds, after, input.limit - groups.length + 1);
    groups.push(...rows.map((r) => ({ reason, ...r })));
    if (groups.length > input.limit) {
      more = true;
      break;
    }
  }
  const page = groups.slice(0, input.limit);
  const members = await Promise.all(page.map((g) => findCustomersWithKey(deps.db, auth.workspaceId, g.reason, g.key, ownerIds, groupLimit)));
  const ctx = await customerContext(deps, auth);
  const rows = await findCustomersByIds(deps.db, deps.dialect, auth.workspaceId, [...new Set(members.flat())], ctx.visibility);
  const presented = new Map((await presentRows(deps, ctx, rows)).map((c) => [c.id, c]));
  const last = page.at(-1);
  return {
    data: page.map((g, i) => {
      const rule = g.reason === 'name' ? null : fieldAccess(auth.permissions, 'customer', g.reason);
      return {
        key: rule?.masked ? maskValue(g.reason === 'phone' ? 'phone' : 'email', g.key) : g.key,
        reason: g.reason,
        count: g.n,
        customers: (members[i] ?? []).map((id) => presented.get(id)).filter((c) => c !== undefined),
      };
    }),
    nextCursor: more && last ? encodeCursor({ reason: last.reason, key: last.key }) : null,
  };
}
