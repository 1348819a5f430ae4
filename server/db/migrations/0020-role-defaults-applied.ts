import { type Kysely, type QueryExecutorProvider, sql } from 'kysely';

/**
 * role_defaults_applied: which (entity, action) pairs of the permission catalog a workspace's
 * seeded roles have already been given their defaults for (setup/seed-roles.ts
 * syncSeededRoleGrants). An action added by a later release reaches existing workspaces once, and a
 * default grant an admin has since taken away is never put back.
 *
 * Existing workspaces: every pair some role of theirs already holds counts as applied (the admin
 * role holds the whole catalog, synced at each start). payment:export came before this table, so
 * sales reps and managers who may view payments get it here, at their view scope — the defaults a
 * new workspace gives them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('role_defaults_applied')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_defaults_applied_pk', ['workspace_id', 'entity', 'action'])
    .execute();
  await grantPaymentExport(db);
  await sql`insert into role_defaults_applied (workspace_id, entity, action)
    select distinct workspace_id, entity, action from role_permissions`.execute(db);
}

/** Exported for its test (which limits it to its own workspace): sales / sales_manager roles that view payments and cannot export them. */
export async function grantPaymentExport(db: QueryExecutorProvider, workspaceId?: string): Promise<void> {
  const only = workspaceId === undefined ? sql`` : sql`and v.workspace_id = ${workspaceId}`;
  await sql`insert into role_permissions (workspace_id, role_id, entity, action, scope)
    select v.workspace_id, v.role_id, 'payment', 'export', v.scope
    from role_permissions v
    join roles r on r.id = v.role_id and r.workspace_id = v.workspace_id
    where v.entity = 'payment' and v.action = 'view' and r.key in ('sales', 'sales_manager')
      ${only}
      and not exists (select 1 from role_permissions e where e.role_id = v.role_id and e.entity = 'payment' and e.action = 'export')`.execute(db);
}

export async function down(): Promise<void> {
  // Forward-only.
}
