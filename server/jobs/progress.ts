import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/types';
import type { AuthContext } from '../http/auth-context';
import { decodeCursor, encodeCursor } from '../http/cursor';

/**
 * What imports, exports (and any later "my background runs" resource: reports, bulk jobs) share:
 * a run belongs to whoever started it — a user, or an API key without a user — only they see it,
 * and they list theirs newest first with a keyset cursor. Tables using these helpers have
 * `workspace_id`, `id`, `created_by`, `api_key_id` and `created_at` columns.
 */
export type JobRunTable = 'imports' | 'exports';

/** Whose runs a caller sees: their own (by user; an API key without a creating user by key). */
export interface JobRunOwner {
  userId: string | null;
  apiKeyId: string | null;
}

export function jobRunOwner(auth: Pick<AuthContext, 'userId' | 'apiKeyId'>): JobRunOwner {
  return { userId: auth.userId, apiKeyId: auth.apiKeyId };
}

type Query<T extends JobRunTable, O> = SelectQueryBuilder<Database, T, O>;
/** The columns every run table has, as one query shape (the runs' own columns stay typed by the caller's select). */
type AnyRunQuery<O> = SelectQueryBuilder<Database, JobRunTable, O>;

/** Narrows a select on a run table to the caller's own runs. */
export function ownRuns<T extends JobRunTable, O>(query: Query<T, O>, owner: JobRunOwner): Query<T, O> {
  const q = query as unknown as AnyRunQuery<O>;
  const own = owner.userId ? q.where('createdBy', '=', owner.userId) : q.where('apiKeyId', '=', owner.apiKeyId ?? '');
  return own;
}

/** One run of the workspace by id, only the owner's when `owner` is given. */
export async function findRun<T extends JobRunTable, O>(query: Query<T, O>, workspaceId: string, id: string, owner?: JobRunOwner): Promise<O | undefined> {
  const q = (query as unknown as AnyRunQuery<O>).where('workspaceId', '=', workspaceId).where('id', '=', id);
  return (owner ? ownRuns(q, owner) : q).executeTakeFirst();
}

export interface RunPosition {
  createdAt: string;
  id: string;
}

/** The owner's runs, newest first, `limit + 1` of them (the extra one says there is a next page). */
export async function listRuns<T extends JobRunTable, O>(query: Query<T, O>, workspaceId: string, owner: JobRunOwner, limit: number, before?: RunPosition): Promise<O[]> {
  let q = ownRuns((query as unknown as AnyRunQuery<O>).where('workspaceId', '=', workspaceId), owner);
  if (before) {
    q = q.where((eb) => eb.or([eb('createdAt', '<', before.createdAt), eb.and([eb('createdAt', '=', before.createdAt), eb('id', '<', before.id)])]));
  }
  return q
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}

/** A cursor page of runs: decodes the caller's cursor, lists, presents, and encodes the next cursor. */
export async function runsPage<R extends RunPosition, V>(
  cursor: string | undefined,
  limit: number,
  list: (before: RunPosition | undefined) => Promise<R[]>,
  present: (row: R) => V,
): Promise<{ data: V[]; nextCursor: string | null }> {
  const position = cursor ? (decodeCursor(cursor, ['createdAt', 'id']) as unknown as RunPosition) : undefined;
  const rows = await list(position);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(present),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

/** Rows per second over the run's working time, and the seconds left at that rate. */
export function runRate(processed: number, total: number, elapsedMs: number, status: string): { rowsPerSecond: number | null; etaSeconds: number | null } {
  const seconds = elapsedMs / 1000;
  const rowsPerSecond = seconds > 0 ? Math.round(processed / seconds) : null;
  const remaining = Math.max(total - processed, 0);
  return {
    rowsPerSecond,
    etaSeconds: status === 'done' ? 0 : status === 'running' && rowsPerSecond ? Math.ceil(remaining / rowsPerSecond) : null,
  };
}
