import type { Insertable, Kysely } from 'kysely';
import { type DialectName, searchGramsColumn, searchGramsOnConflict, storeSearchGrams, workspaceFilter } from '../../db/dialect';
import type { Database, SearchDocsTable } from '../../db/types';
import { foldText, gramToken, phoneDigits, shortGrams } from './search.text';

/**
 * The search index writer. Every write path that changes a customer's or a contact's name, phone,
 * email, owner, customer or deleted state calls one of these **inside its own transaction**, so
 * search never disagrees with the tables:
 *
 * - `reindexCustomers(db, dialect, workspaceId, ids)` — customers and all their contacts
 *   (create, edit, delete, restore, transfer, merge, import of customers);
 * - `reindexContacts(db, dialect, workspaceId, ids)` — contacts on their own (create, edit,
 *   delete, restore, import of contacts);
 * - `reindexWorkspace(db, dialect, workspaceId)` — rebuilds a whole workspace in batches
 *   (maintenance; `reindexAllWorkspaces` does every workspace, the 0005 migration uses it).
 *
 * They read the current rows, so they are idempotent and can be called with any ids (missing or
 * deleted ones lose their entry). Pass the transaction as `db`.
 */

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const batchSize = 500;

type DocInput = Omit<Insertable<SearchDocsTable>, 'id'> & { name: string; company: string | null };

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}

export function customerDoc(workspaceId: string, row: { id: string; name: string; phone: string | null; email: string | null; ownerId: string | null }): DocInput {
  return {
    workspaceId,
    entity: 'customer',
    recordId: row.id,
    customerId: row.id,
    ownerId: row.ownerId,
    name: foldText(row.name),
    company: null,
    phone: emptyToNull(phoneDigits(row.phone)),
    email: emptyToNull(foldText(row.email)),
  };
}

export function contactDoc(
  workspaceId: string,
  row: { id: string; customerId: string; name: string; phone: string | null; email: string | null; ownerId: string | null },
  customerName: string,
): DocInput {
  return {
    workspaceId,
    entity: 'contact',
    recordId: row.id,
    customerId: row.customerId,
    // Contacts are seen through their own owner (it mirrors the customer's) and the customer's collaborators.
    ownerId: row.ownerId,
    name: foldText(row.name),
    company: emptyToNull(foldText(customerName)),
    phone: emptyToNull(phoneDigits(row.phone)),
    email: emptyToNull(foldText(row.email)),
  };
}

const docFields = ['customerId', 'ownerId', 'name', 'company', 'phone', 'email'] as const;

/** Writes the docs that are new or changed (a reindex of unchanged records writes nothing). */
async function upsertDocs(db: Kysely<Database>, dialect: DialectName, docs: readonly DocInput[]): Promise<void> {
  for (const part of chunks(docs, batchSize)) {
    const stored = new Map<string, { customerId: string; ownerId: string | null; name: string; company: string | null; phone: string | null; email: string | null }>();
    for (const entity of ['customer', 'contact'] as const) {
      const ids = part.filter((d) => d.entity === entity).map((d) => d.recordId);
      if (ids.length > 0) {
        const rows = await db
          .selectFrom('searchDocs')
          .select(['recordId', ...docFields])
          .where('workspaceId', '=', part[0]?.workspaceId ?? '')
          .where('entity', '=', entity)
          .where('recordId', 'in', ids)
          .execute();
        for (const r of rows) {
          stored.set(`${entity}:${r.recordId}`, r);
        }
      }
    }
    const changed = part.filter((d) => {
      const old = stored.get(`${d.entity}:${d.recordId}`);
      return !old || docFields.some((f) => (old[f] ?? null) !== (d[f] ?? null));
    });
    if (changed.length === 0) {
      continue;
    }
    const gramsOf = (d: DocInput) => shortGrams(d.name, d.company ?? '');
    const written = await db
      .insertInto('searchDocs')
      .values(changed.map((d) => ({ ...d, ...searchGramsColumn(dialect, gramsOf(d)) })))
      .onConflict((oc) =>
        oc.columns(['workspaceId', 'entity', 'recordId']).doUpdateSet((eb) => ({
          customerId: eb.ref('excluded.customerId'),
          ownerId: eb.ref('excluded.ownerId'),
          name: eb.ref('excluded.name'),
          company: eb.ref('excluded.company'),
          phone: eb.ref('excluded.phone'),
          email: eb.ref('excluded.email'),
          ...searchGramsOnConflict(dialect),
        })),
      )
      .returning(['id', 'entity', 'recordId'])
      .execute();
    // The n-grams depend on name and company only.
    const byKey = new Map(changed.map((d) => [`${d.entity}:${d.recordId}`, d]));
    const grams = written.flatMap((w) => {
      const key = `${w.entity}:${w.recordId}`;
      const doc = byKey.get(key);
      const old = stored.get(key);
      if (!doc || (old && old.name === doc.name && old.company === (doc.company ?? null))) {
        return [];
      }
      return [{ id: Number(w.id), tokens: gramsOf(doc).map(gramToken) }];
    });
    await storeSearchGrams(db, dialect, grams);
  }
}

