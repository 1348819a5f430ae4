import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import { BulkInsert } from '../imports/bulk-insert';
import { gramToken, shortGrams } from './search.text';

/**
 * The bulk write path of the search index, for docs known to be new (an import's new rows, a
 * rebuild after clearing): no look-up of stored docs, no upsert, one precompiled multi-row INSERT
 * per 500 docs. The per-dialect storage of the n-grams lives here (see migrations/0005-search.ts):
 *
 * - PostgreSQL keeps them in search_docs.grams (text[]) — written with the row;
 * - SQLite keeps them in the contentless FTS5 table search_grams keyed by the doc's rowid. The ids
 *   are assigned here (max(id) + 1 …, what SQLite would pick itself) so docs and grams are two
 *   INSERTs without a RETURNING round trip. Callers are inside a write transaction, so nobody else
 *   can take those ids in between.
 */
export interface FreshDoc {
  workspaceId: string;
  entity: string;
  recordId: string;
  customerId: string;
  ownerId: string | null;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
}

const docColumns = ['workspaceId', 'entity', 'recordId', 'customerId', 'ownerId', 'name', 'company', 'phone', 'email'] as const;
const sqliteDocs = new BulkInsert('searchDocs', ['id', ...docColumns]);
const postgresDocs = new BulkInsert('searchDocs', [...docColumns, 'grams']);

/** search_grams is a virtual table Kysely does not know: its multi-row INSERT by hand, cached per row count. */
const gramsSql = new Map<number, string>();
function gramsInsert(count: number): string {
  let text = gramsSql.get(count);
  if (text === undefined) {
    text = `insert into search_grams(rowid, grams) values ${Array.from({ length: count }, () => '(?, ?)').join(', ')}`;
    gramsSql.set(count, text);
  }
  return text;
}

const gramsPerStatement = 500;

export async function insertFreshDocs(db: Kysely<Database>, dialect: DialectName, docs: readonly FreshDoc[]): Promise<void> {
  if (docs.length === 0) {
    return;
  }
  if (dialect === 'postgres') {
    await postgresDocs.insert(
      db,
      docs.map((d) => ({ ...d, grams: shortGrams(d.name, d.company ?? '') })),
    );
    return;
  }
  const top = await sql<{ id: number | null }>`select max(id) as id from search_docs`.execute(db);
  let next = Number(top.rows[0]?.id ?? 0) + 1;
  const rows = docs.map((d) => ({ ...d, id: next++ }));
  await sqliteDocs.insert(db, rows);
  const grams: unknown[] = [];
  for (const r of rows) {
    const tokens = shortGrams(r.name, r.company ?? '');
    if (tokens.length > 0) {
      grams.push(r.id, tokens.map(gramToken).join(' '));
    }
  }
  for (let start = 0; start < grams.length; start += gramsPerStatement * 2) {
    const part = grams.slice(start, start + gramsPerStatement * 2);
    await db.executeQuery(CompiledQuery.raw(gramsInsert(part.length / 2), part));
  }
}
