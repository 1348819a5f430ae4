import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../db/dialect';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { requirePermission } from '../permissions/permissions.service';
import { forUpdate } from './pools.repo';
import type { OwnershipLimitBody } from './pools.schema';

/**
 * Ownership limits 客户数上限 and lock limits. A user's limit is the first one found on: the user,
 * their department, the departments above it, the workspace. Checked on create, claim, assign,
 * transfer (customers module hooks) and lock, inside the transaction that makes the change, with
 * the owner's user row locked so two concurrent changes for one owner are counted in turn.
 */
export interface EffectiveLimit {
  maxOwned: number | null;
  excludeDealt: boolean;
  maxLocked: number | null;
}

export async function effectiveLimit(db: Kysely<Database>, workspaceId: string, userId: string): Promise<EffectiveLimit> {
  const limits = await db.selectFrom('ownershipLimits').select(['subjectType', 'subjectId', 'maxOwned', 'excludeDealt', 'maxLocked']).where('workspaceId', '=', workspaceId).execute();
  const none = { maxOwned: null, excludeDealt: false, maxLocked: null };
  if (limits.length === 0) {
    return none;
  }
  const chain: string[] = [];
  const user = await db.selectFrom('users').select('departmentId').where('workspaceId', '=', workspaceId).where('id', '=', userId).executeTakeFirst();
  if (user?.departmentId) {
    const departments = await db.selectFrom('departments').select(['id', 'parentId']).where('workspaceId', '=', workspaceId).execute();
    const parents = new Map(departments.map((d) => [d.id, d.parentId]));
    let current: string | null = user.departmentId;
    while (current !== null && !chain.includes(current)) {
      chain.push(current);
      current = parents.get(current) ?? null;
    }
  }
  const order = [
    (l: (typeof limits)[number]) => l.subjectType === 'user' && l.subjectId === userId,
    ...chain.map((d) => (l: (typeof limits)[number]) => l.subjectType === 'department' && l.subjectId === d),
    (l: (typeof limits)[number]) => l.subjectType === 'workspace',
  ];
  for (const match of order) {
    const found = limits.find(match);
    if (found) {
      return { maxOwned: found.maxOwned, excludeDealt: found.excludeDealt === 1, maxLocked: found.maxLocked };
    }
  }
  return none;
}

async function countOwned(db: Kysely<Database>, workspaceId: string, userId: string, filter: { excludeDealt?: boolean; locked?: boolean }): Promise<number> {
  let query = db.selectFrom('customers').select(sql<number>`count(*)`.as('n')).where('workspaceId', '=', workspaceId).where('ownerId', '=', userId).where('deletedAt', 'is', null);
  if (filter.excludeDealt) {
    query = query.where('dealStatus', '<>', 'dealt');
  }
  if (filter.locked) {
    query = query.where('locked', '=', 1);
  }
  return Number((await query.executeTakeFirstOrThrow()).n);
}

async function lockOwner(db: Kysely<Database>, dialect: DialectName, workspaceId: string, userId: string): Promise<void> {
  await db.selectFrom('users').select('id').where('workspaceId', '=', workspaceId).where('id', '=', userId).modifyEnd(forUpdate(dialect)).execute();
}

/**
 * Throws ownership_limit_reached when `userId` would own more customers than allowed after taking
 * the given ones (their deal statuses: dealt ones do not count when the limit excludes them).
 * Pass the transaction that makes the change.
 */
export async function assertCanOwn(db: Kysely<Database>, dialect: DialectName, workspaceId: string, userId: string, adding: readonly { dealStatus: string; locked?: number }[]): Promise<void> {
  if (adding.length === 0) {
    return;
  }
  const limit = await effectiveLimit(db, workspaceId, userId);
  if (limit.maxOwned === null && limit.maxLocked === null) {
    return;
  }
  await lockOwner(db, dialect, workspaceId, userId);
  if (limit.maxOwned !== null) {
    const counted = adding.filter((c) => !(limit.excludeDealt && c.dealStatus === 'dealt')).length;
    if (counted > 0 && (await countOwned(db, workspaceId, userId, { excludeDealt: limit.excludeDealt })) + counted > limit.maxOwned) {
      throw new AppError('ownership_limit_reached', { detail: `At most ${limit.maxOwned} customers${limit.excludeDealt ? ' (not counting dealt ones)' : ''}` });
    }
  }
  const locked = adding.filter((c) => c.locked === 1).length;
  if (limit.maxLocked !== null && locked > 0 && (await countOwned(db, workspaceId, userId, { locked: true })) + locked > limit.maxLocked) {
    throw new AppError('lock_limit_reached', { detail: `At most ${limit.maxLocked} locked customers` });
  }
}

