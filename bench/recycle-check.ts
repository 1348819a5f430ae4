import { sql } from 'kysely';
import type { Deps } from '../server/deps';
import { listPoolRows } from '../server/modules/pools/pools.repo';
import { anyBranch, recyclableBase, ruleBranches } from '../server/modules/pools/pools.rules';
import { ownerCurrent } from '../server/modules/search/search.repo';
import { contactOwnerHolds } from '../server/modules/contacts/contacts.owner';

/**
 * What bench/recycle-bench.ts checks after a sweep: nothing the rules match is left owned, no
 * contact or search entry of a recycled customer still counts as owned (the rows themselves are
 * left as they were: contacts.owner.ts, search.repo.ts ownerCurrent), and there is exactly one
 * history row per customer recycled.
 */
export interface Check {
  /** History rows of the recycling. */
  recycled: number;
  /** Customers with more than one recycling history row. */
  duplicates: number;
  /** Customers still owned that the rules match (should be 0 after the sweep). */
  dueLeft: number;
  /** Contacts of recycled customers whose owner still counts (should be 0; contacts.owner.ts). */
  contactsOwned: number;
  /** Search entries of recycled customers whose owner still owns the customer (should be 0). */
  docsOwned: number;
}

export async function verify(deps: Deps, workspaceId: string, at: Date): Promise<Check> {
  const { db } = deps;
  const count = async (query: { executeTakeFirstOrThrow: () => Promise<{ n: number | string | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);
  const recycledIds = db.selectFrom('ownershipChanges').select('customerId').where('workspaceId', '=', workspaceId).where('action', '=', 'recycle');
  const recycled = await count(db.selectFrom('ownershipChanges').select(sql<number>`count(*)`.as('n')).where('workspaceId', '=', workspaceId).where('action', '=', 'recycle'));
  const duplicates = Number(
    (await sql<{ n: number }>`select count(*) as n from (select customer_id from ownership_changes where workspace_id = ${workspaceId} and action = 'recycle' group by customer_id having count(*) > 1) x`.execute(db)).rows[0]?.n ?? 0,
  );
  let dueLeft = 0;
  for (const pool of (await listPoolRows(db, workspaceId)).filter((p) => p.recycleEnabled === 1)) {
    const branches = ruleBranches(pool);
    dueLeft += await count(
      db
        .selectFrom('customers as c')
        .select(sql<number>`count(*)`.as('n'))
        .where('c.workspaceId', '=', workspaceId)
        .where((eb) => eb.and([recyclableBase(eb, pool), anyBranch(eb, workspaceId, branches, at)])),
    );
  }
  const contactsOwned = await count(
    db
      .selectFrom('contacts as ct')
      .select(sql<number>`count(*)`.as('n'))
      .where('ct.workspaceId', '=', workspaceId)
      .where('ct.ownerId', 'is not', null)
      .where('ct.customerId', 'in', recycledIds)
      .where(contactOwnerHolds()),
  );
  const docsOwned = await count(
    db
      .selectFrom('searchDocs as d')
      .select(sql<number>`count(*)`.as('n'))
      .where('d.workspaceId', '=', workspaceId)
      .where('d.entity', 'in', ['customer', 'contact'])
      .where('d.customerId', 'in', recycledIds)
      .where(ownerCurrent(workspaceId, 'customer')),
  );
  return { recycled, duplicates, dueLeft, contactsOwned, docsOwned };
}

export function checkLine(check: Check, recycled: number): string {
  const ok = check.dueLeft === 0 && check.contactsOwned === 0 && check.docsOwned === 0 && check.duplicates === 0 && check.recycled === recycled;
  return `check ${ok ? 'OK' : 'FAILED'}: still owned and due ${check.dueLeft}, contacts of recycled customers still owned ${check.contactsOwned}, their search entries still found by the old owner ${check.docsOwned}, history rows ${check.recycled} (recycled ${recycled}), customers recycled twice ${check.duplicates}`;
}

export function assertCheck(check: Check, recycled: number): void {
  if (check.dueLeft !== 0 || check.contactsOwned !== 0 || check.docsOwned !== 0 || check.duplicates !== 0 || check.recycled !== recycled) {
    throw new Error(checkLine(check, recycled));
  }
}
