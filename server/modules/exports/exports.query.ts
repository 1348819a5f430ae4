import { type Expression, type SqlBool, sql } from 'kysely';
import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { parseJson } from '../../db/dialect';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import type { ParsedList } from '../../list/list-spec';
import { parseListQuery } from '../../list/parse-list';
import { customerListSpec } from '../customers/customers.list-spec';
import type { CustomerListOptions, CustomerRow } from '../customers/customers.repo';
import { customerSearchCondition } from '../customers/customers.search';
import { fieldAccess } from '../permissions/permissions.service';

/** What an export reads: the list's own filter, sort and search, plus an optional selection. */
export interface ExportQuery {
  list: ParsedList;
  options: CustomerListOptions;
}

/**
 * The filter of an export, parsed exactly as GET /customers parses its query string (same
 * errors for unknown or hidden fields); paging keys are ignored and the recycle bin is never exported.
 */
export async function customerExportQuery(
  deps: Deps,
  auth: AuthContext,
  filter: Record<string, string | string[]>,
  ids: readonly string[] | undefined,
  definitions: readonly CustomFieldDefinition[],
): Promise<ExportQuery> {
  const permissions = auth.permissions;
  const { tag, deleted: _deleted, limit: _limit, cursor: _cursor, count: _count, ...rest } = filter;
  const tagIds = (Array.isArray(tag) ? tag : tag ? [tag] : []).flatMap((t) => t.split(','));
  if (tagIds.some((t) => !/^[0-9a-f-]{36}$/.test(t))) {
    throw new AppError('unknown_filter', { errors: [{ path: 'tag', message: 'must be tag ids' }] });
  }
  const list = parseListQuery(rest, customerListSpec, definitions, (f) => fieldAccess(permissions, 'customer', f));
  const conditions: Expression<SqlBool>[] = [];
  let byIds = false;
  if (list.q) {
    const search = await customerSearchCondition(deps, auth, list.q);
    conditions.push(search.condition);
    byIds = search.byIds;
  }
  if (ids && ids.length > 0) {
    conditions.push(sql<SqlBool>`c.id in (${sql.join(ids)})`);
    // A selection is a handful of primary keys: start from them, not from the workspace's sort index.
    byIds = true;
  }
  const search = conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
  return { list, options: { deleted: false, tagIds, search, searchByIds: byIds } };
}

/** The keyset position after a row, for the next page in the list's sort. */
export function cursorAfter(list: ParsedList, row: CustomerRow): ParsedList['cursor'] {
  let value: unknown;
  if (list.sort.target.kind === 'custom') {
    const custom = parseJson(row.custom) as Record<string, unknown> | null;
    value = custom?.[list.sort.target.field.key] ?? null;
  } else {
    value = (row as Record<string, unknown>)[list.sort.target.field.name] ?? null;
  }
  return { value: typeof value === 'string' || typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : null, id: row.id };
}
