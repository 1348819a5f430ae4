import { type ExpressionBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import { containsInsensitive, type DialectName, parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import type { PoolsTable } from '../../db/types-pools';
import type { PoolRule } from './pools.schema';

/**
 * Row lock for "check, then change" on PostgreSQL (ownership limits per owner); SQLite runs one
 * write transaction at a time and needs none.
 */
export function forUpdate(dialect: DialectName): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`for update` : sql``;
}

export type PoolRow = Omit<PoolsTable, 'rules'> & { rules: PoolRule[] };

const poolColumns = [
  'id',
  'workspaceId',
  'name',
  'description',
  'isDefault',
  'allUsers',
  'claimDailyLimit',
  'cooldownDays',
  'recycleEnabled',
  'exemptDealt',
  'exemptLocked',
  'warnDays',
  'rules',
  'sort',
  'createdAt',
  'updatedAt',
  'version',
] as const;

function toPool(row: Omit<PoolsTable, 'rules'> & { rules: unknown }): PoolRow {
  const rules = parseJson(row.rules);
  return { ...row, rules: Array.isArray(rules) ? (rules as PoolRule[]) : [] };
}

/**
 * The workspace's default pool, created on first use (a workspace predates the pool feature or was
 * just set up). The unique (workspace_id, is_default) index makes concurrent first uses agree.
 */
export async function ensureDefaultPool(db: Kysely<Database>, workspaceId: string, now: string): Promise<PoolRow> {
  const existing = await db.selectFrom('pools').select(poolColumns).where('workspaceId', '=', workspaceId).where('isDefault', '=', 1).executeTakeFirst();
  if (existing) {
    return toPool(existing);
  }
  const ws = await db.selectFrom('workspaces').select('locale').where('id', '=', workspaceId).executeTakeFirst();
  await db
    .insertInto('pools')
    .values({
      id: newId(),
      workspaceId,
      name: ws?.locale === 'en' ? 'Public pool' : '公海',
      description: null,
      isDefault: 1,
      allUsers: 1,
      claimDailyLimit: null,
      cooldownDays: null,
      recycleEnabled: 0,
      exemptDealt: 1,
      exemptLocked: 1,
      warnDays: 3,
      rules: '[]',
      sort: 0,
      createdAt: now,
      updatedAt: now,
      version: 1,
    })
    .onConflict((oc) => oc.columns(['workspaceId', 'isDefault']).doNothing())
    .execute();
  return toPool(await db.selectFrom('pools').select(poolColumns).where('workspaceId', '=', workspaceId).where('isDefault', '=', 1).executeTakeFirstOrThrow());
}

/**
 * Customers without owner that no pool has taken in yet (created or imported without owner) join
 * the default pool; their time in the pool counts from their creation.
 */
export async function adoptOrphans(db: Kysely<Database>, workspaceId: string, defaultPoolId: string): Promise<void> {
  await db
    .updateTable('customers')
    .set((eb) => ({ poolId: defaultPoolId, releasedAt: eb.fn.coalesce('releasedAt', 'createdAt') }))
    .where('workspaceId', '=', workspaceId)
    .where('ownerId', 'is', null)
    .where('poolId', 'is', null)
    .execute();
}

export async function listPoolRows(db: Kysely<Database>, workspaceId: string): Promise<PoolRow[]> {
  const rows = await db.selectFrom('pools').select(poolColumns).where('workspaceId', '=', workspaceId).orderBy('sort').orderBy('createdAt').execute();
  return rows.map(toPool);
}

export async function findPoolRow(db: Kysely<Database>, workspaceId: string, id: string): Promise<PoolRow | undefined> {
  const row = await db.selectFrom('pools').select(poolColumns).where('workspaceId', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? toPool(row) : undefined;
}

export async function findMembers(db: Kysely<Database>, workspaceId: string, poolIds: readonly string[]) {
  if (poolIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('poolMembers as m')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'm.subjectId').on('m.subjectType', '=', 'user'))
    .leftJoin('departments as d', (j) => j.onRef('d.id', '=', 'm.subjectId').on('m.subjectType', '=', 'department'))
    .select(['m.poolId', 'm.subjectType', 'm.subjectId', 'm.role', (eb) => eb.fn.coalesce('u.name', 'd.name').as('name')])
    .where('m.workspaceId', '=', workspaceId)
    .where('m.poolId', 'in', poolIds)
    .orderBy('m.createdAt')
    .execute();
}

export async function replaceMembers(
  db: Kysely<Database>,
  workspaceId: string,
  poolId: string,
  members: readonly { subjectType: 'user' | 'department'; subjectId: string; role: 'member' | 'admin' }[],
  now: string,
): Promise<void> {
  await db.deleteFrom('poolMembers').where('workspaceId', '=', workspaceId).where('poolId', '=', poolId).execute();
  if (members.length > 0) {
    await db
      .insertInto('poolMembers')
      .values(members.map((m) => ({ workspaceId, poolId, ...m, createdAt: now })))
      .execute();
  }
}

/** Customers of a pool (no owner, not deleted), newest in the pool first. */
export function inPool(poolId: string) {
  return (eb: ExpressionBuilder<Database & { c: Database['customers'] }, 'c'>) => eb.and([eb('c.poolId', '=', poolId), eb('c.ownerId', 'is', null), eb('c.deletedAt', 'is', null)]);
}

export async function countPoolCustomers(db: Kysely<Database>, workspaceId: string, poolIds: readonly string[]): Promise<Map<string, number>> {
  if (poolIds.length === 0) {
    return new Map();
  }
  const rows = await db
    .selectFrom('customers')
    .select(['poolId', sql<number>`count(*)`.as('n')])
    .where('workspaceId', '=', workspaceId)
    .where('ownerId', 'is', null)
    .where('poolId', 'in', poolIds)
    .where('deletedAt', 'is', null)
    .groupBy('poolId')
    .execute();
  return new Map(rows.map((r) => [r.poolId ?? '', Number(r.n)]));
}

export interface PoolCustomerFilter {
  q?: string | undefined;
  level?: string | undefined;
  source?: string | undefined;
  industry?: string | undefined;
  limit: number;
  after?: { releasedAt: string; id: string } | undefined;
}

export async function listPoolCustomers(db: Kysely<Database>, dialect: DialectName, workspaceId: string, poolId: string, f: PoolCustomerFilter) {
  let query = db
    .selectFrom('customers as c')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'c.previousOwnerId').onRef('u.workspaceId', '=', 'c.workspaceId'))
    .select([
      'c.id',
      'c.name',
      'c.level',
      'c.source',
      'c.industry',
      'c.province',
      'c.city',
      'c.dealStatus',
      'c.lastFollowupAt',
      'c.releasedAt',
      'c.previousOwnerId',
      'u.name as previousOwnerName',
      'c.createdAt',
    ])
    .where('c.workspaceId', '=', workspaceId)
    .where(inPool(poolId));
  if (f.q) {
    query = query.where(containsInsensitive(dialect, 'c.name', f.q));
  }
  if (f.level) {
    query = query.where('c.level', '=', f.level);
  }
  if (f.source) {
    query = query.where('c.source', '=', f.source);
  }
  if (f.industry) {
    query = query.where('c.industry', '=', f.industry);
  }
  const after = f.after;
  if (after) {
    query = query.where((eb) => eb.or([eb('c.releasedAt', '<', after.releasedAt), eb.and([eb('c.releasedAt', '=', after.releasedAt), eb('c.id', '<', after.id)])]));
  }
  return query
    .orderBy('c.releasedAt', 'desc')
    .orderBy('c.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

/** Today's claims of a user per pool (the day is the workspace-local date). */
export async function claimedToday(db: Kysely<Database>, workspaceId: string, userId: string, day: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('poolClaimCounts').select(['poolId', 'count']).where('workspaceId', '=', workspaceId).where('userId', '=', userId).where('day', '=', day).execute();
  return new Map(rows.map((r) => [r.poolId, r.count]));
}

/**
 * Takes one claim from today's quota, or answers false when it is used up. The conditional
 * increment holds the counter row's lock until the caller's transaction ends, so concurrent claims
 * by one user are counted one after the other.
 */
export async function takeClaim(db: Kysely<Database>, key: { workspaceId: string; poolId: string; userId: string; day: string }, limit: number): Promise<boolean> {
  await db
    .insertInto('poolClaimCounts')
    .values({ ...key, count: 0 })
    .onConflict((oc) => oc.columns(['workspaceId', 'poolId', 'userId', 'day']).doNothing())
    .execute();
  const result = await db
    .updateTable('poolClaimCounts')
    .set((eb) => ({ count: eb('count', '+', 1) }))
    .where('workspaceId', '=', key.workspaceId)
    .where('poolId', '=', key.poolId)
    .where('userId', '=', key.userId)
    .where('day', '=', key.day)
    .where('count', '<', limit)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
