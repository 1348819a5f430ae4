import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { FreshDoc } from './search.bulk';
import { contactDoc, customerDoc } from './search.docs';
import { gramToken, shortGrams } from './search.text';

/**
 * The bulk fill of one workspace's customer and contact docs (reindexWorkspace uses it when the
 * workspace has none yet: the 0005 migration, a bench generator, an operator after clearing).
 * Aimed at millions of docs: customers and contacts (with their customer's name) are read in
 * primary-key pages, merged in record id order, folded in JS, and written with large statements:
 *
 * - SQLite: docs in 500-row INSERTs with ids assigned here; the n-grams likewise into
 *   search_grams; the FTS5 trigram rows in one `INSERT … SELECT` at the end instead of through
 *   the per-row trigger (the trigger is dropped for the fill and recreated from its own SQL).
 * - PostgreSQL: 10 000 docs per `INSERT … SELECT FROM unnest(…)` (one array per column: one
 *   statement, no per-row parameters), the n-grams passed as one space-separated string per doc.
 *
 * With `rebuildIndexes` (the default when search_docs is empty, i.e. no other workspace's search
 * would be disturbed) the table's secondary indexes — and on PostgreSQL the GIN indexes — are
 * dropped for the load and created again after it, which is several times faster than keeping
 * them up to date row by row. SQLite, and PostgreSQL inside a caller's transaction: everything in
 * one transaction, so a failure leaves the table, its indexes and triggers as they were.
 * PostgreSQL with a pool: see fillPostgresInParallel.
 */
export interface FillOptions {
  onProgress?: (done: number) => void;
  /** Drop and recreate search_docs' secondary/GIN indexes around the load (default: when the table is empty). */
  rebuildIndexes?: boolean;
  /** Wall time of each stage (customers and contacts, fts5 trigram, index …), for benchmarks. */
  onStage?: (stage: string, ms: number) => void;
}

/** Records read per step. */
const readBatch = 10_000;
/** SQLite rows per INSERT (docs have 10 columns: 5 000 parameters). */
const sqliteRows = 500;

/** A fresh entry of the workspace being filled (its workspace id is the fill's). */
type Doc = Omit<FreshDoc, 'workspaceId'>;

type Writer = (docs: readonly Doc[]) => Promise<void>;
type Each = (docs: Doc[], read: number) => Promise<void>;

const insertSql = new Map<string, string>();
function rowsInsert(head: string, width: number, count: number): string {
  const key = `${head}|${count}`;
  let text = insertSql.get(key);
  if (text === undefined) {
    const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    text = `${head} values ${Array.from({ length: count }, () => row).join(', ')}`;
    insertSql.set(key, text);
  }
  return text;
}

function sqliteWriter(db: Kysely<Database>, workspaceId: string, firstId: number): { write: Writer; lastId: () => number } {
  let next = firstId;
  const write: Writer = async (docs) => {
    for (let start = 0; start < docs.length; start += sqliteRows) {
      const part = docs.slice(start, start + sqliteRows);
      const params: unknown[] = [];
      const grams: unknown[] = [];
      for (const d of part) {
        const id = next;
        next += 1;
        params.push(id, workspaceId, d.entity, d.recordId, d.customerId, d.ownerId, d.name, d.company, d.phone, d.email);
        const tokens = shortGrams(d.name, d.company ?? '');
        if (tokens.length > 0) {
          grams.push(id, tokens.map(gramToken).join(' '));
        }
      }
      await db.executeQuery(
        CompiledQuery.raw(rowsInsert('insert into search_docs (id, workspace_id, entity, record_id, customer_id, owner_id, name, company, phone, email)', 10, part.length), params),
      );
      if (grams.length > 0) {
        await db.executeQuery(CompiledQuery.raw(rowsInsert('insert into search_grams (rowid, grams)', 2, grams.length / 2), grams));
      }
    }
  };
  return { write, lastId: () => next - 1 };
}

