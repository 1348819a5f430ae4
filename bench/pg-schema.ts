import pg from 'pg';

/** Drops a benchmark's PostgreSQL schema (and all its data) and makes it again, empty. */
export async function recreatePgSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
    await client.query(`create schema ${pg.escapeIdentifier(schema)}`);
  } finally {
    await client.end();
  }
}
