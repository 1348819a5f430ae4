import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { workspaceTimezone } from '../follow-ups/follow-ups.repo';
import { can, orgGraphOf, requirePermission } from '../permissions/permissions.service';
import { departmentChain, roleIn } from './pools.membership';
import {
  adoptOrphans,
  claimedToday,
  countPoolCustomers,
  ensureDefaultPool,
  findMembers,
  findPoolRow,
  listPoolCustomers,
  listPoolRows,
  type PoolRow,
  replaceMembers,
} from './pools.repo';
import type { CreatePoolBody, Pool, PoolCustomer, PoolCustomersQuery, UpdatePoolBody } from './pools.schema';

/** The workspace-local date (YYYY-MM-DD) that daily claim quotas count in. */
export function localDay(now: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  }
}

export interface PoolAccess {
  pool: PoolRow;
  isMember: boolean;
  isAdmin: boolean;
  canManage: boolean;
}

/** The caller's standing in every pool of the workspace (the default pool is created on first use). */
export async function poolAccessAll(deps: Deps, auth: AuthContext): Promise<PoolAccess[]> {
  const defaultPool = await ensureDefaultPool(deps.db, auth.workspaceId, nowIso(deps));
  await adoptOrphans(deps.db, auth.workspaceId, defaultPool.id);
  const pools = await listPoolRows(deps.db, auth.workspaceId);
  const members = await findMembers(
    deps.db,
    auth.workspaceId,
    pools.map((p) => p.id),
  );
  const chain = auth.userId ? departmentChain(await orgGraphOf(deps, auth), auth.userId) : [];
  const manage = can(auth.permissions, 'pool:edit');
  return pools.map((pool) => {
    const role = roleIn(pool, members, auth.userId, chain);
    return { pool, ...role, canManage: manage || role.isAdmin };
  });
}

/** One pool the caller may see (member, pool admin or pool manager), else 404. */
export async function poolAccess(deps: Deps, auth: AuthContext, id: string): Promise<PoolAccess> {
  const found = (await poolAccessAll(deps, auth)).find((a) => a.pool.id === id);
  if (!found || !(found.isMember || found.canManage)) {
    throw new AppError('not_found');
  }
  return found;
}

async function present(deps: Deps, auth: AuthContext, access: readonly PoolAccess[]): Promise<Pool[]> {
  const ids = access.map((a) => a.pool.id);
  const [members, counts, tz] = await Promise.all([findMembers(deps.db, auth.workspaceId, ids), countPoolCustomers(deps.db, auth.workspaceId, ids), workspaceTimezone(deps.db, auth.workspaceId)]);
  const claimed = auth.userId ? await claimedToday(deps.db, auth.workspaceId, auth.userId, localDay(deps.now(), tz)) : new Map<string, number>();
  return access.map(({ pool, isMember, isAdmin, canManage }) => {
    const mine = members.filter((m) => m.poolId === pool.id);
    return {
      id: pool.id,
      name: pool.name,
      description: pool.description,
      isDefault: pool.isDefault === 1,
      allUsers: pool.allUsers === 1,
      members: mine.filter((m) => m.role === 'member').map((m) => ({ type: m.subjectType, id: m.subjectId, name: m.name })),
      admins: mine.filter((m) => m.role === 'admin').map((m) => ({ id: m.subjectId, name: m.name })),
      claimDailyLimit: pool.claimDailyLimit,
      cooldownDays: pool.cooldownDays,
      recycleEnabled: pool.recycleEnabled === 1,
      exemptDealt: pool.exemptDealt === 1,
      exemptLocked: pool.exemptLocked === 1,
      warnDays: pool.warnDays,
      rules: pool.rules,
      customerCount: counts.get(pool.id) ?? 0,
      isMember,
      isAdmin,
      canManage,
      claimedToday: claimed.get(pool.id) ?? 0,
      version: pool.version,
      createdAt: pool.createdAt,
      updatedAt: pool.updatedAt,
    };
  });
}

/** The pools the caller belongs to (all of them for pool managers). */
export async function listPools(deps: Deps, auth: AuthContext): Promise<Pool[]> {
  return present(
    deps,
    auth,
    (await poolAccessAll(deps, auth)).filter((a) => a.isMember || a.canManage),
  );
}

export async function getPool(deps: Deps, auth: AuthContext, id: string): Promise<Pool> {
  const [pool] = await present(deps, auth, [await poolAccess(deps, auth, id)]);
  return pool as Pool;
}

async function validateSubjects(deps: Deps, workspaceId: string, body: CreatePoolBody | UpdatePoolBody): Promise<void> {
  const users = [...new Set([...(body.members ?? []).filter((m) => m.type === 'user').map((m) => m.id), ...(body.admins ?? [])])];
  const departments = [...new Set((body.members ?? []).filter((m) => m.type === 'department').map((m) => m.id))];
  const foundUsers = users.length === 0 ? [] : await deps.db.selectFrom('users').select('id').where('workspaceId', '=', workspaceId).where('id', 'in', users).execute();
  const foundDepartments = departments.length === 0 ? [] : await deps.db.selectFrom('departments').select('id').where('workspaceId', '=', workspaceId).where('id', 'in', departments).execute();
  if (foundUsers.length !== users.length || foundDepartments.length !== departments.length) {
    throw new AppError('validation_failed', { errors: [{ path: 'members', message: 'no such user or department' }] });
  }
}

