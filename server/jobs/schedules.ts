import { sql } from 'kysely';
import { type ZoneClock, zoneClock } from '../../common/time-zone';
import { newId } from '../db/ids';
import { type Deps, nowIso } from '../deps';
import { notifyJobQueued } from './registry';

/**
 * Cron-like schedules on top of the durable job queue. A schedule does not run anything itself:
 * each due occurrence becomes one row in `jobs` (run by the handler registered for its kind), and
 * the occurrence's key `kind|workspace|period` is recorded in job_schedule_runs (primary key) in the
 * same transaction as the job. Every app instance ticks the schedules; the key turns a second
 * instance's insert into a no-op, so each occurrence is queued exactly once however many run.
 */
export interface ScheduleInput {
  /** The job kind queued at each occurrence (a handler must be registered for it). */
  kind: string;
  /** 'daily' and 'hourly' follow the wall clock of the workspace's time zone; a number is a period in ms. */
  every: 'daily' | 'hourly' | number;
  /** 'HH:mm' for daily, ':mm' or 'HH:mm' (only the minutes count) for hourly; default 00:00. */
  at?: string;
  /** One job per workspace (in its time zone), or one system job (workspaceId null, in `timeZone`). */
  perWorkspace: boolean;
  /** Zone of a system schedule's wall clock (default UTC). */
  timeZone?: string;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
}

interface Schedule extends ScheduleInput {
  hour: number;
  minute: number;
}

const schedules = new Map<string, Schedule>();

function parseAt(at: string | undefined): { hour: number; minute: number } {
  if (at === undefined) {
    return { hour: 0, minute: 0 };
  }
  const m = /^(\d{2})?:(\d{2})$/.exec(at);
  const hour = Number(m?.[1] ?? '0');
  const minute = Number(m?.[2] ?? 'x');
  if (!m || hour > 23 || minute > 59) {
    throw new Error(`schedule "at" must be HH:mm, got ${at}`);
  }
  return { hour, minute };
}

/** Declares a recurring job. Modules call it at import, next to their registerJobHandler. */
export function registerSchedule(input: ScheduleInput): void {
  if (typeof input.every === 'number' && (!Number.isInteger(input.every) || input.every < 1000)) {
    throw new Error('a schedule period must be a whole number of ms, at least 1000');
  }
  schedules.set(input.kind, { ...input, ...parseAt(input.at) });
}

export function registeredSchedules(): ScheduleInput[] {
  return [...schedules.values()];
}

const clocks = new Map<string, ZoneClock>();

/** The zone's clock, kept per zone (schedules are checked every few seconds); an unknown zone is the product's default. */
function clockOf(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = zoneClock(timeZone, 'Asia/Shanghai');
    clocks.set(timeZone, clock);
  }
  return clock;
}

