import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect';

/**
 * Global search, duplicate reports and merge.
 *
 * search_docs holds one row per live customer and contact with its searchable text already
 * folded (see server/modules/search/search.text.ts) plus what visibility needs (owner, customer).
 * Substrings of 3+ characters are found through a trigram index (SQLite: FTS5 trigram over
 * search_docs as external content, kept in step by triggers; PostgreSQL: pg_trgm GIN). Shorter
 * queries (张, 张三) cannot use trigrams, so the 1–2 character n-grams of names are indexed as well
 * (SQLite: a contentless FTS5 table of opaque tokens; PostgreSQL: a GIN-indexed text[] column).
 * The rows are written by server/modules/search/search.index.ts on every write path and are
 * back-filled here for existing data by the first start after this migration (see the indexer's
 * `reindexWorkspace`, called from the migration below).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);

  // A merged customer remembers where it went (the recycle bin shows it, restore refuses it).
  await db.schema.alterTable('customers').addColumn('merged_into', 'text').execute();

  let table = db.schema.createTable('search_docs');
  table =
    dialect === 'postgres'
      ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : table.addColumn('id', 'integer', (c) => c.primaryKey());
  table = table
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text');
  if (dialect === 'postgres') {
    table = table.addColumn('grams', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`));
  }
  await table.execute();
  await db.schema.createIndex('search_docs_ws_record').on('search_docs').columns(['workspace_id', 'entity', 'record_id']).unique().execute();
  // Newest first within a workspace, and the records of a set of owners (narrow data scopes).
  await db.schema.createIndex('search_docs_ws_entity_id').on('search_docs').columns(['workspace_id', 'entity', 'id']).execute();
  await db.schema.createIndex('search_docs_ws_owner').on('search_docs').columns(['workspace_id', 'entity', 'owner_id', 'id']).execute();
  await db.schema.createIndex('search_docs_ws_customer').on('search_docs').columns(['workspace_id', 'entity', 'customer_id']).execute();

  if (dialect === 'postgres') {
    // One database-wide extension: concurrent migrations of several schemas (tests, tenants)
    // must not race to create it, and it must not live in a schema that may be dropped.
    await sql`select pg_advisory_xact_lock(4829301)`.execute(db);
    const publicSchema = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = 'public'`.execute(db);
    if ((publicSchema.rows[0]?.n ?? 0) > 0) {
      await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    } else {
      await sql`create extension if not exists pg_trgm`.execute(db);
    }
    const ext = await sql<{ schema: string }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db);
    const opclass = sql`${sql.id(ext.rows[0]?.schema ?? 'public')}.gin_trgm_ops`;
    await sql`create index search_docs_trgm on search_docs using gin (name ${opclass}, company ${opclass}, phone ${opclass}, email ${opclass})`.execute(db);
    await sql`create index search_docs_grams on search_docs using gin (grams)`.execute(db);
  } else {
    await sql`create virtual table search_fts using fts5(name, company, phone, email, content='search_docs', content_rowid='id', tokenize='trigram')`.execute(db);
    await sql`create virtual table search_grams using fts5(grams, content='', contentless_delete=1, detail=none, tokenize='ascii')`.execute(db);
    await sql`create trigger search_docs_ai after insert on search_docs begin
      insert into search_fts(rowid, name, company, phone, email) values (new.id, new.name, new.company, new.phone, new.email);
    end`.execute(db);
    await sql`create trigger search_docs_ad after delete on search_docs begin
      insert into search_fts(search_fts, rowid, name, company, phone, email) values ('delete', old.id, old.name, old.company, old.phone, old.email);
      delete from search_grams where rowid = old.id;
    end`.execute(db);
    await sql`create trigger search_docs_au after update of name, company, phone, email on search_docs
      when old.name is not new.name or old.company is not new.company or old.phone is not new.phone or old.email is not new.email begin
      insert into search_fts(search_fts, rowid, name, company, phone, email) values ('delete', old.id, old.name, old.company, old.phone, old.email);
      insert into search_fts(rowid, name, company, phone, email) values (new.id, new.name, new.company, new.phone, new.email);
    end`.execute(db);
  }

  // Duplicate report: GROUP BY key HAVING count > 1 over live customers, index-only and per owner
  // for narrower edit scopes.
  for (const key of ['name_key', 'phone_key', 'email_key']) {
    await db.schema
      .createIndex(`customers_dup_${key}`)
      .on('customers')
      .columns(['workspace_id', key, 'owner_id'])
      .where(sql.ref('deleted_at'), 'is', null)
      .execute();
  }

  const { reindexAllWorkspaces } = await import('../../modules/search/search.index');
  await reindexAllWorkspaces(db, dialect);
}

export async function down(): Promise<void> {
  // Forward-only.
}
