import { type Expression, type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import { containsInsensitive, type DialectName } from '../../db/dialect';
import type { ContactsTable, Database } from '../../db/types';
import { filtersExpression, keyset } from '../../list/build-list';
import type { ParsedList } from '../../list/list-spec';
import type { Visibility } from '../customers/customers.repo';
import { contactListSpec } from './contacts.list-spec';

/**
 * Who may see a contact: its owner (mirrors the customer's owner) in the caller's contact scope,
 * or the caller is a live collaborator (团队成员) of its customer.
 */
export function contactVisibleCondition(workspaceId: string, v: Visibility): Expression<SqlBool> {
  if (v.scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  const shared = v.userId
    ? sql<SqlBool>`exists (select 1 from customer_collaborators cc where cc.workspace_id = ${workspaceId}
        and cc.customer_id = ct.customer_id and cc.user_id = ${v.userId} and (cc.expires_at is null or cc.expires_at > ${v.now}))`
    : sql<SqlBool>`1 = 0`;
  if (v.scope.ownerIds.length === 0) {
    return shared;
  }
  return sql<SqlBool>`(ct.owner_id in (${sql.join(v.scope.ownerIds)}) or ${shared})`;
}

/** The `q` of a contact list: name, phone digits (3 or more) or email contains. */
export function contactSearchCondition(dialect: DialectName, q: string): Expression<SqlBool> {
  const digits = q.replace(/\D+/g, '');
  const parts: Expression<SqlBool>[] = [containsInsensitive(dialect, 'ct.name', q), containsInsensitive(dialect, 'ct.email_key', q.toLowerCase())];
  if (digits.length >= 3) {
    parts.push(containsInsensitive(dialect, 'ct.phone_key', digits));
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

const columns = [
  'ct.id',
  'ct.customerId',
  'c.name as customerName',
  'ct.ownerId',
  'ct.name',
  'ct.phone',
  'ct.email',
  'ct.title',
  'ct.department',
  'ct.wechat',
  'ct.isPrimary',
  'ct.isDecisionMaker',
  'ct.remark',
  'ct.lastFollowupAt',
  'ct.nextFollowupAt',
  'ct.custom',
  'ct.createdAt',
  'ct.updatedAt',
  'ct.deletedAt',
  'ct.version',
] as const;

function base(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('contacts as ct')
    .innerJoin('customers as c', 'c.id', 'ct.customerId')
    .select(columns)
    .where('ct.workspaceId', '=', workspaceId);
}

export type ContactRow = Awaited<ReturnType<typeof findContact>> & object;

/** A live contact, within the visibility when one is given. */
export async function findContact(db: Kysely<Database>, workspaceId: string, id: string, visibility?: Visibility) {
  let q = base(db, workspaceId).where('ct.id', '=', id).where('ct.deletedAt', 'is', null);
  if (visibility) {
    q = q.where(contactVisibleCondition(workspaceId, visibility));
  }
  return q.executeTakeFirst();
}

/** Every live contact of a customer the caller may see, primary first, then oldest first. */
export async function findContactsOfCustomer(db: Kysely<Database>, workspaceId: string, customerId: string, visibility: Visibility) {
  return base(db, workspaceId)
    .where('ct.customerId', '=', customerId)
    .where('ct.deletedAt', 'is', null)
    .where(contactVisibleCondition(workspaceId, visibility))
    .orderBy('ct.isPrimary', 'desc')
    .orderBy('ct.createdAt')
    .orderBy('ct.id')
    .execute();
}

function listConditions(dialect: DialectName, workspaceId: string, visibility: Visibility, list: ParsedList): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [
    sql<SqlBool>`ct.deleted_at is null`,
    contactVisibleCondition(workspaceId, visibility),
    filtersExpression(dialect, contactListSpec.customColumn, list.filters),
  ];
  if (list.q) {
    parts.push(contactSearchCondition(dialect, list.q));
  }
  return parts;
}

/** One keyset page; scope, filters and search are all in the WHERE clause. */
export async function listContactRows(db: Kysely<Database>, dialect: DialectName, workspaceId: string, visibility: Visibility, list: ParsedList) {
  const { orderBy, condition } = keyset(dialect, contactListSpec.customColumn, contactListSpec.idColumn, list);
  let q = base(db, workspaceId);
  for (const part of listConditions(dialect, workspaceId, visibility, list)) {
    q = q.where(part);
  }
  if (condition) {
    q = q.where(condition);
  }
  return q.orderBy(orderBy).limit(list.limit + 1).execute();
}

/** Exact up to `cap` rows; above that the answer says so. */
export async function countContacts(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  visibility: Visibility,
  list: ParsedList,
  cap = 100_000,
): Promise<{ total: number; exact: boolean }> {
  let inner = db.selectFrom('contacts as ct').select(sql`1`.as('one')).where('ct.workspaceId', '=', workspaceId);
  for (const part of listConditions(dialect, workspaceId, visibility, list)) {
    inner = inner.where(part);
  }
  const row = await db
    .selectFrom(inner.limit(cap + 1).as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { total: Math.min(n, cap), exact: n <= cap };
}

export async function insertContact(db: Kysely<Database>, row: Insertable<ContactsTable>): Promise<void> {
  await db.insertInto('contacts').values(row).execute();
}

/** Applies a patch and bumps the version; 0 when the version did not match (or the contact is gone). */
export async function updateContactRow(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Updateable<ContactsTable>,
  at: string,
  expectedVersion?: number,
): Promise<number> {
  let q = db
    .updateTable('contacts')
    .set((eb) => ({ ...patch, updatedAt: at, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null);
  if (expectedVersion !== undefined) {
    q = q.where('version', '=', expectedVersion);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/**
 * Makes one contact the customer's primary (首要联系人), or clears it (contactId null). The
 * customer row is written first: on PostgreSQL its row lock serialises concurrent changes of
 * the same customer's primary, so two contacts can never both end up primary.
 */
export async function setPrimaryContact(db: Kysely<Database>, workspaceId: string, customerId: string, contactId: string | null, at: string): Promise<void> {
  await db.updateTable('customers').set({ primaryContactId: contactId, updatedAt: at }).where('workspaceId', '=', workspaceId).where('id', '=', customerId).execute();
  let others = db.updateTable('contacts').set({ isPrimary: 0 }).where('workspaceId', '=', workspaceId).where('customerId', '=', customerId).where('isPrimary', '=', 1);
  if (contactId) {
    others = others.where('id', '<>', contactId);
  }
  await others.execute();
  if (contactId) {
    await db.updateTable('contacts').set({ isPrimary: 1 }).where('workspaceId', '=', workspaceId).where('id', '=', contactId).execute();
  }
}

export async function softDeleteContact(db: Kysely<Database>, workspaceId: string, id: string, at: string): Promise<void> {
  await db.updateTable('contacts').set({ deletedAt: at, isPrimary: 0, updatedAt: at }).where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
}
