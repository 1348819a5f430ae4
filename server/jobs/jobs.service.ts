import type { Deps } from '../deps';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { listJobRows } from './jobs.repo';
import type { Job, ListJobsQuery } from './jobs.schema';

/** A keyset page of a workspace's jobs, newest first. */
export async function listJobs(deps: Deps, workspaceId: string, query: ListJobsQuery): Promise<{ data: Job[]; nextCursor: string | null }> {
  const position = query.cursor ? decodeCursor(query.cursor, ['createdAt', 'id']) : undefined;
  const rows = await listJobRows(deps.db, workspaceId, { status: query.status, kind: query.kind, limit: query.limit, before: position });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({ ...r, progress: typeof r.progress === 'object' && r.progress !== null ? (r.progress as Record<string, unknown>) : null })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}
