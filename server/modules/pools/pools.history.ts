import type { Kysely } from 'kysely';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import type { OwnershipChangesTable } from '../../db/types-pools';
import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { loadCustomer } from '../customers/customers.service';
import { customerContext } from '../customers/customers.context';

export type OwnershipChange = Omit<OwnershipChangesTable, 'id'> & { fromUserName?: string | null };

/**
 * Records who, when and why for each change of owner: a row in ownership_changes and an
 * 'owner_change' entry on the customer's timeline, in the caller's transaction. Rows are written
 * in chunks so a recycling batch stays under the databases' bound-parameter limits.
 */
export async function recordOwnershipChanges(db: Kysely<Database>, changes: readonly OwnershipChange[], options: { timeline?: boolean } = {}): Promise<void> {
  for (let i = 0; i < changes.length; i += 1000) {
    const part = changes.slice(i, i + 1000);
    await db
      .insertInto('ownershipChanges')
      .values(part.map(({ fromUserName: _name, ...c }) => ({ id: newId(), ...c })))
      .execute();
    if (options.timeline !== false) {
      await db
        .insertInto('timelineEvents')
        .values(
          part.map((c) => ({
            id: newId(),
            workspaceId: c.workspaceId,
            customerId: c.customerId,
            entity: 'customer',
            recordId: c.customerId,
            kind: 'owner_change',
            actorUserId: c.actorUserId,
            data: JSON.stringify({ from: c.fromUserId, fromName: c.fromUserName ?? null, to: c.toUserId, reason: c.reason, via: c.action, rule: c.rule, poolId: c.poolId }),
            createdAt: c.createdAt,
          })),
        )
        .execute();
    }
  }
}

/** Every ownership change of a customer the caller may see, newest first. */
export async function ownershipHistoryOf(deps: Deps, auth: AuthContext, customerId: string) {
  const ctx = await customerContext(deps, auth, []);
  await loadCustomer(deps, ctx, customerId);
  return deps.db
    .selectFrom('ownershipChanges as h')
    .leftJoin('users as f', 'f.id', 'h.fromUserId')
    .leftJoin('users as t', 't.id', 'h.toUserId')
    .select(['h.id', 'h.action', 'h.fromUserId', 'f.name as fromUserName', 'h.toUserId', 't.name as toUserName', 'h.poolId', 'h.reason', 'h.rule', 'h.actorUserId', 'h.createdAt'])
    .where('h.workspaceId', '=', auth.workspaceId)
    .where('h.customerId', '=', customerId)
    .orderBy('h.createdAt', 'desc')
    .orderBy('h.id', 'desc')
    .limit(500)
    .execute();
}
