import { type Expression, type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import type { DialectName } from '../../db/dialect';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import type { LeadsTable } from '../../db/types-leads';
import { filtersExpression, keyset } from '../../list/build-list';
import type { ParsedList } from '../../list/list-spec';
import { scanSearchCondition } from '../../list/scan-search';
import type { ScopeFilter } from '../permissions/scope';
import { leadListSpec } from './leads.list-spec';

/** Owners in the view scope see a lead; a lead without owner only with scope "all". */
export function leadVisibleCondition(scope: ScopeFilter): Expression<SqlBool> {
  if (scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  return scope.ownerIds.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`l.owner_id in (${sql.join(scope.ownerIds)})`;
}

const columns = [
  'l.id',
  'l.name',
  'l.company',
  'l.phone',
  'l.email',
  'l.title',
  'l.source',
  'l.industry',
  'l.address',
  'l.remark',
  'l.status',
  'l.ownerId',
  'o.name as ownerName',
  'l.lastFollowupAt',
  'l.lastFollowupContent',
  'l.nextFollowupAt',
  'l.custom',
  'l.convertedAt',
  'l.customerId',
  'l.contactId',
  'l.dealId',
  'l.createdBy',
  'l.createdAt',
  'l.updatedAt',
  'l.deletedAt',
  'l.version',
] as const;

function base(db: Kysely<Database>, workspaceId: string) {
  return db.selectFrom('leads as l').leftJoin('users as o', 'o.id', 'l.ownerId').select(columns).where(sql<SqlBool>`l.workspace_id = ${workspaceId}`);
}

export type LeadRow = Awaited<ReturnType<typeof findLead>> & object;

export async function findLead(db: Kysely<Database>, workspaceId: string, id: string, scope?: ScopeFilter) {
  let q = base(db, workspaceId).where('l.id', '=', id);
  if (scope) {
    q = q.where(leadVisibleCondition(scope));
  }
  return q.executeTakeFirst();
}

export async function findLeadsByIds(db: Kysely<Database>, workspaceId: string, ids: readonly string[], scope?: ScopeFilter): Promise<LeadRow[]> {
  if (ids.length === 0) {
    return [];
  }
  let q = base(db, workspaceId).where('l.id', 'in', ids);
  if (scope) {
    q = q.where(leadVisibleCondition(scope));
  }
  return q.execute();
}

export interface LeadListOptions {
  deleted: boolean;
  /** A selection (exports): only these ids. */
  ids?: readonly string[] | undefined;
}

function listConditions(dialect: DialectName, scope: ScopeFilter, list: ParsedList, options: LeadListOptions) {
  const parts: Expression<SqlBool>[] = [
    options.deleted ? sql<SqlBool>`l.deleted_at is not null` : sql<SqlBool>`l.deleted_at is null`,
    leadVisibleCondition(scope),
    filtersExpression(dialect, leadListSpec.customColumn, list.filters),
  ];
  if (options.ids && options.ids.length > 0) {
    parts.push(sql<SqlBool>`l.id in (${sql.join([...options.ids])})`);
  }
  // Control characters (NUL above all: PostgreSQL text cannot hold it) never match a name.
  const q = list.q?.replace(/\p{Cc}/gu, ' ').trim();
  if (q) {
    // Name, company, phone or email, under the caller's field rules for phone and email.
    parts.push(scanSearchCondition(dialect, list.qModes, q, { names: ['l.name', 'l.company'], phoneKey: 'l.phone_key', emailKey: 'l.email_key' }));
  }
  return parts;
}

/** One keyset page: data scope, filters and the search text are all part of the WHERE clause. */
export async function listLeadRows(db: Kysely<Database>, dialect: DialectName, workspaceId: string, scope: ScopeFilter, list: ParsedList, options: LeadListOptions) {
  const { orderBy, condition } = keyset(dialect, leadListSpec.customColumn, leadListSpec.idColumn, list);
  let q = base(db, workspaceId);
  for (const part of listConditions(dialect, scope, list, options)) {
    q = q.where(part);
  }
  if (condition) {
    q = q.where(condition);
  }
  return q.orderBy(orderBy).limit(list.limit + 1).execute();
}

/** Exact up to `cap` rows; above that the answer says so (countExact: false). */
export async function countLeads(db: Kysely<Database>, dialect: DialectName, workspaceId: string, scope: ScopeFilter, list: ParsedList, options: LeadListOptions, cap = 100_000) {
  let inner = db.selectFrom('leads as l').select(sql`1`.as('one')).where(sql<SqlBool>`l.workspace_id = ${workspaceId}`);
  for (const part of listConditions(dialect, scope, list, options)) {
    inner = inner.where(part);
  }
  const row = await db
    .selectFrom(inner.limit(cap + 1).as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { total: Math.min(n, cap), exact: n <= cap };
}

export async function insertLead(db: Kysely<Database>, row: Insertable<LeadsTable>): Promise<void> {
  await db.insertInto('leads').values(row).execute();
}

/** Bumps the version; with `expectedVersion` only if nobody changed it meanwhile. Live, unconverted rows only. */
export async function updateLeadRow(db: Kysely<Database>, workspaceId: string, id: string, patch: Updateable<LeadsTable>, at: string, expectedVersion?: number): Promise<number> {
  let q = db
    .updateTable('leads')
    .set((eb) => ({ ...patch, updatedAt: at, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '<>', 'converted');
  if (expectedVersion !== undefined) {
    q = q.where('version', '=', expectedVersion);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

export interface LeadEventInput {
  workspaceId: string;
  leadId: string;
  kind: string;
  actorUserId: string | null;
  data: Record<string, unknown> | null;
  at: string;
}

/** Appends to a lead's history, inside the caller's transaction. */
export async function appendLeadEvents(db: Kysely<Database>, events: readonly LeadEventInput[]): Promise<void> {
  if (events.length === 0) {
    return;
  }
  await db
    .insertInto('leadEvents')
    .values(events.map((e) => ({ id: newId(), workspaceId: e.workspaceId, leadId: e.leadId, kind: e.kind, actorUserId: e.actorUserId, data: e.data === null ? null : JSON.stringify(e.data), createdAt: e.at })))
    .execute();
}

export async function listLeadEvents(db: Kysely<Database>, workspaceId: string, leadId: string) {
  return db
    .selectFrom('leadEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorUserId')
    .select(['e.id', 'e.kind', 'e.actorUserId', 'u.name as actorName', 'e.data', 'e.createdAt'])
    .where('e.workspaceId', '=', workspaceId)
    .where('e.leadId', '=', leadId)
    .orderBy('e.createdAt', 'desc')
    .orderBy('e.id', 'desc')
    .limit(500)
    .execute();
}

/** Open leads (not converted, not invalid) one user owns: the to-do count. */
export async function countOpenLeadsOf(db: Kysely<Database>, workspaceId: string, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspaceId', '=', workspaceId)
    .where('ownerId', '=', ownerId)
    .where('status', 'in', ['new', 'contacted', 'qualified'])
    .where('deletedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
