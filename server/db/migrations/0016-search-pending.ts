import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect';

/**
 * Deals in global search, kept in step by the database itself.
 *
 * search_pending is an outbox of records whose search doc may be stale: triggers on deals (insert,
 * delete, and updates of what the doc holds — name, customer, owner, deleted state) and on a
 * customer's rename (a deal's doc carries its customer's name) add a row in the writer's own
 * transaction, so no write path can forget it. Global search drains a workspace's rows before
 * answering (server/modules/search/search.pending.ts): it re-reads those records and rewrites or
 * removes their docs. Rows are deleted by their `seq`, so a write that lands while a drain runs
 * leaves its own row behind and is picked up by the next one.
 *
 * Existing deals are queued here and indexed by the first drain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);
  let table = db.schema.createTable('search_pending');
  table =
    dialect === 'postgres'
      ? table.addColumn('seq', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : table.addColumn('seq', 'integer', (c) => c.primaryKey());
  await table
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_pending_ws').on('search_pending').columns(['workspace_id', 'entity', 'seq']).execute();

  if (dialect === 'postgres') {
    await sql`create function search_pending_deal() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          insert into search_pending(workspace_id, entity, record_id) values (old.workspace_id, 'deal', old.id);
          return old;
        end if;
        insert into search_pending(workspace_id, entity, record_id) values (new.workspace_id, 'deal', new.id);
        return new;
      end $$`.execute(db);
    await sql`create trigger deals_search_ai after insert or delete on deals for each row execute function search_pending_deal()`.execute(db);
    await sql`create trigger deals_search_au after update of name, customer_id, owner_id, deleted_at on deals for each row
      when (old.name is distinct from new.name or old.customer_id is distinct from new.customer_id
        or old.owner_id is distinct from new.owner_id or old.deleted_at is distinct from new.deleted_at)
      execute function search_pending_deal()`.execute(db);
    await sql`create function search_pending_customer_deals() returns trigger language plpgsql as $$
      begin
        insert into search_pending(workspace_id, entity, record_id)
          select d.workspace_id, 'deal', d.id from deals d where d.workspace_id = new.workspace_id and d.customer_id = new.id and d.deleted_at is null;
        return new;
      end $$`.execute(db);
    await sql`create trigger customers_search_deals_au after update of name on customers for each row
      when (old.name is distinct from new.name) execute function search_pending_customer_deals()`.execute(db);
  } else {
    await sql`create trigger deals_search_ai after insert on deals begin
      insert into search_pending(workspace_id, entity, record_id) values (new.workspace_id, 'deal', new.id);
    end`.execute(db);
    await sql`create trigger deals_search_ad after delete on deals begin
      insert into search_pending(workspace_id, entity, record_id) values (old.workspace_id, 'deal', old.id);
    end`.execute(db);
    await sql`create trigger deals_search_au after update of name, customer_id, owner_id, deleted_at on deals
      when old.name is not new.name or old.customer_id is not new.customer_id or old.owner_id is not new.owner_id or old.deleted_at is not new.deleted_at begin
      insert into search_pending(workspace_id, entity, record_id) values (new.workspace_id, 'deal', new.id);
    end`.execute(db);
    await sql`create trigger customers_search_deals_au after update of name on customers when old.name is not new.name begin
      insert into search_pending(workspace_id, entity, record_id)
        select d.workspace_id, 'deal', d.id from deals d where d.workspace_id = new.workspace_id and d.customer_id = new.id and d.deleted_at is null;
    end`.execute(db);
  }

  await sql`insert into search_pending(workspace_id, entity, record_id) select workspace_id, 'deal', id from deals where deleted_at is null order by workspace_id, id`.execute(db);
}

export async function down(): Promise<void> {
  // Forward-only.
}
