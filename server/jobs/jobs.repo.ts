import { type Kysely, sql } from 'kysely';
import { type DialectName, forUpdateSkipLocked, parseJson } from '../db/dialect';
import { newId } from '../db/ids';
import type { Database, JobsTable } from '../db/types';

export type JobStatus = JobsTable['status'];

export interface EnqueueInput {
  workspaceId: string | null;
  kind: string;
  payload: unknown;
  createdBy?: string | null;
  /** Defaults to now. */
  runAt?: string;
  maxAttempts?: number;
  id?: string;
}

/** Adds a job. Pass the caller's transaction so the job exists exactly when the change that needs it does. */
export async function enqueueJob(db: Kysely<Database>, input: EnqueueInput, now: string): Promise<string> {
  const id = input.id ?? newId();
  await db
    .insertInto('jobs')
    .values({
      id,
      workspaceId: input.workspaceId,
      kind: input.kind,
      status: 'queued',
      payload: JSON.stringify(input.payload ?? {}),
      progress: null,
      maxAttempts: input.maxAttempts ?? 5,
      runAt: input.runAt ?? now,
      lockedBy: null,
      lockedUntil: null,
      error: null,
      createdBy: input.createdBy ?? null,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
    })
    .execute();
  return id;
}

const jobColumns = [
  'id',
  'workspaceId',
  'kind',
  'status',
  'payload',
  'progress',
  'attempts',
  'maxAttempts',
  'runAt',
  'lockedBy',
  'lockedUntil',
  'error',
  'createdBy',
  'createdAt',
  'updatedAt',
  'startedAt',
  'finishedAt',
] as const;

/**
 * Claims the next due job (or one whose lease expired: its runner died) for `owner`, in one
 * statement. PostgreSQL: the inner SELECT … FOR UPDATE SKIP LOCKED makes concurrent runners pick
 * different rows. SQLite: the single UPDATE is atomic (one writer at a time).
 */
export async function claimJob(
  db: Kysely<Database>,
  dialect: DialectName,
  input: { owner: string; now: string; lockedUntil: string; kinds: readonly string[] },
) {
  if (input.kinds.length === 0) {
    return undefined;
  }
  const next = db
    .selectFrom('jobs as j')
    .select('j.id')
    .where('j.kind', 'in', input.kinds)
    .where((eb) =>
      eb.or([
        eb.and([eb('j.status', '=', 'queued'), eb('j.runAt', '<=', input.now)]),
        eb.and([eb('j.status', '=', 'running'), eb('j.lockedUntil', '<', input.now)]),
      ]),
    )
    .orderBy('j.runAt')
    .orderBy('j.id')
    .limit(1)
    .modifyEnd(forUpdateSkipLocked(dialect));
  const row = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      lockedBy: input.owner,
      lockedUntil: input.lockedUntil,
      attempts: eb('attempts', '+', 1),
      startedAt: eb.fn.coalesce('startedAt', eb.val(input.now)),
      updatedAt: input.now,
    }))
    .where('id', '=', next)
    .returning(jobColumns)
    .executeTakeFirst();
  return row ? { ...row, payload: parseJson(row.payload), progress: parseJson(row.progress) } : undefined;
}

/** Extends a lease this runner still holds; false when it was lost (expired and taken, or cancelled). */
export async function extendLease(db: Kysely<Database>, id: string, owner: string, lockedUntil: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ lockedUntil, updatedAt: now })
    .where('id', '=', id)
    .where('lockedBy', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends a job this runner holds: done, cancelled, or failed for good. */
export async function finishJob(
  db: Kysely<Database>,
  id: string,
  owner: string,
  status: 'done' | 'cancelled' | 'failed',
  now: string,
  error: string | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status, lockedBy: null, lockedUntil: null, finishedAt: now, updatedAt: now, ...(error === null ? {} : { error }) })
    .where('id', '=', id)
    .where('lockedBy', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Puts a failed attempt back in the queue to run again at `runAt` (backoff). */
export async function retryJob(db: Kysely<Database>, id: string, owner: string, runAt: string, error: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'queued', runAt, error, lockedBy: null, lockedUntil: null, updatedAt: now })
    .where('id', '=', id)
    .where('lockedBy', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Hands a job back without counting the attempt (the runner is shutting down). */
export async function releaseJob(db: Kysely<Database>, id: string, owner: string, now: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set((eb) => ({ status: 'queued', runAt: now, lockedBy: null, lockedUntil: null, attempts: eb('attempts', '-', 1), updatedAt: now }))
    .where('id', '=', id)
    .where('lockedBy', '=', owner)
    .where('status', '=', 'running')
    .execute();
}

/** Who holds leases right now (to spot owners on this host whose process is gone). */
export async function findLeaseOwners(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('jobs').select('lockedBy').distinct().where('status', '=', 'running').where('lockedBy', 'is not', null).execute();
  return rows.map((r) => r.lockedBy).filter((o): o is string => o !== null);
}

/** Expires the leases of a runner known to be dead, so its jobs are claimable at once. */
export async function expireLeasesOf(db: Kysely<Database>, owner: string, now: string): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ lockedUntil: '1970-01-01T00:00:00.000Z', updatedAt: now })
    .where('status', '=', 'running')
    .where('lockedBy', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function setJobProgress(db: Kysely<Database>, id: string, progress: Record<string, unknown>, now: string): Promise<void> {
  await db.updateTable('jobs').set({ progress: JSON.stringify(progress), updatedAt: now }).where('id', '=', id).execute();
}

/** Cancels a job that has not started; a running one notices through its own records. */
export async function cancelQueuedJob(db: Kysely<Database>, workspaceId: string, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'cancelled', finishedAt: now, updatedAt: now })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findJob(db: Kysely<Database>, id: string) {
  const row = await db.selectFrom('jobs').select(jobColumns).where('id', '=', id).executeTakeFirst();
  return row ? { ...row, payload: parseJson(row.payload), progress: parseJson(row.progress) } : undefined;
}

export interface JobListQuery {
  status?: JobStatus | undefined;
  kind?: string | undefined;
  limit: number;
  before?: { createdAt: string; id: string } | undefined;
}

/** A workspace's jobs, newest first (keyset on createdAt, id). */
export async function listJobRows(db: Kysely<Database>, workspaceId: string, q: JobListQuery) {
  let query = db.selectFrom('jobs').select(jobColumns).where('workspaceId', '=', workspaceId);
  if (q.status) {
    query = query.where('status', '=', q.status);
  }
  if (q.kind) {
    query = query.where('kind', '=', q.kind);
  }
  const before = q.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([eb('createdAt', '<', before.createdAt), eb.and([eb('createdAt', '=', before.createdAt), eb('id', '<', before.id)])]),
    );
  }
  const rows = await query
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return rows.map((r) => ({ ...r, payload: parseJson(r.payload), progress: parseJson(r.progress) }));
}

/** For tests and the admin: how many jobs are in each state. */
export async function countJobsByStatus(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('jobs')
    .select(['status', sql<number>`count(*)`.as('n')])
    .where('workspaceId', '=', workspaceId)
    .groupBy('status')
    .execute();
}