function postgresWriter(db: Kysely<Database>, workspaceId: string): Writer {
  return async (docs) => {
    if (docs.length === 0) {
      return;
    }
    const col = (pick: (d: Doc) => string | null) => docs.map(pick);
    await sql`insert into search_docs (workspace_id, entity, record_id, customer_id, owner_id, name, company, phone, email, grams)
      select ${workspaceId}, t.en, t.r, t.c, t.o, t.n, t.co, t.p, t.e, case when t.g = '' then '{}'::text[] else string_to_array(t.g, ' ') end
      from unnest(${col((d) => d.entity)}::text[], ${col((d) => d.recordId)}::text[], ${col((d) => d.customerId)}::text[], ${col((d) => d.ownerId)}::text[], ${col((d) => d.name)}::text[],
        ${col((d) => d.company)}::text[], ${col((d) => d.phone)}::text[], ${col((d) => d.email)}::text[],
        ${col((d) => shortGrams(d.name, d.company ?? '').join(' '))}::text[]) as t(en, r, c, o, n, co, p, e, g)`.execute(db);
  };
}

/** The SQL of search_docs' indexes other than the primary key (to drop and recreate them). */
async function secondaryIndexes(db: Kysely<Database>, dialect: DialectName): Promise<{ name: string; ddl: string }[]> {
  if (dialect === 'postgres') {
    const rows = await sql<{ name: string; ddl: string }>`select i.indexname as name, i.indexdef as ddl from pg_indexes i
      where i.schemaname = current_schema() and i.tablename = 'search_docs'
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.contype = 'p')`.execute(db);
    return rows.rows;
  }
  const rows = await sql<{ name: string; ddl: string }>`select name, sql as ddl from sqlite_master
    where type = 'index' and tbl_name = 'search_docs' and sql is not null`.execute(db);
  return rows.rows;
}

interface Page {
  docs: Doc[];
  read: number;
  /** The last record id read (the next page starts after it); null when nothing was left. */
  last: string | null;
}
type PageReader = (db: Kysely<Database>, dialect: DialectName, workspaceId: string, after: string) => Promise<Page>;

const customerPage: PageReader = async (db, dialect, workspaceId, after) => {
  // SQLite: `+workspace_id` keeps the walk on the primary key (no statistics → it would pick a
  // workspace index and sort the whole workspace).
  const ws = dialect === 'sqlite' ? sql`+workspace_id` : sql`workspace_id`;
  const rows = await sql<{ id: string; name: string; phone: string | null; email: string | null; ownerId: string | null; deletedAt: string | null }>`
    select id, name, phone, email, owner_id, deleted_at from customers where id > ${after} and ${ws} = ${workspaceId} order by id limit ${readBatch}`.execute(db);
  return {
    docs: rows.rows.filter((r) => r.deletedAt === null).map((r) => customerDoc(workspaceId, r)),
    read: rows.rows.length,
    last: rows.rows.at(-1)?.id ?? null,
  };
};

const contactPage: PageReader = async (db, dialect, workspaceId, after) => {
  // SQLite: CROSS JOIN fixes the order (contacts walked by primary key, customers probed by
  // theirs); PostgreSQL reads it as an inner join and plans it freely.
  const ws = dialect === 'sqlite' ? sql`+ct.workspace_id` : sql`ct.workspace_id`;
  const rows = await sql<{
    id: string;
    customerId: string;
    name: string;
    phone: string | null;
    email: string | null;
    ownerId: string | null;
    deletedAt: string | null;
    customerName: string;
    customerDeletedAt: string | null;
  }>`select ct.id, ct.customer_id, ct.name, ct.phone, ct.email, ct.owner_id, ct.deleted_at, c.name as customer_name, c.deleted_at as customer_deleted_at
    from contacts ct cross join customers c where c.id = ct.customer_id and ct.id > ${after} and ${ws} = ${workspaceId} order by ct.id limit ${readBatch}`.execute(db);
  return {
    docs: rows.rows.filter((r) => r.deletedAt === null && r.customerDeletedAt === null).map((r) => contactDoc(workspaceId, r, r.customerName)),
    read: rows.rows.length,
    last: rows.rows.at(-1)?.id ?? null,
  };
};

