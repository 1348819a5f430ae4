import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../dialect';

/**
 * The public pool 公海 and the job scheduler.
 *
 * job_schedule_runs: one row per schedule occurrence (kind | workspace | period) with the job it
 * queued. Its primary key is what makes several app instances queue each occurrence exactly once
 * (an insert of a key that exists is skipped). The key embeds the workspace, so the index does not
 * start with workspace_id (system schedules have none).
 *
 * customers gain pool_id (the pool a customer without owner sits in, or the pool an owned one goes
 * back to), previous_owner_id + released_at (the previous-owner cool-down) and no other change.
 * Pool lists page (workspace_id, pool_id, owner_id null, released_at desc); the recycling job walks a
 * workspace's owned customers in id order in batches (customers_ws_id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('job_schedule_runs')
    .addColumn('unique_key', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // 1 for the workspace's default pool, null otherwise: the unique index allows one default.
    .addColumn('is_default', 'integer')
    // Every user of the workspace is a member (the default pool starts that way).
    .addColumn('all_users', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claim_daily_limit', 'integer')
    .addColumn('cooldown_days', 'integer')
    .addColumn('recycle_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('exempt_dealt', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('exempt_locked', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('warn_days', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('rules', t.json, (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('pools_ws_default').on('pools').columns(['workspace_id', 'is_default']).unique().execute();
  await db.schema.createIndex('pools_ws_sort').on('pools').columns(['workspace_id', 'sort', 'created_at']).execute();

  await db.schema
    .createTable('pool_members')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('pool_id', 'text', (c) => c.notNull().references('pools.id').onDelete('cascade'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('pool_members_pk', ['workspace_id', 'pool_id', 'subject_type', 'subject_id'])
    .execute();
  await db.schema.createIndex('pool_members_ws_subject').on('pool_members').columns(['workspace_id', 'subject_type', 'subject_id']).execute();

  // Claims per user per pool per (workspace-local) day; the quota check is a conditional increment.
  await db.schema
    .createTable('pool_claim_counts')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('pool_claim_counts_pk', ['workspace_id', 'pool_id', 'user_id', 'day'])
    .execute();

  await db.schema
    .createTable('ownership_limits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    // 'workspace' (everyone), 'department' (each member of it and its sub-departments) or 'user'.
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('max_owned', 'integer')
    .addColumn('exclude_dealt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_locked', 'integer')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ownership_limits_ws_subject').on('ownership_limits').columns(['workspace_id', 'subject_type', 'subject_id']).unique().execute();

  await db.schema
    .createTable('ownership_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    // claim | assign | release | recycle | transfer | create
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_user_id', 'text')
    .addColumn('to_user_id', 'text')
    .addColumn('pool_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('rule', 'text')
    .addColumn('actor_user_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ownership_changes_ws_customer').on('ownership_changes').columns(['workspace_id', 'customer_id', 'created_at']).execute();
  await db.schema.createIndex('ownership_changes_ws_created').on('ownership_changes').columns(['workspace_id', 'created_at', 'id']).execute();

  await db.schema
    .alterTable('customers')
    .addColumn('pool_id', 'text')
    .execute();
  await db.schema.alterTable('customers').addColumn('previous_owner_id', 'text').execute();
  await db.schema.alterTable('customers').addColumn('released_at', t.timestamp).execute();
  await db.schema.createIndex('customers_ws_pool').on('customers').columns(['workspace_id', 'owner_id', 'pool_id', 'released_at', 'id', 'deleted_at', 'level']).execute();
  await db.schema.createIndex('customers_ws_id').on('customers').columns(['workspace_id', 'id']).execute();
}

export async function down(): Promise<void> {
  // Forward-only.
}
