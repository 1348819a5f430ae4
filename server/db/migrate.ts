import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from './migrations/index';
import type { Database } from './types';

/** Brings the schema up to date. Safe to run at every start-up and from several instances. */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    throw result.error instanceof Error ? result.error : new Error('migration failed', { cause: result.error });
  }
  return result;
}
