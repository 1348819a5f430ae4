import { type Expression, type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import { type DialectName, workspaceFilter } from '../../db/dialect';
import type { CustomersTable, Database } from '../../db/types';
import { filtersExpression } from '../../list/build-list';
import { type CountResult, defaultCountCap, fetchKeysetRows, type KeysetWalk, keysetWalks } from '../../list/list-page';
import { countScoped, type ScopeSql, scopeCondition, scopeConditionByOwner } from '../../list/list-scope';
import type { ParsedList } from '../../list/list-spec';
import type { ScopeFilter } from '../permissions/scope';
import { customerListSpec } from './customers.list-spec';
import { updateVersioned } from '../../db/versioned-update';

/** Who may see a record: owners in scope, plus live collaborators (团队成员). */
export interface Visibility {
  scope: ScopeFilter;
  userId: string | null;
  now: string;
}

/** The data scope of customers as SQL: owners in scope, plus records the caller collaborates on. */
export function customerScopeSql(workspaceId: string, v: Visibility): ScopeSql {
  return {
    scope: v.scope,
    ownerColumn: 'c.owner_id',
    shared: v.userId
      ? sql<SqlBool>`c.id in (select cc.customer_id from customer_collaborators cc where cc.workspace_id = ${workspaceId}
          and cc.user_id = ${v.userId} and (cc.expires_at is null or cc.expires_at > ${v.now}))`
      : null,
  };
}

export function visibleCondition(workspaceId: string, v: Visibility): Expression<SqlBool> {
  return scopeCondition(customerScopeSql(workspaceId, v));
}

const columns = [
  'c.id',
  'c.name',
  // The name sort's cursor value (customerListSpec); not presented.
  'c.nameKey',
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
  // Set on a customer merged away (it waits in the recycle bin and cannot be restored).
  'c.mergedInto',
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

export interface TagRef {
  id: string;
  name: string;
  color: string;
}

/** A row that may carry its tags already (read in the same statement: see tagsColumn). */
export type CustomerRowWithTags = CustomerRow & { tags?: TagRef[] | null };

/**
 * The customer's tags as a JSON array in name order, as a column of the page query. Only on
 * PostgreSQL, where a separate tag query is one more network round trip per page; its planner
 * evaluates such a costly select-list subquery after ORDER BY + LIMIT, so only for the page's
 * rows. SQLite runs in-process (no round trip to save) and would evaluate it for every row fed
 * to a sort, so there the presenter reads tags with one batched query (findTagsOf).
 */
function tagsColumn(workspaceId: string) {
  return sql<TagRef[] | null>`(select json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color) order by t.name)
    from record_tags rt join tags t on t.id = rt.tag_id
    where rt.workspace_id = ${workspaceId} and rt.entity = 'customer' and rt.record_id = c.id)`.as('tags');
}

export async function findCustomer(db: Kysely<Database>, workspaceId: string, id: string, visibility?: Visibility) {
  let q = base(db, workspaceId).where('c.id', '=', id);
  if (visibility) {
    q = q.where(visibleCondition(workspaceId, visibility));
  }
  return q.executeTakeFirst();
}

/** findCustomer for presenting: on PostgreSQL with its tags in the same statement (tagsColumn). */
export async function findCustomerWithTags(db: Kysely<Database>, dialect: DialectName, workspaceId: string, id: string, visibility: Visibility): Promise<CustomerRowWithTags | undefined> {
  if (dialect !== 'postgres') {
    return findCustomer(db, workspaceId, id, visibility);
  }
  return base(db, workspaceId).select(tagsColumn(workspaceId)).where('c.id', '=', id).where(visibleCondition(workspaceId, visibility)).executeTakeFirst();
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
  /** Read each row's tags in the page query on PostgreSQL (tagsColumn); for pages that are presented. */
  withTags?: boolean | undefined;
}

function listConditions(
  dialect: DialectName,
  workspaceId: string,
  visibility: Visibility,
  list: ParsedList,
  options: CustomerListOptions,
  visible: Expression<SqlBool> = visibleCondition(workspaceId, visibility),
) {
  const parts: Expression<SqlBool>[] = [
    options.deleted ? sql<SqlBool>`c.deleted_at is not null` : sql<SqlBool>`c.deleted_at is null`,
    visible,
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

/** The rows of one keyset walk (see server/list/list-page.ts): data scope, filters, tags and search are all part of the WHERE clause. */
export function customerWalk(db: Kysely<Database>, dialect: DialectName, workspaceId: string, visibility: Visibility, list: ParsedList, options: CustomerListOptions) {
  return (walk: KeysetWalk, limit: number): Promise<CustomerRowWithTags[]> => {
    // A walk over the scope's rows reads them owner by owner: the workspace is then a term of
    // the owner arm (scopeConditionByOwner) and only a filter outside it.
    const byOwner = walk.rowsOfScope === true;
    let q = base(db, workspaceId, options.searchByIds || byOwner ? dialect : undefined);
    const visible = byOwner ? scopeConditionByOwner(customerScopeSql(workspaceId, visibility), sql<SqlBool>`c.workspace_id = ${workspaceId}`) : undefined;
    for (const part of [...listConditions(dialect, workspaceId, visibility, list, options, visible), ...walk.where]) {
      q = q.where(part);
    }
    q = q.orderBy(walk.orderBy).limit(limit);
    return options.withTags && dialect === 'postgres' ? q.select(tagsColumn(workspaceId)).execute() : q.execute();
  };
}

/**
 * Sorts whose workspace sort index still carries owner_id (customers_ws_{created,updated}_at,
 * migration 0006): walking it checks the owner on the index entry, a few ms for any scope, and a
 * rep with a big book still reads only one page. The owner-leading customers_ws_owner_* indexes
 * do not help a scope's walk in order: the scope is `owner in (…) or shared`, and an OR gives SQLite
 * no single index range to walk — which is why next_followup_at (owner-leading index, but owner_id
 * gone from its sort index) is not in this list: walked, a rep's page took 11 ms at 100k
 * customers; read by owner and sorted, 1.8 ms.
 */
const ownerCarryingSorts: ReadonlySet<string> = new Set(['c.created_at', 'c.updated_at']);

/**
 * The keyset walks of a customer list page. A narrow scope (a rep's own book) sorted on anything
 * else reads its rows owner by owner and sorts them (keysetWalks rowsOfScope): the other sort
 * indexes carry no owner_id (migration 0018), so walking them costs a row read per entry passed.
 */
export function customerWalks(dialect: DialectName, visibility: Visibility, list: ParsedList): KeysetWalk[] {
  const { scope } = visibility;
  const target = list.sort.target;
  const ownerOnIndex = target.kind === 'field' && ownerCarryingSorts.has(target.field.column);
  const rowsOfScope = scope.kind === 'owners' && scope.narrow === true && !ownerOnIndex;
  return keysetWalks(dialect, customerListSpec, list, { rowsOfScope });
}

/** One keyset page: up to limit + 1 rows (the extra one says there is a next page). */
export async function listCustomerRows(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  visibility: Visibility,
  list: ParsedList,
  options: CustomerListOptions,
): Promise<CustomerRow[]> {
  return fetchKeysetRows(customerWalks(dialect, visibility, list), list.limit, customerWalk(db, dialect, workspaceId, visibility, list, options));
}

/**
 * Exact up to `cap` rows; above that the answer says so (countExact: false). Counted in parts
 * that each use an index (see countScoped).
 */
export async function countCustomers(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  visibility: Visibility,
  list: ParsedList,
  options: CustomerListOptions,
  cap = defaultCountCap,
): Promise<CountResult> {
  const unscoped: Visibility = { ...visibility, scope: { kind: 'all' } };
  return countScoped(
    db,
    customerScopeSql(workspaceId, visibility),
    (extra) => {
      let q = db
        .selectFrom('customers as c')
        .select('c.id')
        .where(options.searchByIds ? workspaceFilter(dialect, 'c.workspaceId', workspaceId) : sql<SqlBool>`c.workspace_id = ${workspaceId}`);
      for (const part of listConditions(dialect, workspaceId, unscoped, list, options)) {
        q = q.where(part);
      }
      return q.where(extra);
    },
    cap,
  );
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
  return updateVersioned(db, 'customers', workspaceId, id, { ...patch, updatedAt: at }, expectedVersion);
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
