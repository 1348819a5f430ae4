import type { Kysely } from 'kysely';

/**
 * A `version` on the remaining records a client edits with PATCH, so `If-Match: <version>` can
 * answer 412 there too (docs/api.md "Writes"; server/http/if-match-routes.test.ts walks every
 * PATCH route): follow-ups (on customers, contacts and leads — one table), tags, saved views,
 * departments and the workspace itself. Existing rows start at 1, as new ones do.
 *
 * NOT NULL with a constant default is a catalogue-only change on both databases (SQLite's ADD
 * COLUMN, PostgreSQL ≥ 11's fast default): no table is rewritten, however many follow-ups it holds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['follow_ups', 'tags', 'saved_views', 'departments', 'workspaces']) {
    await db.schema.alterTable(table).addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  }
}

export async function down(): Promise<void> {
  // Forward-only.
}