function wallClock(timeZone: string, at: number) {
  const d = new Date(at + clockOf(timeZone).offsetAt(at));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** The instant a wall-clock time happens in a zone. */
function instantOf(timeZone: string, wall: number): number {
  return clockOf(timeZone).toInstant(wall);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The latest occurrence of a schedule at or before `now`: its period key (what makes it unique)
 * and the instant it was due. Missed occurrences (the app was down) are not replayed one by one:
 * the latest one stands for them.
 */
export function latestOccurrence(schedule: Pick<Schedule, 'every' | 'hour' | 'minute'>, timeZone: string, now: Date): { period: string; dueAt: Date } {
  const t = now.getTime();
  if (typeof schedule.every === 'number') {
    const n = Math.floor(t / schedule.every);
    return { period: `p${n}`, dueAt: new Date(n * schedule.every) };
  }
  const w = wallClock(timeZone, t);
  if (schedule.every === 'daily') {
    const dayOffset = w.hour * 60 + w.minute >= schedule.hour * 60 + schedule.minute ? 0 : -1;
    const wall = Date.UTC(w.year, w.month - 1, w.day + dayOffset, schedule.hour, schedule.minute);
    const d = new Date(wall);
    return { period: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, dueAt: new Date(instantOf(timeZone, wall)) };
  }
  const hourOffset = w.minute >= schedule.minute ? 0 : -1;
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour + hourOffset, schedule.minute);
  const d = new Date(wall);
  return { period: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}`, dueAt: new Date(instantOf(timeZone, wall)) };
}

export function occurrenceKey(kind: string, workspaceId: string | null, period: string): string {
  return `${kind}|${workspaceId ?? '-'}|${period}`;
}

interface Occurrence {
  key: string;
  workspaceId: string | null;
  schedule: Schedule;
  period: string;
  dueAt: Date;
}

/**
 * Queues every schedule occurrence that is due and not queued yet (by any instance). Safe to call
 * from several instances at once: the insert of an occurrence someone else queued is a no-op.
 * A workspace's first occurrence is the first one after it was created. Returns how many this call queued.
 */
export async function enqueueDueSchedules(deps: Deps): Promise<number> {
  if (schedules.size === 0) {
    return 0;
  }
  const now = deps.now();
  const hasPerWorkspace = [...schedules.values()].some((s) => s.perWorkspace);
  const workspaces = hasPerWorkspace ? await deps.db.selectFrom('workspaces').select(['id', 'timezone', 'createdAt']).execute() : [];
  const due: Occurrence[] = [];
  for (const schedule of schedules.values()) {
    if (!schedule.perWorkspace) {
      const o = latestOccurrence(schedule, schedule.timeZone ?? 'UTC', now);
      due.push({ key: occurrenceKey(schedule.kind, null, o.period), workspaceId: null, schedule, ...o });
      continue;
    }
    for (const w of workspaces) {
      const o = latestOccurrence(schedule, w.timezone, now);
      if (o.dueAt.getTime() > Date.parse(w.createdAt)) {
        due.push({ key: occurrenceKey(schedule.kind, w.id, o.period), workspaceId: w.id, schedule, ...o });
      }
    }
  }
  let queued = 0;
  const createdAt = nowIso(deps);
  for (let i = 0; i < due.length; i += 500) {
    const chunk = due.slice(i, i + 500);
    // Most ticks find everything queued already: one indexed read instead of a write per key.
    const existing = new Set(
      (
        await deps.db
          .selectFrom('jobScheduleRuns')
          .select('uniqueKey')
          .where(
            'uniqueKey',
            'in',
            chunk.map((o) => o.key),
          )
          .execute()
      ).map((r) => r.uniqueKey),
    );
    const missing = chunk.filter((o) => !existing.has(o.key));
    if (missing.length === 0) {
      continue;
    }
    queued += await deps.db.transaction().execute(async (trx) => {
      const withIds = missing.map((o) => ({ ...o, jobId: newId() }));
      // Another instance inserting the same key waits on the primary key and then skips it:
      // only the keys this insert really added get a job.
      const won = await trx
        .insertInto('jobScheduleRuns')
        .values(withIds.map((o) => ({ uniqueKey: o.key, workspaceId: o.workspaceId, kind: o.schedule.kind, period: o.period, jobId: o.jobId, createdAt })))
        .onConflict((oc) => oc.column('uniqueKey').doNothing())
        .returning('uniqueKey')
        .execute();
      const wonKeys = new Set(won.map((r) => r.uniqueKey));
      const jobs = withIds.filter((o) => wonKeys.has(o.key));
      if (jobs.length === 0) {
        return 0;
      }
      await trx
        .insertInto('jobs')
        .values(
          jobs.map((o) => ({
            id: o.jobId,
            workspaceId: o.workspaceId,
            kind: o.schedule.kind,
            status: 'queued' as const,
            payload: JSON.stringify({ ...o.schedule.payload, period: o.period, scheduledFor: o.dueAt.toISOString() }),
            progress: null,
            maxAttempts: o.schedule.maxAttempts ?? 5,
            runAt: createdAt,
            lockedBy: null,
            lockedUntil: null,
            error: null,
            createdBy: null,
            createdAt,
            updatedAt: createdAt,
            startedAt: null,
            finishedAt: null,
          })),
        )
        .execute();
      return jobs.length;
    });
  }
  if (queued > 0) {
    notifyJobQueued();
  }
  return queued;
}

/** For tests: how many occurrences of this kind were queued. */
export async function countScheduledJobs(deps: Deps, kind: string): Promise<number> {
  const row = await deps.db
    .selectFrom('jobScheduleRuns')
    .select(sql<number>`count(*)`.as('n'))
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
