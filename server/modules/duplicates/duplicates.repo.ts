import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types';
import type { DuplicateReason } from './duplicates.schema';

export const keyColumns = { name: 'nameKey', phone: 'phoneKey', email: 'emailKey' } as const satisfies Record<DuplicateReason, string>;

export interface DuplicateKeys {
  name: string | null;
  phone: string | null;
  email: string | null;
}

/**
 * Live customers sharing a key with the input, through the key indexes, and those whose live
 * contacts share the phone or email (a person already on file under another customer).
 */
export async function findKeyMatches(db: Kysely<Database>, workspaceId: string, keys: DuplicateKeys, excludeId: string | null, limit: number) {
  const customers = await db
    .selectFrom('customers')
    .select(['id', 'nameKey', 'phoneKey', 'emailKey'])
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .where((eb) =>
      eb.or([
        ...(keys.name ? [eb('nameKey', '=', keys.name)] : []),
        ...(keys.phone ? [eb('phoneKey', '=', keys.phone)] : []),
        ...(keys.email ? [eb('emailKey', '=', keys.email)] : []),
      ]),
    )
    .$if(excludeId !== null, (q) => q.where('id', '<>', excludeId ?? ''))
    .limit(limit)
    .execute();
  const contacts =
    keys.phone || keys.email
      ? await db
          .selectFrom('contacts as ct')
          .innerJoin('customers as c', 'c.id', 'ct.customerId')
          .select(['ct.customerId', 'ct.phoneKey', 'ct.emailKey'])
          .where('ct.workspaceId', '=', workspaceId)
          .where('ct.deletedAt', 'is', null)
          .where('c.deletedAt', 'is', null)
          .where((eb) => eb.or([...(keys.phone ? [eb('ct.phoneKey', '=', keys.phone)] : []), ...(keys.email ? [eb('ct.emailKey', '=', keys.email)] : [])]))
          .$if(excludeId !== null, (q) => q.where('ct.customerId', '<>', excludeId ?? ''))
          .limit(limit)
          .execute()
      : [];
  return { customers, contacts };
}

/**
 * One page of duplicate groups for one reason: keys shared by more than one live customer, in
 * key order after `after`. Reads only the partial key index (workspace, key, owner) of live rows.
 */
export async function findDuplicateKeys(
  db: Kysely<Database>,
  workspaceId: string,
  reason: DuplicateReason,
  ownerIds: readonly string[] | null,
  after: string | null,
  limit: number,
): Promise<{ key: string; n: number }[]> {
  const column = keyColumns[reason];
  let q = db
    .selectFrom('customers')
    .select([`${column} as key`, (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .where(column, 'is not', null)
    .where(column, '<>', '');
  if (ownerIds !== null) {
    q = q.where('ownerId', 'in', ownerIds.length > 0 ? ownerIds : ['']);
  }
  if (after !== null) {
    q = q.where(column, '>', after);
  }
  const rows = await q.groupBy(column).having(sql`count(*)`, '>', 1).orderBy(column).limit(limit).execute();
  return rows.map((r) => ({ key: String(r.key), n: Number(r.n) }));
}

/** The first `limit` live customers (oldest first) holding a key. */
export async function findCustomersWithKey(db: Kysely<Database>, workspaceId: string, reason: DuplicateReason, key: string, ownerIds: readonly string[] | null, limit: number): Promise<string[]> {
  const column = keyColumns[reason];
  let q = db.selectFrom('customers').select('id').where('workspaceId', '=', workspaceId).where('deletedAt', 'is', null).where(column, '=', key);
  if (ownerIds !== null) {
    q = q.where('ownerId', 'in', ownerIds.length > 0 ? ownerIds : ['']);
  }
  return (await q.orderBy('createdAt').orderBy('id').limit(limit).execute()).map((r) => r.id);
}