/**
 * Customers and contacts merged in record id order (ids are time-ordered, UUIDv7), so doc ids
 * interleave the entities as incremental indexing would: a walk of one entity's docs or matches
 * newest first (FTS5 rowid order; PostgreSQL's primary key backwards) then meets the other
 * entity's docs spread out, not all of them first.
 */
async function streamMerged(db: Kysely<Database>, dialect: DialectName, workspaceId: string, each: Each): Promise<void> {
  const sources = [customerPage, contactPage].map((page) => ({ page, after: '', done: false, buffer: [] as Doc[], read: 0 }));
  for (;;) {
    for (const s of sources) {
      if (s.buffer.length === 0 && !s.done) {
        const next = await page(s, db, dialect, workspaceId);
        s.done = next.last === null;
        s.buffer = next.docs;
        s.read += next.read;
        s.after = next.last ?? s.after;
      }
    }
    const open = sources.filter((s) => !s.done);
    if (open.length === 0 && sources.every((s) => s.buffer.length === 0)) {
      return;
    }
    // Everything up to the smallest "read so far" of the sources still reading is final.
    const bound = open.length === 0 ? null : open.map((s) => s.after).reduce((a, b) => (a < b ? a : b));
    const out: Doc[] = [];
    for (const s of sources) {
      const cut = bound === null ? s.buffer.length : s.buffer.findIndex((d) => d.recordId > bound);
      const n = cut < 0 ? s.buffer.length : cut;
      out.push(...s.buffer.slice(0, n));
      s.buffer = s.buffer.slice(n);
    }
    out.sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
    const read = sources.reduce((sum, s) => sum + s.read, 0);
    sources.forEach((s) => (s.read = 0));
    await each(out, read);
  }
}

function page(s: { page: PageReader; after: string }, db: Kysely<Database>, dialect: DialectName, workspaceId: string): Promise<Page> {
  return s.page(db, dialect, workspaceId, s.after);
}

/** Builds indexes from their saved DDL two at a time, each on its own pooled connection (PostgreSQL). */
async function buildIndexesInParallel(db: Kysely<Database>, indexes: readonly { name: string; ddl: string }[], stage: (name: string) => void): Promise<void> {
  // GIN first: they take longest, so the two connections finish together.
  const queue = [...indexes].sort((a, b) => Number(/using gin/i.test(b.ddl)) - Number(/using gin/i.test(a.ddl)));
  const worker = async () => {
    for (let index = queue.shift(); index; index = queue.shift()) {
      const ddl = index.ddl.replace(/^create (unique )?index /i, (m) => `${m}if not exists `);
      await db.connection().execute(async (conn) => {
        await sql`set maintenance_work_mem = '512MB'`.execute(conn);
        try {
          await sql.raw(ddl).execute(conn);
        } finally {
          await sql`reset maintenance_work_mem`.execute(conn);
        }
      });
      stage(`index ${index.name}`);
    }
  };
  const results = await Promise.allSettled([worker(), worker()]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    throw failed.reason;
  }
}

function stageTimer(options: FillOptions): (name: string) => void {
  let since = performance.now();
  return (name) => {
    const now = performance.now();
    options.onStage?.(name, now - since);
    since = now;
  };
}

/** Writes each page through `write`, counting records read for onProgress. */
function pageWriter(write: Writer, options: FillOptions, counter: { done: number; docs: number }): Each {
  return async (docs, read) => {
    await write(docs);
    counter.docs += docs.length;
    counter.done += read;
    options.onProgress?.(counter.done);
  };
}

