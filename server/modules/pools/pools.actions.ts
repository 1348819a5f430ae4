import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { customerContext } from '../customers/customers.context';
import { loadCustomer } from '../customers/customers.service';
import { workspaceTimezone } from '../follow-ups/follow-ups.repo';
import { inScope, scopeFilter } from '../permissions/permissions.service';
import { reindexCustomers } from '../search/search.index';
import { recordOwnershipChanges } from './pools.history';
import { assertCanOwn } from './pools.limits';
import { ensureDefaultPool, takeClaim } from './pools.repo';
import type { BulkResult } from './pools.schema';
import { localDay, type PoolAccess, poolAccess, poolAccessAll } from './pools.service';

const dayMs = 86_400_000;

async function userName(db: Kysely<Database>, workspaceId: string, id: string | null): Promise<string | null> {
  if (!id) {
    return null;
  }
  return (await db.selectFrom('users').select('name').where('workspaceId', '=', workspaceId).where('id', '=', id).executeTakeFirst())?.name ?? null;
}

/** The customer as it sits in this pool right now, or customer_not_in_pool / not_found. */
async function poolCustomer(db: Kysely<Database>, workspaceId: string, poolId: string, customerId: string) {
  const row = await db
    .selectFrom('customers')
    .select(['id', 'name', 'ownerId', 'poolId', 'dealStatus', 'locked', 'previousOwnerId', 'releasedAt', 'deletedAt'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!row || row.deletedAt !== null) {
    throw new AppError('not_found');
  }
  if (row.ownerId !== null || row.poolId !== poolId) {
    throw new AppError('customer_not_in_pool');
  }
  return row;
}

/**
 * Gives a pool customer an owner: the conditional UPDATE (… WHERE owner_id IS NULL) is what makes
 * two people claiming the same customer at once end with exactly one owner; the loser's
 * transaction (quota, history) rolls back.
 */
async function takeFromPool(
  trx: Kysely<Database>,
  deps: Deps,
  access: PoolAccess,
  customer: { id: string; dealStatus: string; locked: number },
  change: { ownerId: string; action: 'claim' | 'assign'; actorUserId: string | null; reason: string | null; previousOwnerId: string | null },
): Promise<void> {
  const workspaceId = access.pool.workspaceId;
  const now = nowIso(deps);
  await assertCanOwn(trx, deps.dialect, workspaceId, change.ownerId, [customer]);
  const result = await trx
    .updateTable('customers')
    .set((eb) => ({ ownerId: change.ownerId, ownerSince: now, updatedAt: now, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', customer.id)
    .where('ownerId', 'is', null)
    .where('poolId', '=', access.pool.id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new AppError('customer_not_in_pool');
  }
  // All of them, those in the recycle bin too: while the customer had none, their owner_id may
  // have kept a former owner, which would count again now (contacts.owner.ts).
  await trx.updateTable('contacts').set({ ownerId: change.ownerId }).where('workspaceId', '=', workspaceId).where('customerId', '=', customer.id).execute();
  await recordOwnershipChanges(trx, [
    {
      workspaceId,
      customerId: customer.id,
      action: change.action,
      fromUserId: null,
      toUserId: change.ownerId,
      poolId: access.pool.id,
      reason: change.reason,
      rule: null,
      actorUserId: change.actorUserId,
      createdAt: now,
    },
  ]);
  await reindexCustomers(trx, deps.dialect, workspaceId, [customer.id]);
}

/** 领取: a member takes a customer from the pool (quota per day, previous-owner cool-down, ownership limit). */
export async function claimCustomer(deps: Deps, auth: AuthContext, actor: AuditActor, poolId: string, customerId: string): Promise<void> {
  const access = await poolAccess(deps, auth, poolId);
  const userId = auth.userId;
  if (!access.isMember || !userId) {
    throw new AppError('not_pool_member');
  }
  const customer = await poolCustomer(deps.db, auth.workspaceId, poolId, customerId);
  const cooldown = access.pool.cooldownDays ?? 0;
  if (cooldown > 0 && customer.previousOwnerId === userId && customer.releasedAt !== null && Date.parse(customer.releasedAt) + cooldown * dayMs > deps.now().getTime()) {
    const until = new Date(Date.parse(customer.releasedAt) + cooldown * dayMs).toISOString();
    throw new AppError('claim_cooldown', { detail: `You may claim it back from ${until}` });
  }
  const day = localDay(deps.now(), await workspaceTimezone(deps.db, auth.workspaceId));
  await deps.db.transaction().execute(async (trx) => {
    const limit = access.pool.claimDailyLimit;
    if (limit !== null && !(await takeClaim(trx, { workspaceId: auth.workspaceId, poolId, userId, day }, limit))) {
      throw new AppError('claim_quota_exceeded', { detail: `At most ${limit} claims per day from this pool` });
    }
    await takeFromPool(trx, deps, access, customer, { ownerId: userId, action: 'claim', actorUserId: userId, reason: null, previousOwnerId: customer.previousOwnerId });
  });
  await recordAudit(deps, actor, { action: 'customer.claimed', targetType: 'customer', targetId: customerId, detail: { poolId } });
}

/** Runs a per-customer action over a selection; each customer succeeds or fails on its own. */
async function eachCustomer(ids: readonly string[], run: (id: string) => Promise<void>): Promise<BulkResult> {
  const result: BulkResult = { done: [], failed: [] };
  for (const id of [...new Set(ids)]) {
    try {
      await run(id);
      result.done.push(id);
    } catch (error) {
      if (!(error instanceof AppError)) {
        throw error;
      }
      result.failed.push({ id, code: error.code, message: error.message });
    }
  }
  return result;
}

export async function claimCustomers(deps: Deps, auth: AuthContext, actor: AuditActor, poolId: string, ids: readonly string[]): Promise<BulkResult> {
  // The pool itself first: an unknown (or another workspace's) pool is a 404 for the whole request,
  // not a 200 whose every item failed.
  const access = await poolAccess(deps, auth, poolId);
  if (!access.isMember || !auth.userId) {
    throw new AppError('not_pool_member');
  }
  return eachCustomer(ids, (id) => claimCustomer(deps, auth, actor, poolId, id));
}

/** 分配: a pool admin, or a manager whose customer:assign scope covers the new owner, gives pool customers to someone. */
export async function assignCustomers(deps: Deps, auth: AuthContext, actor: AuditActor, poolId: string, input: { customerIds: readonly string[]; ownerId: string; reason?: string | undefined }): Promise<BulkResult> {
  const access = await poolAccess(deps, auth, poolId);
  const owner = await deps.db.selectFrom('users').select(['id', 'status']).where('workspaceId', '=', auth.workspaceId).where('id', '=', input.ownerId).executeTakeFirst();
  if (!owner || owner.status !== 'active') {
    throw new AppError('validation_failed', { errors: [{ path: 'ownerId', message: 'no such active user' }] });
  }
  const assign = (auth.permissions.actions.get('customer:assign')?.length ?? 0) > 0 ? await scopeFilter(deps, auth, 'customer', 'assign') : null;
  if (!access.isAdmin && !(assign && inScope(assign, input.ownerId))) {
    throw new AppError('forbidden', { detail: 'Only pool admins and managers may assign pool customers' });
  }
  const result = await eachCustomer(input.customerIds, async (id) => {
    const customer = await poolCustomer(deps.db, auth.workspaceId, poolId, id);
    await deps.db.transaction().execute((trx) =>
      takeFromPool(trx, deps, access, customer, { ownerId: input.ownerId, action: 'assign', actorUserId: auth.userId, reason: input.reason ?? null, previousOwnerId: customer.previousOwnerId }),
    );
  });
  await recordAudit(deps, actor, { action: 'customer.assigned', targetType: 'customer', detail: { poolId, ownerId: input.ownerId, ids: result.done } });
  return result;
}

/**
 * 放入公海: the owner (or someone whose customer:transfer scope covers the owner) puts customers
 * back, with a reason. They go to the given pool, else the pool they came from, else the default.
 */
export async function releaseCustomers(deps: Deps, auth: AuthContext, actor: AuditActor, input: { customerIds: readonly string[]; reason: string; poolId?: string | undefined }): Promise<BulkResult> {
  const pools = await poolAccessAll(deps, auth);
  const defaultPool = await ensureDefaultPool(deps.db, auth.workspaceId, nowIso(deps));
  if (input.poolId && !pools.some((p) => p.pool.id === input.poolId)) {
    throw new AppError('validation_failed', { errors: [{ path: 'poolId', message: 'no such pool' }] });
  }
  const ctx = await customerContext(deps, auth, ['transfer']);
  const result = await eachCustomer(input.customerIds, async (id) => {
    const row = await loadCustomer(deps, ctx, id);
    const transfer = ctx.scopes.transfer;
    const mine = row.ownerId !== null && row.ownerId === auth.userId;
    if (!mine && !(transfer && row.ownerId !== null && inScope(transfer, row.ownerId))) {
      throw new AppError('forbidden', { detail: 'Only the owner or their manager may put a customer in the pool' });
    }
    const current = await deps.db.selectFrom('customers').select('poolId').where('workspaceId', '=', auth.workspaceId).where('id', '=', id).executeTakeFirstOrThrow();
    const target = input.poolId ?? (current.poolId && pools.some((p) => p.pool.id === current.poolId) ? current.poolId : defaultPool.id);
    const now = nowIso(deps);
    await deps.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('customers')
        .set((eb) => ({ ownerId: null, previousOwnerId: row.ownerId, ownerSince: null, releasedAt: now, poolId: target, updatedAt: now, version: eb('version', '+', 1) }))
        .where('workspaceId', '=', auth.workspaceId)
        .where('id', '=', id)
        .where('ownerId', '=', row.ownerId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        throw new AppError('conflict', { detail: 'The owner changed meanwhile' });
      }
      await trx.updateTable('contacts').set({ ownerId: null }).where('workspaceId', '=', auth.workspaceId).where('customerId', '=', id).execute();
      await recordOwnershipChanges(trx, [
        {
          workspaceId: auth.workspaceId,
          customerId: id,
          action: 'release',
          fromUserId: row.ownerId,
          fromUserName: await userName(trx, auth.workspaceId, row.ownerId),
          toUserId: null,
          poolId: target,
          reason: input.reason,
          rule: null,
          actorUserId: auth.userId,
          createdAt: now,
        },
      ]);
      await reindexCustomers(trx, deps.dialect, auth.workspaceId, [id]);
    });
  });
  await recordAudit(deps, actor, { action: 'customer.released', targetType: 'customer', detail: { ids: result.done, reason: input.reason } });
  return result;
}
