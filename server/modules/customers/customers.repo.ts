import { type Expression, type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import { type DialectName, workspaceFilter } from '../../db/dialect';
import type { CustomersTable, Database } from '../../db/types';
import { filtersExpression, keyset } from '../../list/build-list';
import type { ParsedList } from '../../list/list-spec';
import type { ScopeFilter } from '../permissions/scope';
import { customerListSpec } from './customers.list-spec';

/** Who may see a record: owners in scope, plus live collaborators (团队成员). */
export interface Visibility {
  scope: ScopeFilter;
  userId: string | null;
  now: string;
}

export function visibleCondition(workspaceId: string, v: Visibility): Expression<SqlBool> {
  if (v.scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  const shared = v.userId
    ? sql<SqlBool>`exists (select 1 from customer_collaborators cc where cc.workspace_id = ${workspaceId}
        and cc.customer_id = c.id and cc.user_id = ${v.userId} and (cc.expires_at is null or cc.expires_at > ${v.now}))`
    : sql<SqlBool>`1 = 0`;
  if (v.scope.ownerIds.length === 0) {
    return shared;
  }
  return sql<SqlBool>`(c.owner_id in (${sql.join(v.scope.ownerIds)}) or ${shared})`;
}

const columns = [
  'c.id',
  'c.name',
  'c.kind',
  'c.phone',
  'c.email',
  'c.website',
  'c.level',
  'c.source',
  'c.industry',
  'c.lifecycleStage',
  'c.dealStatus',
  'c.ownerId',
  'o.name as ownerName',
  'c.locked',
  'c.province',
  'c.city',
  'c.district',
  'c.address',
  'c.primaryContactId',
  'pc.name as primaryContactName',
  'c.remark',
  'c.lastFollowupAt',
  'c.lastFollowupContent',
  'c.nextFollowupAt',
  'c.custom',
  'c.createdBy',
  'c.createdAt',
  'c.updatedAt',
  'c.deletedAt',
  'c.version',
] as const;

function base(db: Kysely<Database>, workspaceId: string, byIds?: DialectName) {
  return db
    .selectFrom('customers as c')
    .leftJoin('users as o', 'o.id', 'c.ownerId')
    .leftJoin('contacts as pc', 'pc.id', 'c.primaryContactId')
    .select(columns)
    .where(byIds ? workspaceFilter(byIds, 'c.workspaceId', workspaceId) : sql<SqlBool>`c.workspace_id = ${workspaceId}`);
}

export type CustomerRow = Awaited<ReturnType<typeof findCustomer>> & object;

export async function findCustomer(db: Kysely<Database>, workspaceId: string, id: string, visibility?: Visibility) {
  let q = base(db, workspaceId).where('c.id', '=', id);
  if (visibility) {
    q = q.where(visibleCondition(workspaceId, visibility));
  }
  return q.executeTakeFirst();
}

/** Several customers by id (in no particular order), within the visibility when one is given. */
export async function findCustomersByIds(db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[], visibility?: Visibility): Promise<CustomerRow[]> {
  if (ids.length === 0) {
    return [];
  }
  // By primary key: the workspace is a filter here, not an index to scan (see workspaceFilter).
  let q = db
    .selectFrom('customers as c')
    .leftJoin('users as o', 'o.id', 'c.ownerId')
    .leftJoin('contacts as pc', 'pc.id', 'c.primaryContactId')
    .select(columns)
    .where(workspaceFilter(dialect, 'c.workspaceId', workspaceId))
    .where('c.id', 'in', ids);
  if (visibility) {
    q = q.where(visibleCondition(workspaceId, visibility));
  }
  return q.execute();
}

export interface CustomerListOptions {
  deleted: boolean;
  tagIds: readonly string[];
  /** Extra condition from search (ids matching q), supplied by the search module. */
  search?: Expression<SqlBool> | undefined;
  /**
   * The search condition lists the matching ids: start from them. (SQLite's planner would
   * rather walk the sort index of the whole workspace, which for a rare term reads all of it.)
   */
  searchByIds?: boolean | undefined;
}

function listConditions(dialect: DialectName, workspaceId: string, visibility: Visibility, list: ParsedList, options: CustomerListOptions) {
  const parts: Expression<SqlBool>[] = [
    options.deleted ? sql<SqlBool>`c.deleted_at is not null` : sql<SqlBool>`c.deleted_at is null`,
    visibleCondition(workspaceId, visibility),
    filtersExpression(dialect, customerListSpec.customColumn, list.filters),
  ];
  for (const tagId of options.tagIds) {
    parts.push(sql<SqlBool>`exists (select 1 from record_tags rt where rt.workspace_id = ${workspaceId} and rt.entity = 'customer'
      and rt.record_id = c.id and rt.tag_id = ${tagId})`);
  }
  if (options.search) {
    parts.push(options.search);
  }
  return parts;
}

/** One keyset page: data scope, filters, tags and search are all part of the WHERE clause. */
export async function listCustomerRows(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  visibility: Visibility,
  list: ParsedList,
  options: CustomerListOptions,
) {
  const { orderBy, condition } = keyset(dialect, customerListSpec.customColumn, customerListSpec.idColumn, list);
  let q = base(db, workspaceId, options.searchByIds ? dialect : undefined);
  for (const part of listConditions(dialect, workspaceId, visibility, list, options)) {
    q = q.where(part);
  }
  if (condition) {
    q = q.where(condition);
  }
  return q.orderBy(orderBy).limit(list.limit + 1).execute();
}

/** Exact up to `cap` rows; above that the answer says so (countExact: false) instead of scanning on. */
export async function countCustomers(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  visibility: Visibility,
  list: ParsedList,
  options: CustomerListOptions,
  cap = 100_000,
): Promise<{ total: number; exact: boolean }> {
  let inner = db.selectFrom('customers as c').select(sql`1`.as('one')).where(options.searchByIds ? workspaceFilter(dialect, 'c.workspaceId', workspaceId) : sql<SqlBool>`c.workspace_id = ${workspaceId}`);
  for (const part of listConditions(dialect, workspaceId, visibility, list, options)) {
    inner = inner.where(part);
  }
  const row = await db
    .selectFrom(inner.limit(cap + 1).as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { total: Math.min(n, cap), exact: n <= cap };
}

/** Ids of every record matching a list query (for bulk actions over "the whole filtered set"). */
export async function listCustomerIds(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  visibility: Visibility,
  list: ParsedList,
  options: CustomerListOptions,
  max: number,
): Promise<string[]> {
  let q = db.selectFrom('customers as c').select('c.id').where(options.searchByIds ? workspaceFilter(dialect, 'c.workspaceId', workspaceId) : sql<SqlBool>`c.workspace_id = ${workspaceId}`);
  for (const part of listConditions(dialect, workspaceId, visibility, list, options)) {
    q = q.where(part);
  }
  return (await q.limit(max).execute()).map((r) => r.id);
}

export async function insertCustomer(db: Kysely<Database>, row: Insertable<CustomersTable>): Promise<void> {
  await db.insertInto('customers').values(row).execute();
}

export async function updateCustomerRow(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Updateable<CustomersTable>,
  at: string,
  expectedVersion?: number,
): Promise<number> {
  let q = db
    .updateTable('customers')
    .set((eb) => ({ ...patch, updatedAt: at, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id);
  if (expectedVersion !== undefined) {
    q = q.where('version', '=', expectedVersion);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

export async function findTagsOf(db: Kysely<Database>, workspaceId: string, entity: string, ids: readonly string[]) {
  if (ids.length === 0) {
    return [];
  }
  return db
    .selectFrom('recordTags as rt')
    .innerJoin('tags as t', 't.id', 'rt.tagId')
    .select(['rt.recordId', 't.id', 't.name', 't.color'])
    .where('rt.workspaceId', '=', workspaceId)
    .where('rt.entity', '=', entity)
    .where('rt.recordId', 'in', ids)
    .orderBy('t.name')
    .execute();
}

export async function findCollaborators(db: Kysely<Database>, workspaceId: string, customerIds: readonly string[]) {
  if (customerIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('customerCollaborators as cc')
    .innerJoin('users as u', 'u.id', 'cc.userId')
    .select(['cc.customerId', 'cc.userId', 'u.name as userName', 'cc.access', 'cc.expiresAt'])
    .where('cc.workspaceId', '=', workspaceId)
    .where('cc.customerId', 'in', customerIds)
    .execute();
}
