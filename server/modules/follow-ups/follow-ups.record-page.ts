import { type Expression, type SqlBool, sql } from 'kysely';
import { decodeCursor, encodeCursor } from '../../http/cursor';

/**
 * Newest-first keyset pages of one record's follow-ups (a lead's, a deal's), over `follow_ups f`
 * ordered by (created_at, id) descending.
 */

/** The condition for the rows after `cursor` (none without one). */
export function olderThanCursor(cursor: string | undefined): Expression<SqlBool> | null {
  if (!cursor) {
    return null;
  }
  const before = decodeCursor(cursor, ['createdAt', 'id']);
  return sql<SqlBool>`(f.created_at < ${before.createdAt} or (f.created_at = ${before.createdAt} and f.id < ${before.id}))`;
}

/** The page out of `limit + 1` rows read, and the cursor to the next one when there is more. */
export function followUpPage<R extends { createdAt: string; id: string }>(rows: readonly R[], limit: number): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}
