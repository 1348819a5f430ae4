import { type Insertable, type Kysely, sql } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { CustomersTable, Database } from '../../db/types';
import { indexNewCustomers, reindexCustomers } from '../search/search.index';
import { defersIndex, unindexedRecords } from './imports.indexing';
import { indexContactWindow } from './imports.contacts-index';
import type { DeferredIndex } from './imports.registry';

/*
 * The search side of the customer import: where the database defers it (SQLite), new customers
 * get their entries in the job's closing indexing stage; elsewhere in the row batch, in bulk.
 */

/**
 * Where the next window ends: the `limit`-th id after `after` among the workspace's customers and
 * contacts together, in one statement (one snapshot). Every record at or below it was committed
 * when it was read — a later row batch makes ids above everything committed before — so the
 * windows of each table up to it, read by later statements, see exactly those records.
 */
async function windowEnd(trx: Kysely<Database>, dialect: DialectName, workspaceId: string, after: string, limit: number): Promise<string | null> {
  // SQLite: `+workspace_id` keeps each branch on its primary key's range (see unindexedRecords).
  const workspace = dialect === 'sqlite' ? sql`+workspace_id` : sql`workspace_id`;
  const { rows } = await sql<{ id: string }>`
    select id from (
      select id from (select id from customers where id > ${after} and ${workspace} = ${workspaceId} order by id limit ${limit}) c
      union all
      select id from (select id from contacts where id > ${after} and ${workspace} = ${workspaceId} order by id limit ${limit}) k
    ) w order by id limit ${limit}`.execute(trx);
  return rows.at(-1)?.id ?? null;
}

/**
 * The indexing stage's side for customers (imports.indexing.ts): windows of new customers, indexed
 * in bulk — with the contacts a customer file's 联系人 columns gave them (imports.customer-contacts.ts).
 * Those are written in the customers' row batch, after them, so customers and contacts share one
 * walk in id order and one position: a resumed stage (or lane) misses neither.
 */
export const customerIndex: DeferredIndex = {
  async indexBatch(trx, dialect, workspaceId, after, limit, { upsert }) {
    const end = await windowEnd(trx, dialect, workspaceId, after, limit);
    if (end === null) {
      return { indexed: 0, last: null };
    }
    const { records } = await unindexedRecords<{ name: string; phone: string | null; email: string | null; ownerId: string | null }>(
      trx,
      dialect,
      { table: 'customers', entity: 'customer', columns: ['name', 'phone', 'email', 'ownerId'] },
      workspaceId,
      after,
      limit,
      end,
    );
    if (upsert) {
      await reindexCustomers(
        trx,
        dialect,
        workspaceId,
        records.map((r) => r.id),
      );
    } else {
      // New customers have no entries: the bulk path writes them directly.
      await indexNewCustomers(trx, dialect, workspaceId, records);
    }
    // An import without contact columns finds none here: one probe of the primary key.
    await indexContactWindow(trx, dialect, workspaceId, after, limit, { upsert, upTo: end });
    return { indexed: records.length, last: end };
  },
};

/** A row batch's search entries: new customers unless the indexing stage will do them, updated ones always. */
export async function indexWrittenCustomers(
  trx: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  created: readonly Partial<Insertable<CustomersTable>>[],
  updatedIds: readonly string[],
): Promise<void> {
  if (!defersIndex({ deferredIndex: customerIndex }, dialect)) {
    await indexNewCustomers(
      trx,
      dialect,
      workspaceId,
      created.map((r) => ({ id: r.id ?? null, name: r.name ?? null, phone: r.phone ?? null, email: r.email ?? null, ownerId: r.ownerId ?? null })),
    );
  }
  await reindexCustomers(trx, dialect, workspaceId, [...updatedIds]);
}