async function deleteDocs(db: Kysely<Database>, workspaceId: string, entity: 'customer' | 'contact', recordIds: readonly string[]): Promise<void> {
  for (const part of chunks(recordIds, batchSize)) {
    await db.deleteFrom('searchDocs').where('workspaceId', '=', workspaceId).where('entity', '=', entity).where('recordId', 'in', part).execute();
  }
}

/** Brings the entries of these customers and of all their contacts in step with the tables. */
export async function reindexCustomers(db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[]): Promise<void> {
  for (const part of chunks([...new Set(ids)], batchSize)) {
    const customers = await db
      .selectFrom('customers')
      .select(['id', 'name', 'phone', 'email', 'ownerId', 'deletedAt'])
      .where(workspaceFilter(dialect, 'workspaceId', workspaceId))
      .where('id', 'in', part)
      .execute();
    const live = new Map(customers.filter((c) => c.deletedAt === null).map((c) => [c.id, c]));
    const contacts = await db
      .selectFrom('contacts')
      .select(['id', 'customerId', 'name', 'phone', 'email', 'ownerId', 'deletedAt'])
      .where('workspaceId', '=', workspaceId)
      .where('customerId', 'in', part)
      .execute();
    const liveContacts = contacts.filter((c) => c.deletedAt === null && live.has(c.customerId));
    const docs: DocInput[] = [...live.values()].map((c) => customerDoc(workspaceId, c));
    for (const contact of liveContacts) {
      docs.push(contactDoc(workspaceId, contact, live.get(contact.customerId)?.name ?? ''));
    }
    await deleteDocs(
      db,
      workspaceId,
      'customer',
      part.filter((id) => !live.has(id)),
    );
    // Contact entries still filed under these customers that are no longer live contacts of them
    // (deleted, or moved to another customer and not re-filed yet).
    const keep = new Set(liveContacts.map((c) => c.id));
    const filed = await db
      .selectFrom('searchDocs')
      .select('recordId')
      .where('workspaceId', '=', workspaceId)
      .where('customerId', 'in', part)
      .where('entity', '=', 'contact')
      .execute();
    await deleteDocs(
      db,
      workspaceId,
      'contact',
      filed.map((f) => f.recordId).filter((id) => !keep.has(id)),
    );
    await upsertDocs(db, dialect, docs);
  }
}

/** Brings the entries of these contacts in step (a contact is indexed while it and its customer are live). */
export async function reindexContacts(db: Kysely<Database>, dialect: DialectName, workspaceId: string, ids: readonly string[]): Promise<void> {
  for (const part of chunks([...new Set(ids)], batchSize)) {
    const rows = await db
      .selectFrom('contacts as ct')
      .innerJoin('customers as c', 'c.id', 'ct.customerId')
      .select(['ct.id', 'ct.customerId', 'ct.name', 'ct.phone', 'ct.email', 'ct.ownerId', 'ct.deletedAt', 'c.name as customerName', 'c.deletedAt as customerDeletedAt'])
      .where(workspaceFilter(dialect, 'ct.workspaceId', workspaceId))
      .where('ct.id', 'in', part)
      .execute();
    const live = rows.filter((r) => r.deletedAt === null && r.customerDeletedAt === null);
    const liveIds = new Set(live.map((r) => r.id));
    await deleteDocs(
      db,
      workspaceId,
      'contact',
      part.filter((id) => !liveIds.has(id)),
    );
    await upsertDocs(
      db,
      dialect,
      live.map((r) => contactDoc(workspaceId, r, r.customerName)),
    );
  }
}

/** Rebuilds the whole index of one workspace, a batch of customers at a time. */
export async function reindexWorkspace(db: Kysely<Database>, dialect: DialectName, workspaceId: string, onProgress?: (done: number) => void): Promise<void> {
  let after = '';
  let done = 0;
  for (;;) {
    const ids = (
      await db
        .selectFrom('customers')
        .select('id')
        .where('workspaceId', '=', workspaceId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize * 4)
        .execute()
    ).map((r) => r.id);
    if (ids.length === 0) {
      return;
    }
    // Inside a caller's transaction (a migration on PostgreSQL) batches join it; otherwise each is its own.
    if (db.isTransaction) {
      await reindexCustomers(db, dialect, workspaceId, ids);
    } else {
      await db.transaction().execute((trx) => reindexCustomers(trx, dialect, workspaceId, ids));
    }
    done += ids.length;
    onProgress?.(done);
    after = ids.at(-1) ?? after;
  }
}

/** Rebuilds every workspace's index (the 0005 migration fills the index of existing data with it). */
export async function reindexAllWorkspaces(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  for (const w of await db.selectFrom('workspaces').select('id').execute()) {
    await reindexWorkspace(db, dialect, w.id);
  }
}
