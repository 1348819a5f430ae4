import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/types';

/** The agenda 我的跟进: what one user owns with a next follow-up time, by bucket (follow-ups.mine.ts). */

export interface MineRange {
  from?: string;
  to?: string;
}

/** Which kinds of record besides customers and contacts the caller's agenda holds (those they may view). */
export interface MineKinds {
  deals: boolean;
  leads: boolean;
}

type MineEntity = 'customer' | 'contact' | 'deal' | 'lead';

/**
 * Customers, contacts, open deals and open leads one user owns that have a next follow-up time,
 * as one ordered list. Each part reads the owner's rows through an index on the owner.
 */
function mineUnion(db: Kysely<Database>, workspaceId: string, ownerId: string, range: MineRange, kinds: MineKinds) {
  const inRange = (column: string) => {
    const parts: RawBuilder<unknown>[] = [sql`${sql.ref(column)} is not null`];
    if (range.from) {
      parts.push(sql`${sql.ref(column)} >= ${range.from}`);
    }
    if (range.to) {
      parts.push(sql`${sql.ref(column)} < ${range.to}`);
    }
    return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
  };
  const customers = db
    .selectFrom('customers as c')
    .select([
      sql<MineEntity>`'customer'`.as('entity'),
      'c.id as recordId',
      'c.name',
      sql<string | null>`c.id`.as('customerId'),
      sql<string | null>`c.name`.as('customerName'),
      'c.nextFollowupAt',
      'c.lastFollowupAt',
      'c.lastFollowupContent',
    ])
    .where('c.workspaceId', '=', workspaceId)
    .where('c.ownerId', '=', ownerId)
    .where('c.deletedAt', 'is', null)
    .where(inRange('c.next_followup_at'));
  const contacts = db
    .selectFrom('contacts as ct')
    .innerJoin('customers as c', 'c.id', 'ct.customerId')
    .select([
      sql<MineEntity>`'contact'`.as('entity'),
      'ct.id as recordId',
      'ct.name',
      sql<string | null>`ct.customer_id`.as('customerId'),
      'c.name as customerName',
      'ct.nextFollowupAt',
      'ct.lastFollowupAt',
      'ct.lastFollowupContent',
    ])
    .where('ct.workspaceId', '=', workspaceId)
    .where('ct.ownerId', '=', ownerId)
    // A contact of a customer in a pool may still name its former owner (contacts.owner.ts).
    .where('c.ownerId', 'is not', null)
    .where('ct.deletedAt', 'is', null)
    .where(inRange('ct.next_followup_at'));
  let union = customers.unionAll(contacts);
  if (kinds.deals) {
    union = union.unionAll(
      db
        .selectFrom('deals as d')
        .innerJoin('customers as c', 'c.id', 'd.customerId')
        .select([
          sql<MineEntity>`'deal'`.as('entity'),
          'd.id as recordId',
          'd.name',
          sql<string | null>`d.customer_id`.as('customerId'),
          'c.name as customerName',
          'd.nextFollowupAt',
          'd.lastFollowupAt',
          sql<string | null>`null`.as('lastFollowupContent'),
        ])
        .where('d.workspaceId', '=', workspaceId)
        .where('d.ownerId', '=', ownerId)
        .where('d.deletedAt', 'is', null)
        .where('d.status', '=', 'open')
        .where(inRange('d.next_followup_at')),
    );
  }
  if (kinds.leads) {
    union = union.unionAll(
      db
        .selectFrom('leads as l')
        .select([
          sql<MineEntity>`'lead'`.as('entity'),
          'l.id as recordId',
          'l.name',
          sql<string | null>`null`.as('customerId'),
          'l.company as customerName',
          'l.nextFollowupAt',
          'l.lastFollowupAt',
          'l.lastFollowupContent',
        ])
        .where('l.workspaceId', '=', workspaceId)
        .where('l.ownerId', '=', ownerId)
        .where('l.deletedAt', 'is', null)
        // Converted leads live on as their customer; invalid ones need no more contact.
        .where('l.status', 'in', ['new', 'contacted', 'qualified'])
        .where(inRange('l.next_followup_at')),
    );
  }
  return union;
}

/** One keyset page of a bucket, soonest first. */
export async function listMine(
  db: Kysely<Database>,
  workspaceId: string,
  ownerId: string,
  range: MineRange,
  kinds: MineKinds,
  after: { nextFollowupAt: string; id: string } | undefined,
  limit: number,
) {
  let q = db.selectFrom(mineUnion(db, workspaceId, ownerId, range, kinds).as('m')).selectAll();
  if (after) {
    q = q.where(sql<SqlBool>`(m.next_followup_at > ${after.nextFollowupAt} or (m.next_followup_at = ${after.nextFollowupAt} and m.record_id > ${after.id}))`);
  }
  return q.orderBy('m.nextFollowupAt').orderBy('m.recordId').limit(limit + 1).execute();
}

/** How many of one user's records fall before `now`, in [now, tomorrow) and from tomorrow on: one query. */
export async function countMine(db: Kysely<Database>, workspaceId: string, ownerId: string, kinds: MineKinds, now: string, tomorrow: string) {
  const row = await db
    .selectFrom(mineUnion(db, workspaceId, ownerId, {}, kinds).as('m'))
    .select([
      sql<number>`coalesce(sum(case when m.next_followup_at < ${now} then 1 else 0 end), 0)`.as('overdue'),
      sql<number>`coalesce(sum(case when m.next_followup_at >= ${now} and m.next_followup_at < ${tomorrow} then 1 else 0 end), 0)`.as('today'),
      sql<number>`coalesce(sum(case when m.next_followup_at >= ${tomorrow} then 1 else 0 end), 0)`.as('upcoming'),
    ])
    .executeTakeFirstOrThrow();
  return { today: Number(row.today), overdue: Number(row.overdue), upcoming: Number(row.upcoming) };
}