/** SQLite, or PostgreSQL inside a caller's transaction: everything in this one transaction. */
async function fillInTransaction(trx: Kysely<Database>, dialect: DialectName, workspaceId: string, options: FillOptions): Promise<number> {
  const stage = stageTimer(options);
  const indexes = (options.rebuildIndexes ?? (await tableEmpty(trx))) ? await secondaryIndexes(trx, dialect) : [];
  for (const index of indexes) {
    await sql`drop index ${sql.id(index.name)}`.execute(trx);
  }
  const counter = { done: 0, docs: 0 };
  if (dialect === 'sqlite') {
    const trigger = (await sql<{ ddl: string }>`select sql as ddl from sqlite_master where type = 'trigger' and name = 'search_docs_ai'`.execute(trx)).rows[0]?.ddl ?? null;
    if (trigger !== null) {
      await sql`drop trigger search_docs_ai`.execute(trx);
    }
    const top = await sql<{ id: number | null }>`select max(id) as id from search_docs`.execute(trx);
    const firstId = Number(top.rows[0]?.id ?? 0) + 1;
    const writer = sqliteWriter(trx, workspaceId, firstId);
    await streamMerged(trx, dialect, workspaceId, pageWriter(writer.write, options, counter));
    stage('customers and contacts');
    if (trigger !== null) {
      // The trigram rows of every doc written above in one pass (what the trigger does row by row).
      await sql`insert into search_fts(rowid, name, company, phone, email)
        select id, name, company, phone, email from search_docs where id between ${firstId} and ${writer.lastId()}`.execute(trx);
      await sql.raw(trigger).execute(trx);
      stage('fts5 trigram');
    }
  } else {
    await streamMerged(trx, dialect, workspaceId, pageWriter(postgresWriter(trx, workspaceId), options, counter));
    stage('customers and contacts');
    if (indexes.length > 0) {
      await sql`set local maintenance_work_mem = '512MB'`.execute(trx);
    }
  }
  for (const index of indexes) {
    await sql.raw(index.ddl).execute(trx);
    stage(`index ${index.name}`);
  }
  return counter.docs;
}

/**
 * PostgreSQL with a pool: the docs are loaded in one transaction (merged in record id order, so
 * doc ids interleave the entities as incremental indexing would: loaded in two blocks, the
 * planner's backward walk of the primary key for one entity's newest docs would first pass every
 * doc of the other), then the dropped indexes are built two at a time on two connections (a GIN
 * build is single-threaded on PostgreSQL 15; the two GIN indexes are most of the time). The docs
 * of an interrupted fill stay (the next reindexWorkspace compares and completes them); the indexes
 * are built whatever happened, and `create index if not exists` lets a repeated fill finish an
 * interrupted build.
 */
async function fillPostgresInParallel(db: Kysely<Database>, workspaceId: string, options: FillOptions): Promise<number> {
  const stage = stageTimer(options);
  const indexes = (options.rebuildIndexes ?? (await tableEmpty(db))) ? await secondaryIndexes(db, 'postgres') : [];
  for (const index of indexes) {
    await sql`drop index if exists ${sql.id(index.name)}`.execute(db);
  }
  const counter = { done: 0, docs: 0 };
  try {
    await db.transaction().execute((trx) => streamMerged(trx, 'postgres', workspaceId, pageWriter(postgresWriter(trx, workspaceId), options, counter)));
    stage('customers and contacts');
  } finally {
    await buildIndexesInParallel(db, indexes, stage);
  }
  await sql`analyze search_docs`.execute(db);
  stage('analyze');
  return counter.docs;
}

async function tableEmpty(db: Kysely<Database>): Promise<boolean> {
  return (await sql`select 1 from search_docs limit 1`.execute(db)).rows.length === 0;
}

/**
 * Writes the docs of every live customer and contact of a workspace that has none (see above).
 * Returns the number of docs written. Callers make sure the workspace has no customer or contact
 * docs (reindexWorkspace checks); other entities' docs are left alone.
 */
export async function fillWorkspaceIndex(db: Kysely<Database>, dialect: DialectName, workspaceId: string, options: FillOptions = {}): Promise<number> {
  if (db.isTransaction) {
    return fillInTransaction(db, dialect, workspaceId, options);
  }
  if (dialect === 'postgres') {
    return fillPostgresInParallel(db, workspaceId, options);
  }
  return db.transaction().execute((trx) => fillInTransaction(trx, dialect, workspaceId, options));
}