function settingsOf(body: CreatePoolBody | UpdatePoolBody) {
  const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);
  const values = {
    name: body.name,
    description: body.description,
    allUsers: flag(body.allUsers),
    claimDailyLimit: body.claimDailyLimit,
    cooldownDays: body.cooldownDays,
    recycleEnabled: flag(body.recycleEnabled),
    exemptDealt: flag(body.exemptDealt),
    exemptLocked: flag(body.exemptLocked),
    warnDays: body.warnDays,
    rules: body.rules === undefined ? undefined : JSON.stringify(body.rules),
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

function memberRows(body: CreatePoolBody | UpdatePoolBody) {
  const admins = new Set(body.admins ?? []);
  return [
    ...(body.members ?? []).filter((m) => !(m.type === 'user' && admins.has(m.id))).map((m) => ({ subjectType: m.type, subjectId: m.id, role: 'member' as const })),
    ...[...admins].map((id) => ({ subjectType: 'user' as const, subjectId: id, role: 'admin' as const })),
  ];
}

export async function createPool(deps: Deps, auth: AuthContext, body: CreatePoolBody): Promise<Pool> {
  requirePermission(auth.permissions, 'pool:create');
  await validateSubjects(deps, auth.workspaceId, body);
  const now = nowIso(deps);
  const id = newId();
  await ensureDefaultPool(deps.db, auth.workspaceId, now);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('pools')
      .values({
        id,
        workspaceId: auth.workspaceId,
        name: body.name,
        description: body.description ?? null,
        isDefault: null,
        allUsers: body.allUsers ? 1 : 0,
        claimDailyLimit: body.claimDailyLimit ?? null,
        cooldownDays: body.cooldownDays ?? null,
        recycleEnabled: body.recycleEnabled ? 1 : 0,
        exemptDealt: body.exemptDealt === false ? 0 : 1,
        exemptLocked: body.exemptLocked === false ? 0 : 1,
        warnDays: body.warnDays ?? 3,
        rules: JSON.stringify(body.rules ?? []),
        sort: 1,
        createdAt: now,
        updatedAt: now,
        version: 1,
      })
      .execute();
    await replaceMembers(trx, auth.workspaceId, id, memberRows(body), now);
  });
  return getPool(deps, auth, id);
}

/**
 * Edits settings, members, admins and rules (pool managers, or the pool's own admins). The version
 * the edit is based on comes as If-Match (`expectedVersion`) or, as this API first took it, as the
 * body's `version`; a pool changed meanwhile answers 412 version_mismatch (both given: both must match).
 */
export async function updatePool(deps: Deps, auth: AuthContext, id: string, body: UpdatePoolBody, expectedVersion?: number): Promise<Pool> {
  const access = await poolAccess(deps, auth, id);
  if (!access.canManage) {
    throw new AppError('forbidden');
  }
  await validateSubjects(deps, auth.workspaceId, body);
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    let update = trx
      .updateTable('pools')
      .set((eb) => ({ ...settingsOf(body), updatedAt: now, version: eb('version', '+', 1) }))
      .where('workspaceId', '=', auth.workspaceId)
      .where('id', '=', id);
    // In the UPDATE itself, not compared beforehand: two editors of the same version cannot both win.
    for (const version of [expectedVersion, body.version]) {
      if (version !== undefined) {
        update = update.where('version', '=', version);
      }
    }
    if (Number((await update.executeTakeFirst()).numUpdatedRows) === 0) {
      throw new AppError('version_mismatch');
    }
    if (body.members !== undefined || body.admins !== undefined) {
      const current = (await findMembers(trx, auth.workspaceId, [id])).map((m) => ({ type: m.subjectType, id: m.subjectId, role: m.role }));
      const merged = {
        members: body.members ?? current.filter((m) => m.role === 'member').map((m) => ({ type: m.type, id: m.id })),
        admins: body.admins ?? current.filter((m) => m.role === 'admin').map((m) => m.id),
      };
      await replaceMembers(trx, auth.workspaceId, id, memberRows({ ...body, ...merged }), now);
    }
  });
  return getPool(deps, auth, id);
}

/** Deletes a pool; its customers move to the default pool. The default pool cannot be deleted. */
export async function deletePool(deps: Deps, auth: AuthContext, id: string): Promise<void> {
  requirePermission(auth.permissions, 'pool:delete');
  const pool = await findPoolRow(deps.db, auth.workspaceId, id);
  if (!pool) {
    throw new AppError('not_found');
  }
  if (pool.isDefault === 1) {
    throw new AppError('business_rule', { detail: 'The default pool cannot be deleted' });
  }
  const defaultPool = await ensureDefaultPool(deps.db, auth.workspaceId, nowIso(deps));
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('customers').set({ poolId: defaultPool.id }).where('workspaceId', '=', auth.workspaceId).where('poolId', '=', id).execute();
    await trx.deleteFrom('poolMembers').where('workspaceId', '=', auth.workspaceId).where('poolId', '=', id).execute();
    await trx.deleteFrom('poolClaimCounts').where('workspaceId', '=', auth.workspaceId).where('poolId', '=', id).execute();
    await trx.deleteFrom('pools').where('workspaceId', '=', auth.workspaceId).where('id', '=', id).execute();
  });
}

/** A keyset page of the customers waiting in a pool. */
export async function listCustomersOfPool(deps: Deps, auth: AuthContext, id: string, query: PoolCustomersQuery): Promise<{ data: PoolCustomer[]; nextCursor: string | null }> {
  await poolAccess(deps, auth, id);
  const after = query.cursor ? decodeCursor(query.cursor, ['releasedAt', 'id']) : undefined;
  const rows = await listPoolCustomers(deps.db, deps.dialect, auth.workspaceId, id, { q: query.q, level: query.level, source: query.source, industry: query.industry, limit: query.limit, after });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({ ...r, previousOwnerName: r.previousOwnerName ?? null })),
    nextCursor: rows.length > query.limit && last?.releasedAt ? encodeCursor({ releasedAt: last.releasedAt, id: last.id }) : null,
  };
}
