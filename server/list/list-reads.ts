import type { Kysely } from 'kysely';
import { longRead } from '../db/read-worker';
import type { Database } from '../db/types';
import type { Deps } from '../deps';
import type { ParsedList } from './list-spec';

/**
 * Where a list request's reads run.
 *
 * A count reads every matching row (capped, but up to the cap), and a `contains` filter cannot use
 * an index, so with one the page itself may read the whole table before it finds its rows (or finds
 * none). SQLite's driver is synchronous: on the main connection such a read holds the one event
 * loop, and every other request waits for it — the benchmark's case e1 measured point GETs at p99
 * 1.6 s while a `name[contains]` list with a count looped on 1M customers. These reads run as long
 * reads instead (server/db/read-worker.ts: a worker thread's own connection, same snapshot rules).
 * Other pages are index walks of a few milliseconds and stay on the main connection, where they
 * cost less than a round trip to a worker. On PostgreSQL both are `deps.db`.
 */
export function listReads(deps: Pick<Deps, 'db' | 'dialect'>, list: Pick<ParsedList, 'filters'>): { page: Kysely<Database>; count: Kysely<Database> } {
  const long = longRead(deps).db;
  return { page: scansRows(list) ? long : deps.db, count: long };
}

/** Whether a filter needs a scan rather than an index: a substring (`contains`) match. */
export function scansRows(list: Pick<ParsedList, 'filters'>): boolean {
  return list.filters.some((f) => f.op === 'contains');
}
