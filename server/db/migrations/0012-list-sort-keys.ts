import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect';

/**
 * Authorisation version per workspace, for the permission cache (server/modules/permissions/
 * authz-cache.ts). Triggers bump it on every change to what permissions, data scopes and custom
 * field definitions are computed from, inside the writing transaction: a cached entry is only
 * used while the version it was computed at is still current, so a change is seen by the next
 * request on every app instance, whichever code path wrote it.
 *
 * Users: only the columns the org graph and sign-in read (department, manager, status), so a
 * login timestamp or language change does not empty the cache.
 *
 * On PostgreSQL the bump locks the workspace's one version row until the writing transaction
 * ends: writes to these tables serialise per workspace (they are rare admin edits). Do not, inside
 * an open transaction that wrote one of them, write another through a different connection —
 * it would wait for the row the first one holds.
 */
const watched: readonly { table: string; updateOf?: readonly string[] }[] = [
  { table: 'roles' },
  { table: 'role_permissions' },
  { table: 'role_field_rules' },
  { table: 'user_roles' },
  { table: 'users', updateOf: ['department_id', 'manager_id', 'status'] },
  { table: 'departments' },
  { table: 'custom_fields' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);
  await db.schema
    .createTable('authz_versions')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  if (dialect === 'postgres') {
    await sql`CREATE FUNCTION authz_version_bump() RETURNS trigger AS $$
      DECLARE ws text;
      BEGIN
        IF TG_OP = 'DELETE' THEN ws := OLD.workspace_id; ELSE ws := NEW.workspace_id; END IF;
        INSERT INTO authz_versions (workspace_id, version) VALUES (ws, 1)
          ON CONFLICT (workspace_id) DO UPDATE SET version = authz_versions.version + 1;
        IF TG_OP = 'UPDATE' AND OLD.workspace_id IS DISTINCT FROM NEW.workspace_id THEN
          INSERT INTO authz_versions (workspace_id, version) VALUES (OLD.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET version = authz_versions.version + 1;
        END IF;
        RETURN NULL;
      END; $$ LANGUAGE plpgsql`.execute(db);
    for (const { table, updateOf } of watched) {
      const events = updateOf ? sql.raw(`INSERT OR DELETE OR UPDATE OF ${updateOf.join(', ')}`) : sql.raw('INSERT OR DELETE OR UPDATE');
      await sql`CREATE TRIGGER ${sql.id(`${table}_authz_bump`)} AFTER ${events} ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION authz_version_bump()`.execute(db);
    }
    return;
  }
  const bump = (ref: 'new' | 'old') =>
    sql.raw(`INSERT INTO authz_versions (workspace_id, version) VALUES (${ref}.workspace_id, 1)
      ON CONFLICT (workspace_id) DO UPDATE SET version = version + 1;`);
  for (const { table, updateOf } of watched) {
    const update = updateOf ? sql.raw(`UPDATE OF ${updateOf.join(', ')}`) : sql.raw('UPDATE');
    await sql`CREATE TRIGGER ${sql.id(`${table}_authz_bump_insert`)} AFTER INSERT ON ${sql.table(table)} BEGIN ${bump('new')} END`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_authz_bump_delete`)} AFTER DELETE ON ${sql.table(table)} BEGIN ${bump('old')} END`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_authz_bump_update`)} AFTER ${update} ON ${sql.table(table)} BEGIN ${bump('new')} END`.execute(db);
  }
}

export async function down(): Promise<void> {
  // Forward-only.
}
