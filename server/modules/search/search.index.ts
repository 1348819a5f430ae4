import { type Kysely, sql } from 'kysely';
import { type DialectName, searchGramsColumn, searchGramsOnConflict, storeSearchGrams, workspaceFilter } from '../../db/dialect';
import type { Database } from '../../db/types';
import { insertFreshDocs } from './search.bulk';
import { contactDoc, customerDoc, type DocInput, emptyToNull } from './search.docs';
import { fillWorkspaceIndex } from './search.rebuild';
import { foldText, gramToken, phoneDigits, shortGrams } from './search.text';

export { contactDoc, customerDoc } from './search.docs';

/**
 * The search index writer. Every write path that changes a customer's or a contact's name, phone,
 * email, owner, customer or deleted state calls one of these **inside its own transaction**, so
 * search never disagrees with the tables:
 *
 * - `reindexCustomers(db, dialect, workspaceId, ids)` — customers and all their contacts
 *   (create, edit, delete, restore, transfer, merge, import of customers);
 * - `reindexContacts(db, dialect, workspaceId, ids)` — contacts on their own (create, edit,
 *   delete, restore, import of contacts);
 * - `reindexWorkspace(db, dialect, workspaceId)` — rebuilds a whole workspace: a workspace without
 *   docs is filled by the bulk path (search.rebuild.ts, ~tens of thousands of docs/s), one with docs
 *   is compared batch by batch (maintenance; `reindexAllWorkspaces` does every workspace, the 0005
 *   migration uses it);
 * - `indexNewCustomers(…)` — the bulk path for customers created in the same transaction (imports);
 * - `indexDocs` / `removeDocs` — any other entity (leads, …): see docs/search.md.
 *
 * They read the current rows, so they are idempotent and can be called with any ids (missing or
 * deleted ones lose their entry). Pass the transaction as `db`.
 */

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const batchSize = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

const docFields = ['customerId', 'ownerId', 'name', 'company', 'phone', 'email'] as const;