/** Throws lock_limit_reached when the owner would hold more locked customers than allowed. */
export async function assertCanLock(db: Kysely<Database>, dialect: DialectName, workspaceId: string, ownerId: string | null): Promise<void> {
  if (ownerId === null) {
    return;
  }
  const limit = await effectiveLimit(db, workspaceId, ownerId);
  if (limit.maxLocked === null) {
    return;
  }
  await lockOwner(db, dialect, workspaceId, ownerId);
  if ((await countOwned(db, workspaceId, ownerId, { locked: true })) + 1 > limit.maxLocked) {
    throw new AppError('lock_limit_reached', { detail: `At most ${limit.maxLocked} locked customers` });
  }
}

export async function listOwnershipLimits(deps: Deps, auth: AuthContext) {
  const rows = await deps.db
    .selectFrom('ownershipLimits as l')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'l.subjectId').on('l.subjectType', '=', 'user'))
    .leftJoin('departments as d', (j) => j.onRef('d.id', '=', 'l.subjectId').on('l.subjectType', '=', 'department'))
    .select(['l.id', 'l.subjectType', 'l.subjectId', (eb) => eb.fn.coalesce('u.name', 'd.name').as('subjectName'), 'l.maxOwned', 'l.excludeDealt', 'l.maxLocked', 'l.updatedAt'])
    .where('l.workspaceId', '=', auth.workspaceId)
    .orderBy('l.subjectType')
    .orderBy('l.createdAt')
    .execute();
  return rows.map((r) => ({ ...r, excludeDealt: r.excludeDealt === 1 }));
}

/** Sets (or replaces) the limit of a user, a department or the whole workspace. */
export async function putOwnershipLimit(deps: Deps, auth: AuthContext, body: OwnershipLimitBody) {
  requirePermission(auth.permissions, 'pool:edit');
  let subjectId = auth.workspaceId;
  if (body.subjectType !== 'workspace') {
    const table = body.subjectType === 'user' ? 'users' : 'departments';
    const found = body.subjectId ? await deps.db.selectFrom(table).select('id').where('workspaceId', '=', auth.workspaceId).where('id', '=', body.subjectId).executeTakeFirst() : undefined;
    if (!found || !body.subjectId) {
      throw new AppError('validation_failed', { errors: [{ path: 'subjectId', message: `no such ${body.subjectType}` }] });
    }
    subjectId = body.subjectId;
  }
  const now = nowIso(deps);
  const values = { maxOwned: body.maxOwned, excludeDealt: body.excludeDealt ? 1 : 0, maxLocked: body.maxLocked, updatedAt: now };
  await deps.db
    .insertInto('ownershipLimits')
    .values({ id: newId(), workspaceId: auth.workspaceId, subjectType: body.subjectType, subjectId, createdAt: now, ...values })
    .onConflict((oc) => oc.columns(['workspaceId', 'subjectType', 'subjectId']).doUpdateSet(values))
    .execute();
  return listOwnershipLimits(deps, auth);
}

export async function deleteOwnershipLimit(deps: Deps, auth: AuthContext, id: string): Promise<void> {
  requirePermission(auth.permissions, 'pool:edit');
  const result = await deps.db.deleteFrom('ownershipLimits').where('workspaceId', '=', auth.workspaceId).where('id', '=', id).executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1) {
    throw new AppError('not_found');
  }
}

/** The caller's own numbers against their limits (shown on the pool page). */
export async function myUsage(deps: Deps, auth: AuthContext) {
  if (!auth.userId) {
    return { owned: 0, maxOwned: null, excludeDealt: false, locked: 0, maxLocked: null };
  }
  const limit = await effectiveLimit(deps.db, auth.workspaceId, auth.userId);
  return {
    owned: await countOwned(deps.db, auth.workspaceId, auth.userId, { excludeDealt: limit.excludeDealt }),
    maxOwned: limit.maxOwned,
    excludeDealt: limit.excludeDealt,
    locked: await countOwned(deps.db, auth.workspaceId, auth.userId, { locked: true }),
    maxLocked: limit.maxLocked,
  };
}
