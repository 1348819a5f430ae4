import { type Expression, type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { ContactsTable, Database } from '../../db/types';
import { filtersExpression } from '../../list/build-list';
import { type CountResult, defaultCountCap, fetchKeysetRows, type KeysetWalk, keysetWalks } from '../../list/list-page';
import { countScoped, type ScopeSql, scopeCondition } from '../../list/list-scope';
import type { ParsedList } from '../../list/list-spec';
import { scanSearchCondition } from '../../list/scan-search';
import type { Visibility } from '../customers/customers.repo';
import { contactListSpec } from './contacts.list-spec';
import { contactOwnerHolds, contactOwnerValue } from './contacts.owner';

/**
 * Who may see a contact: its owner (mirrors the customer's owner unless it was transferred
 * without contacts) in the caller's contact scope while its customer has one, or the caller is a
 * live collaborator (团队成员) of its customer.
 */
export function contactScopeSql(workspaceId: string, v: Visibility): ScopeSql {
  return {
    scope: v.scope,
    ownerColumn: 'ct.owner_id',
    ownerCheck: contactOwnerHolds(),
    shared: v.userId
      ? sql<SqlBool>`ct.customer_id in (select cc.customer_id from customer_collaborators cc where cc.workspace_id = ${workspaceId}
          and cc.user_id = ${v.userId} and (cc.expires_at is null or cc.expires_at > ${v.now}))`
      : null,
  };
}

export function contactVisibleCondition(workspaceId: string, v: Visibility): Expression<SqlBool> {
  return scopeCondition(contactScopeSql(workspaceId, v));
}

const columns = [
  'ct.id',
  'ct.customerId',
  'c.name as customerName',
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
    // The owner as it holds (contactOwnerHolds): none while the customer is in a pool.
    .select(contactOwnerValue().as('ownerId'))
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

/** A contact in the recycle bin (soft-deleted), within the visibility. */
export async function findDeletedContact(db: Kysely<Database>, workspaceId: string, id: string, visibility: Visibility) {
  return base(db, workspaceId).where('ct.id', '=', id).where('ct.deletedAt', 'is not', null).where(contactVisibleCondition(workspaceId, visibility)).executeTakeFirst();
}

/** Contacts in the recycle bin among ids, within the visibility (an id missing here is, to the caller, not there). */
export async function findDeletedContacts(db: Kysely<Database>, workspaceId: string, ids: readonly string[], visibility: Visibility) {
  return base(db, workspaceId).where('ct.id', 'in', ids).where('ct.deletedAt', 'is not', null).where(contactVisibleCondition(workspaceId, visibility)).execute();
}

/** Live contacts among ids, within the visibility. */
export async function findLiveContacts(db: Kysely<Database>, workspaceId: string, ids: readonly string[], visibility: Visibility) {
  return base(db, workspaceId).where('ct.id', 'in', ids).where('ct.deletedAt', 'is', null).where(contactVisibleCondition(workspaceId, visibility)).execute();
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

/** Which contacts a list walks: the live ones, or the recycle bin. */
export interface ContactListOptions {
  deleted: boolean;
}

function listConditions(dialect: DialectName, list: ParsedList, options: ContactListOptions): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [options.deleted ? sql<SqlBool>`ct.deleted_at is not null` : sql<SqlBool>`ct.deleted_at is null`, filtersExpression(dialect, contactListSpec.customColumn, list.filters)];
  if (list.q) {
    // Name, phone or email, under the caller's field rules for them.
    parts.push(scanSearchCondition(dialect, list.qModes, list.q, { names: ['ct.name'], phoneKey: 'ct.phone_key', emailKey: 'ct.email_key' }));
  }
  return parts;
}

/** The rows of one keyset walk (server/list/list-page.ts); scope, filters and search are all in the WHERE clause. */
export function contactWalk(db: Kysely<Database>, dialect: DialectName, workspaceId: string, visibility: Visibility, list: ParsedList, options: ContactListOptions = { deleted: false }) {
  return (walk: KeysetWalk, limit: number) => {
    let q = base(db, workspaceId).where(contactVisibleCondition(workspaceId, visibility));
    for (const part of [...listConditions(dialect, list, options), ...walk.where]) {
      q = q.where(part);
    }
    return q.orderBy(walk.orderBy).limit(limit).execute();
  };
}

/** One keyset page: up to limit + 1 rows. */
export async function listContactRows(db: Kysely<Database>, dialect: DialectName, workspaceId: string, visibility: Visibility, list: ParsedList): Promise<ContactRow[]> {
  return fetchKeysetRows(keysetWalks(dialect, contactListSpec, list), list.limit, contactWalk(db, dialect, workspaceId, visibility, list));
}

/** Exact up to `cap` rows; above that the answer says so. Counted in index-friendly parts (countScoped). */
export async function countContacts(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  visibility: Visibility,
  list: ParsedList,
  cap = defaultCountCap,
  options: ContactListOptions = { deleted: false },
): Promise<CountResult> {
  return countScoped(
    db,
    contactScopeSql(workspaceId, visibility),
    (extra) => {
      let q = db.selectFrom('contacts as ct').select('ct.id').where('ct.workspaceId', '=', workspaceId);
      for (const part of listConditions(dialect, list, options)) {
        q = q.where(part);
      }
      return q.where(extra);
    },
    cap,
  );
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

/** Takes a contact out of the recycle bin; it comes back as a non-primary contact. */
export async function restoreContactRow(db: Kysely<Database>, workspaceId: string, id: string, at: string): Promise<void> {
  await db
    .updateTable('contacts')
    .set((eb) => ({ deletedAt: null, updatedAt: at, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is not', null)
    .execute();
}