/** Writes the docs that are new or changed (a reindex of unchanged records writes nothing). */
async function upsertDocs(db: Kysely<Database>, dialect: DialectName, docs: readonly DocInput[]): Promise<void> {
  for (const part of chunks(docs, batchSize)) {
    const stored = new Map<string, { customerId: string; ownerId: string | null; name: string; company: string | null; phone: string | null; email: string | null }>();
    for (const entity of new Set(part.map((d) => d.entity))) {
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

/**
 * A record of any entity as search sees it, with its text as stored (folding happens here).
 * `customerId` ties a doc to a customer's collaborators (contacts); other entities leave it out
 * (it defaults to the record's own id, which no collaborator row names).
 */
export interface SearchDocInput {
  entity: string;
  recordId: string;
  customerId?: string;
  ownerId: string | null;
  name: string;
  /** A second name searched like the name (a contact's company, a lead's company). */
  company?: string | null;
  phone?: string | null;
  email?: string | null;
}

function docOf(workspaceId: string, d: SearchDocInput): DocInput {
  return {
    workspaceId,
    entity: d.entity,
    recordId: d.recordId,
    customerId: d.customerId ?? d.recordId,
    ownerId: d.ownerId,
    name: foldText(d.name),
    company: emptyToNull(foldText(d.company)),
    phone: emptyToNull(phoneDigits(d.phone)),
    email: emptyToNull(foldText(d.email)),
  };
}

/**
 * Indexes records of any entity (leads, products, …) — call it in the transaction that writes
 * them. Without `fresh` it upserts (unchanged docs are not rewritten); with `fresh: true` the
 * records must be new in this transaction (no doc yet) and are bulk-inserted without look-ups.
 */
export async function indexDocs(db: Kysely<Database>, dialect: DialectName, workspaceId: string, docs: readonly SearchDocInput[], options: { fresh?: boolean } = {}): Promise<void> {
  const rows = docs.map((d) => docOf(workspaceId, d));
  if (options.fresh) {
    await insertFreshDocs(db, dialect, rows);
  } else {
    await upsertDocs(db, dialect, rows);
  }
}

/** Removes records' docs (deleted, or no longer searchable); missing ones are ignored. */
export async function removeDocs(db: Kysely<Database>, workspaceId: string, entity: string, recordIds: readonly string[]): Promise<void> {
  await deleteDocs(db, workspaceId, entity, recordIds);
}

/** Index entries for customers created in this transaction (they have no contacts and no entries yet). */
export async function indexNewCustomers(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  rows: readonly { id: string | number | null; name: string | number | null; phone: string | number | null; email: string | number | null; ownerId: string | number | null }[],
): Promise<void> {
  const str = (v: string | number | null) => (v === null ? null : String(v));
  await insertFreshDocs(
    db,
    dialect,
    rows.map((r) => customerDoc(workspaceId, { id: String(r.id), name: String(r.name ?? ''), phone: str(r.phone), email: str(r.email), ownerId: str(r.ownerId) })),
  );
}

/** Index entries for contacts created in this transaction or since (no entry yet), with their customer's name. */
export async function indexNewContacts(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  rows: readonly { id: string; customerId: string; name: string; phone: string | null; email: string | null; ownerId: string | null; customerName: string }[],
): Promise<void> {
  await insertFreshDocs(
    db,
    dialect,
    rows.map((r) => contactDoc(workspaceId, r, r.customerName)),
  );
}

async function deleteDocs(db: Kysely<Database>, workspaceId: string, entity: string, recordIds: readonly string[]): Promise<void> {
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

/** Records per rebuild batch (each its own transaction unless the caller holds one). */
const rebuildBatch = 5_000;

/**
 * Brings the docs of a batch of live records of one entity in step: records without a doc are
 * bulk-inserted (no upsert, no read-back), changed ones upserted, unchanged ones left alone.
 */
async function syncDocs(db: Kysely<Database>, dialect: DialectName, workspaceId: string, entity: string, docs: readonly DocInput[]): Promise<void> {
  const known = new Set<string>();
  for (const part of chunks(docs, 1000)) {
    const rows = await db
      .selectFrom('searchDocs')
      .select('recordId')
      .where('workspaceId', '=', workspaceId)
      .where('entity', '=', entity)
      .where(
        'recordId',
        'in',
        part.map((d) => d.recordId),
      )
      .execute();
    rows.forEach((r) => known.add(r.recordId));
  }
  await insertFreshDocs(
    db,
    dialect,
    docs.filter((d) => !known.has(d.recordId)),
  );
  await upsertDocs(
    db,
    dialect,
    docs.filter((d) => known.has(d.recordId)),
  );
}

/**
 * Rebuilds the whole index of one workspace. Without any customer or contact docs yet it is filled
 * by the bulk path (fillWorkspaceIndex, search.rebuild.ts). Otherwise live customers, then live
 * contacts of live customers, are each walked in id order in batches (new docs are multi-row
 * inserts; existing ones are compared and only rewritten when changed), then one statement per entity removes docs whose
 * record is gone or binned. `onProgress` gets the number of records done.
 */
export async function reindexWorkspace(db: Kysely<Database>, dialect: DialectName, workspaceId: string, onProgress?: (done: number) => void): Promise<void> {
  const indexed = await db.selectFrom('searchDocs').select('id').where('workspaceId', '=', workspaceId).where('entity', 'in', ['customer', 'contact']).limit(1).execute();
  if (indexed.length === 0) {
    // Nothing to compare with (first fill, bench data, after clearing): the bulk path.
    await fillWorkspaceIndex(db, dialect, workspaceId, onProgress ? { onProgress } : {});
    return;
  }
  // Inside a caller's transaction (a migration on PostgreSQL) batches join it; otherwise each is its own.
  const inTransaction = (work: (trx: Kysely<Database>) => Promise<void>) => (db.isTransaction ? work(db) : db.transaction().execute(work));
  let done = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'name', 'phone', 'email', 'ownerId'])
      .where('workspaceId', '=', workspaceId)
      .where('deletedAt', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(rebuildBatch)
      .execute();
    if (rows.length === 0) {
      break;
    }
    await inTransaction((trx) =>
      syncDocs(
        trx,
        dialect,
        workspaceId,
        'customer',
        rows.map((r) => customerDoc(workspaceId, r)),
      ),
    );
    done += rows.length;
    onProgress?.(done);
    after = rows.at(-1)?.id ?? after;
  }
  after = '';
  for (;;) {
    const rows = await db
      .selectFrom('contacts as ct')
      .innerJoin('customers as c', 'c.id', 'ct.customerId')
      .select(['ct.id', 'ct.customerId', 'ct.name', 'ct.phone', 'ct.email', 'ct.ownerId', 'c.name as customerName', 'c.deletedAt as customerDeletedAt'])
      .where('ct.workspaceId', '=', workspaceId)
      .where('ct.deletedAt', 'is', null)
      .where('ct.id', '>', after)
      .orderBy('ct.id')
      .limit(rebuildBatch)
      .execute();
    if (rows.length === 0) {
      break;
    }
    const live = rows.filter((r) => r.customerDeletedAt === null);
    await inTransaction((trx) =>
      syncDocs(
        trx,
        dialect,
        workspaceId,
        'contact',
        live.map((r) => contactDoc(workspaceId, r, r.customerName)),
      ),
    );
    done += rows.length;
    onProgress?.(done);
    after = rows.at(-1)?.id ?? after;
  }
  // Docs of records that are gone, binned, or (contacts) whose customer is binned.
  await inTransaction(async (trx) => {
    await sql`delete from search_docs where workspace_id = ${workspaceId} and entity = 'customer' and not exists
      (select 1 from customers c where c.id = search_docs.record_id and c.workspace_id = ${workspaceId} and c.deleted_at is null)`.execute(trx);
    await sql`delete from search_docs where workspace_id = ${workspaceId} and entity = 'contact' and not exists
      (select 1 from contacts ct join customers c on c.id = ct.customer_id where ct.id = search_docs.record_id
        and ct.workspace_id = ${workspaceId} and ct.deleted_at is null and c.deleted_at is null)`.execute(trx);
  });
}

/** Rebuilds every workspace's index (the 0005 migration fills the index of existing data with it). */
export async function reindexAllWorkspaces(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  for (const w of await db.selectFrom('workspaces').select('id').execute()) {
    await reindexWorkspace(db, dialect, w.id);
  }
}
