import { type Kysely, sql } from 'kysely';
import { customFieldRef, customFieldValue, type DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import { AppError, type FieldError } from '../../http/app-error';
import { customizableTable } from './custom-fields.tables';

/**
 * Unique custom values. Uniqueness is the app's: a write checks the value, and on PostgreSQL
 * first locks it (an advisory lock held to the end of its transaction), so a second writer of the
 * same value waits for the first to commit and then sees its row. SQLite needs no lock: its one
 * connection runs one transaction at a time.
 */

/** A unique custom value a write is about to store. */
export interface UniqueClaim {
  key: string;
  value: string | number | boolean;
}

/**
 * Locks are per field and bucket of values, not per value: an import batch claims thousands of
 * values, and one lock each would take that many entries of PostgreSQL's shared lock table
 * (sized for 64 per connection) — two imports at once could run it out. Two writers of different
 * values in one bucket merely wait for each other.
 */
export const uniqueLockBuckets = 256;

function bucketOf(value: string | number | boolean): number {
  // FNV-1a over the value's JSON: stable across processes, so every writer picks the same lock.
  const text = JSON.stringify(value);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % uniqueLockBuckets;
}

/**
 * PostgreSQL: locks, until the transaction ends, every value the write is about to store. All of
 * them before any check and in one order (field key, then bucket) for every writer, so writers
 * of overlapping values — two imports of one file in opposite orders, an import and a form —
 * queue instead of deadlocking.
 */
export async function lockUniqueValues(db: Kysely<Database>, dialect: DialectName, workspaceId: string, entity: string, claims: readonly UniqueClaim[]): Promise<void> {
  if (dialect !== 'postgres' || claims.length === 0) {
    return;
  }
  const locks = new Map<string, { key: string; bucket: number }>();
  for (const claim of claims) {
    const bucket = bucketOf(claim.value);
    locks.set(`${claim.key}\u0000${bucket}`, { key: claim.key, bucket });
  }
  const ordered = [...locks.values()].sort((a, b) => (a.key === b.key ? a.bucket - b.bucket : a.key < b.key ? -1 : 1));
  for (const lock of ordered) {
    await sql`select pg_advisory_xact_lock(hashtext(${`unique|${workspaceId}|${entity}|${lock.key}`}), ${lock.bucket})`.execute(db);
  }
}

/** Whether another live record of the workspace already holds the value. */
export async function customValueTaken(
  deps: { db: Kysely<Database>; dialect: DialectName },
  workspaceId: string,
  entity: string,
  key: string,
  value: string | number | boolean,
  exceptId: string | null,
): Promise<boolean> {
  const holders = await uniqueValueHolders(deps, workspaceId, entity, key, [value]);
  return (holders.get(JSON.stringify(value)) ?? []).some((id) => id !== exceptId);
}

const holdersChunk = 500;

/**
 * The live records holding any of `values` in field `key`, by the value's JSON: one query per
 * 500 values through the field's expression index (an import batch asks for 2 000 at once).
 */
export async function uniqueValueHolders(
  deps: { db: Kysely<Database>; dialect: DialectName },
  workspaceId: string,
  entity: string,
  key: string,
  values: readonly (string | number | boolean)[],
): Promise<Map<string, string[]>> {
  const holders = new Map<string, string[]>();
  const table = customizableTable(entity);
  if (!table) {
    return holders;
  }
  const ref = customFieldRef(deps.dialect, 'custom', key);
  for (let i = 0; i < values.length; i += holdersChunk) {
    const chunk = values.slice(i, i + holdersChunk);
    // What the database answers for each asked value: PostgreSQL's jsonb comes back parsed,
    // SQLite's json_extract answers the SQL value (1/0 for a boolean).
    const asked = new Map(chunk.map((v) => [deps.dialect === 'sqlite' && typeof v === 'boolean' ? Number(v) : v, JSON.stringify(v)]));
    const list = sql.join(chunk.map((v) => customFieldValue(deps.dialect, v)));
    const rows = await sql<{ id: string; value: string | number | boolean }>`select id, ${ref} as value from ${sql.table(table)}
      where workspace_id = ${workspaceId} and deleted_at is null and ${ref} in (${list})`.execute(deps.db);
    for (const row of rows.rows) {
      const token = asked.get(row.value);
      if (token !== undefined) {
        holders.set(token, [...(holders.get(token) ?? []), row.id]);
      }
    }
  }
  return holders;
}

/**
 * The write's unique values, checked again inside its transaction just before it stores them:
 * checkCustomValues runs before the transaction, so two writes of one value (a double submit, two
 * users at once) could both pass it. The values are locked first (lockUniqueValues), then
 * checked; a value taken meanwhile is the same 409 conflict on `cf.<key>` and the transaction
 * rolls back.
 */
export async function claimUniqueValues(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  target: { entity: string; noun: string },
  claims: readonly UniqueClaim[],
  exceptId: string | null,
): Promise<void> {
  await lockUniqueValues(db, dialect, workspaceId, target.entity, claims);
  const conflicts: FieldError[] = [];
  for (const claim of claims) {
    if (await customValueTaken({ db, dialect }, workspaceId, target.entity, claim.key, claim.value, exceptId)) {
      conflicts.push({ path: `cf.${claim.key}`, message: `already used by another ${target.noun}` });
    }
  }
  if (conflicts.length > 0) {
    throw new AppError('conflict', { errors: conflicts });
  }
}

/**
 * Values of field `key` held by more than one live record (the first `limit`, most held first):
 * a field cannot become unique while any are. One pass over the field's expression index.
 */
export async function sharedValues(
  deps: { db: Kysely<Database>; dialect: DialectName },
  workspaceId: string,
  entity: string,
  key: string,
  limit: number,
): Promise<{ value: unknown; holders: number }[]> {
  const table = customizableTable(entity);
  if (!table) {
    return [];
  }
  const ref = customFieldRef(deps.dialect, 'custom', key);
  const rows = await sql<{ value: unknown; holders: number | string }>`select ${ref} as value, count(*) as holders from ${sql.table(table)}
    where workspace_id = ${workspaceId} and deleted_at is null and ${ref} is not null
    group by ${ref} having count(*) > 1 order by count(*) desc, ${ref} limit ${limit}`.execute(deps.db);
  return rows.rows.map((r) => ({ value: r.value, holders: Number(r.holders) }));
}
