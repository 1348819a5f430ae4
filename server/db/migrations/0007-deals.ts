import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../dialect';

/**
 * Products (with categories), pipelines 商机组 with ordered stages, deals 商机 with product lines
 * and a stage history (entered_at / left_at per stage, so conversion and cycle time can be
 * computed). Column names of deals and products are relied on by leads, public pool and contracts.
 *
 * Kanban: a column page is `stage_id = ? and status = 'open'` newest first; the scope and recycle
 * bin checks run on the index entry (owner_id, deleted_at carried after the sort key), so a page of
 * 20 reads ~20 rows. Column counts and sums come from deals_ws_pipeline_open without touching rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('product_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('product_categories_ws_sort').on('product_categories').columns(['workspace_id', 'sort', 'name']).execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('unit', 'text')
    .addColumn('price_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('category_id', 'text', (c) => c.references('product_categories.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('description', 'text')
    .addColumn('custom', t.json)
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  for (const column of ['created_at', 'updated_at', 'name', 'price_cents']) {
    await db.schema.createIndex(`products_ws_${column}`).on('products').columns(['workspace_id', column, 'id', 'deleted_at', 'active']).execute();
  }
  await db.schema.createIndex('products_ws_code').on('products').columns(['workspace_id', 'code']).execute();
  await db.schema.createIndex('products_ws_category').on('products').columns(['workspace_id', 'category_id', 'name', 'id']).execute();

  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    // 'default' for the pipeline seeded on first use: a unique key makes concurrent seeding idempotent.
    .addColumn('seed_key', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('pipelines_ws_sort').on('pipelines').columns(['workspace_id', 'sort', 'created_at']).execute();
  await db.schema.createIndex('pipelines_ws_seed').on('pipelines').columns(['workspace_id', 'seed_key']).unique().execute();

  await db.schema
    .createTable('pipeline_stages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** 0–100 */
    .addColumn('win_probability', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .execute();
  await db.schema.createIndex('pipeline_stages_ws_pipeline').on('pipeline_stages').columns(['workspace_id', 'pipeline_id', 'sort']).execute();

  await db.schema
    .createTable('deals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    // A customer deleted for good (recycle bin purge) takes its deals, their lines and history along.
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('contact_id', 'text')
    .addColumn('lead_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id'))
    .addColumn('stage_id', 'text', (c) => c.notNull().references('pipeline_stages.id'))
    .addColumn('amount_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    /** YYYY-MM-DD */
    .addColumn('expected_close_date', 'text')
    /** open | won | lost | invalid */
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('lost_reason', 'text')
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    .addColumn('source', 'text')
    .addColumn('remark', 'text')
    .addColumn('stage_entered_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_followup_at', t.timestamp)
    .addColumn('next_followup_at', t.timestamp)
    .addColumn('custom', t.json)
    .addColumn('closed_at', t.timestamp)
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addColumn('deleted_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Kanban column page and "more of this column".
  await db.schema.createIndex('deals_ws_stage_board').on('deals').columns(['workspace_id', 'stage_id', 'status', 'created_at', 'id', 'owner_id', 'deleted_at']).execute();
  // Column counts and sums of a pipeline, answered from the index alone.
  await db.schema.createIndex('deals_ws_pipeline_open').on('deals').columns(['workspace_id', 'pipeline_id', 'status', 'stage_id', 'amount_cents', 'owner_id', 'deleted_at']).execute();
  // List keyset pages (sort column, id), scope and bin checks on the index entry.
  for (const column of ['created_at', 'updated_at', 'expected_close_date', 'amount_cents', 'closed_at', 'name']) {
    await db.schema.createIndex(`deals_ws_${column}`).on('deals').columns(['workspace_id', column, 'id', 'owner_id', 'deleted_at', 'status']).execute();
  }
  await db.schema.createIndex('deals_ws_customer').on('deals').columns(['workspace_id', 'customer_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('deals_ws_owner').on('deals').columns(['workspace_id', 'owner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('deals_ws_lead').on('deals').columns(['workspace_id', 'lead_id']).execute();
  await db.schema.createIndex('deals_ws_status_closed').on('deals').columns(['workspace_id', 'status', 'closed_at']).execute();

  await db.schema
    .createTable('deal_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('deal_id', 'text', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.references('products.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('price_cents', 'bigint', (c) => c.notNull())
    /** Up to 3 decimals (1.5 kg). */
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    /** Percent off, 0–100, up to 2 decimals. */
    .addColumn('discount_percent', 'double precision', (c) => c.notNull().defaultTo(0))
    /** round(price × quantity × (100 − discount) / 100) */
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deal_lines_ws_deal').on('deal_lines').columns(['workspace_id', 'deal_id', 'sort']).execute();
  await db.schema.createIndex('deal_lines_ws_product').on('deal_lines').columns(['workspace_id', 'product_id']).execute();

  await db.schema
    .createTable('deal_stage_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('deal_id', 'text', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('stage_id', 'text', (c) => c.notNull())
    .addColumn('entered_at', t.timestamp, (c) => c.notNull())
    .addColumn('left_at', t.timestamp)
    /** How the deal left the stage: moved | won | lost | invalid | pipeline (null while still in it). */
    .addColumn('exit_kind', 'text')
    .addColumn('actor_user_id', 'text')
    .execute();
  await db.schema.createIndex('deal_stage_history_ws_deal').on('deal_stage_history').columns(['workspace_id', 'deal_id', 'entered_at']).execute();
  await db.schema.createIndex('deal_stage_history_ws_stage').on('deal_stage_history').columns(['workspace_id', 'stage_id', 'entered_at']).execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
