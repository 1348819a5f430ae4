import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';

/**
 * The workspace currency, carried beside money on records (api.md). It is set when the workspace
 * is created and no API changes it, so it is cached per process: one query per workspace, never
 * one per request or per row.
 */
const cache = new Map<string, string>();
const maxEntries = 10_000;

export async function workspaceCurrency(db: Kysely<Database>, workspaceId: string): Promise<string> {
  const known = cache.get(workspaceId);
  if (known !== undefined) {
    return known;
  }
  const row = await db.selectFrom('workspaces').select('currency').where('id', '=', workspaceId).executeTakeFirst();
  const currency = row?.currency ?? 'CNY';
  if (row) {
    if (cache.size >= maxEntries) {
      cache.clear();
    }
    cache.set(workspaceId, currency);
  }
  return currency;
}
