import type { Insertable, Kysely } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { CustomersTable, Database } from '../../db/types';
import { indexNewCustomers, reindexCustomers } from '../search/search.index';
import { defersIndex, unindexedRecords } from './imports.indexing';
import type { DeferredIndex } from './imports.registry';

/*
 * The search side of the customer import: where the database defers it (SQLite), new customers
 * get their entries in the job's closing indexing stage; elsewhere in the row batch, in bulk.
 */

/** The indexing stage's side for customers (imports.indexing.ts): windows of new customers, indexed in bulk. */
export const customerIndex: DeferredIndex = {
  async indexBatch(trx, dialect, workspaceId, after, limit, { upsert }) {
    const { records, last } = await unindexedRecords<{ name: string; phone: string | null; email: string | null; ownerId: string | null }>(
      trx,
      dialect,
      { table: 'customers', entity: 'customer', columns: ['name', 'phone', 'email', 'ownerId'] },
      workspaceId,
      after,
      limit,
    );
    if (upsert) {
      await reindexCustomers(
        trx,
        dialect,
        workspaceId,
        records.map((r) => r.id),
      );
    } else {
      // New customers have no entries: the bulk path writes them directly. Contacts an import gave
      // them (imports.customer-contacts.ts) were indexed in their row batch.
      await indexNewCustomers(trx, dialect, workspaceId, records);
    }
    return { indexed: records.length, last };
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
