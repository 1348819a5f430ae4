import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { type Deps, nowIso } from '../deps';
import { claimJob, expireLeasesOf, extendLease, findLeaseOwners, finishJob, releaseJob, retryJob, setJobProgress } from './jobs.repo';
import './handlers';
import { enqueueDueSchedules } from './schedules';
import {
  type ClaimedJob,
  JobCancelledError,
  type JobHandler,
  jobHandler,
  onJobQueued,
  PermanentJobError,
  registeredKinds,
} from './registry';

export interface RunnerLog {
  info: (obj: Record<string, unknown>, message: string) => void;
  error: (obj: Record<string, unknown>, message: string) => void;
}

export interface RunnerOptions {
  /** Jobs run at the same time by this runner (SQLite: keep 1 — one writer at a time). */
  concurrency?: number;
  /** How often an idle runner looks for due jobs (it is also woken when this process queues one). */
  pollMs?: number;
  /** How long a claim lasts without a heartbeat; heartbeats renew it every third of it. */
  leaseMs?: number;
  /** Delay before attempt n + 1 after attempt n failed. */
  backoffMs?: (attempt: number) => number;
  log?: RunnerLog;
  /**
   * How often a started runner queues due schedule occurrences (./schedules.ts); 0 (the default
   * for a bare JobRunner) = never. The server's runner (startJobRunner) ticks every 30 s.
   */
  scheduleTickMs?: number;
}

/** 5 s, 10 s, 20 s, … capped at one hour. */
export function defaultBackoffMs(attempt: number): number {
  return Math.min(5000 * 2 ** Math.max(attempt - 1, 0), 3_600_000);
}

const host = os.hostname();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

/**
 * Claims and runs jobs from the `jobs` table. Each claim is a lease (locked_by, locked_until)
 * renewed by a heartbeat; a runner killed with -9 stops renewing, so its jobs become claimable
 * when the lease expires — at once when the dead runner was on this host (its pid is gone).
 * Failed attempts are retried with exponential backoff up to the job's max_attempts.
 */
export class JobRunner {
  readonly owner = `${host}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly active = new Map<string, AbortController>();
  private loops: Promise<void>[] = [];
  private stopping = false;
  private wakers = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  private lastReclaim = 0;
  private lastScheduleTick = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: Deps,
    private readonly options: RunnerOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.backoffMs = options.backoffMs ?? defaultBackoffMs;
  }

  /** Starts the polling loops; returns at once. */
  start(): void {
    this.unsubscribe = onJobQueued(() => this.wakeAll());
    for (let i = 0; i < this.concurrency; i += 1) {
      this.loops.push(this.loop());
    }
  }

  /** Stops claiming, asks running jobs to stop at their next checkpoint and hands them back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    for (const controller of this.active.values()) {
      controller.abort('stopping');
    }
    this.wakeAll();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Claims one due job and runs it to the end of this attempt; false when none was due. */
  async runOnce(): Promise<boolean> {
    await this.reclaimDeadOwners();
    const now = this.deps.now();
    const row = await claimJob(this.deps.db, this.deps.dialect, {
      owner: this.owner,
      now: now.toISOString(),
      lockedUntil: new Date(now.getTime() + this.leaseMs).toISOString(),
      kinds: registeredKinds(),
    });
    if (!row) {
      return false;
    }
    const handler = jobHandler(row.kind);
    const job: ClaimedJob = {
      id: row.id,
      workspaceId: row.workspaceId,
      kind: row.kind,
      payload: row.payload,
      attempts: row.attempts,
      maxAttempts: row.maxAttempts,
    };
    if (!handler) {
      await finishJob(this.deps.db, job.id, this.owner, 'failed', nowIso(this.deps), `no handler for ${job.kind}`);
      return true;
    }
    if (job.attempts > job.maxAttempts) {
      // Its runners kept dying mid-run (each reclaim counts as an attempt): stop trying.
      await this.fail(handler, job, `gave up after ${job.maxAttempts} attempts`);
      return true;
    }
    await this.execute(handler, job);
    return true;
  }

  private async execute(handler: JobHandler, job: ClaimedJob): Promise<void> {
    const { deps } = this;
    const controller = new AbortController();
    this.active.set(job.id, controller);
    if (this.stopping) {
      controller.abort('stopping');
    }
    const heartbeat = setInterval(() => {
      const until = new Date(deps.now().getTime() + this.leaseMs).toISOString();
      extendLease(deps.db, job.id, this.owner, until, nowIso(deps))
        .then((held) => {
          if (!held) {
            controller.abort('lease lost');
          }
        })
        .catch((error: unknown) => this.options.log?.error({ err: error, jobId: job.id }, 'job heartbeat failed'));
    }, Math.max(Math.floor(this.leaseMs / 3), 50));
    try {
      await handler.run({
        deps,
        job,
        signal: controller.signal,
        setProgress: (progress, db) => setJobProgress(db ?? deps.db, job.id, progress, nowIso(deps)),
      });
      await finishJob(deps.db, job.id, this.owner, 'done', nowIso(deps));
    } catch (error) {
      await this.afterError(handler, job, controller.signal, error);
    } finally {
      clearInterval(heartbeat);
      this.active.delete(job.id);
    }
  }

  private async afterError(handler: JobHandler, job: ClaimedJob, signal: AbortSignal, error: unknown): Promise<void> {
    const { deps } = this;
    if (error instanceof JobCancelledError) {
      await finishJob(deps.db, job.id, this.owner, 'cancelled', nowIso(deps));
      return;
    }
    if (signal.aborted) {
      if (signal.reason === 'stopping') {
        await releaseJob(deps.db, job.id, this.owner, nowIso(deps));
      }
      // Lease lost: another runner owns the job now; leave it alone.
      return;
    }
    const message = messageOf(error);
    if (error instanceof PermanentJobError || job.attempts >= job.maxAttempts) {
      this.options.log?.error({ err: error, jobId: job.id, kind: job.kind }, 'job failed');
      await this.fail(handler, job, message);
      return;
    }
    this.options.log?.info({ jobId: job.id, kind: job.kind, attempt: job.attempts, error: message }, 'job attempt failed; will retry');
    const runAt = new Date(deps.now().getTime() + this.backoffMs(job.attempts)).toISOString();
    await retryJob(deps.db, job.id, this.owner, runAt, message, nowIso(deps));
  }

  private async fail(handler: JobHandler, job: ClaimedJob, message: string): Promise<void> {
    if (await finishJob(this.deps.db, job.id, this.owner, 'failed', nowIso(this.deps), message)) {
      await handler.onFailed?.(this.deps, job, message).catch((error: unknown) => {
        this.options.log?.error({ err: error, jobId: job.id }, 'job onFailed hook failed');
      });
    }
  }

  /**
   * A runner on this host whose process is gone (killed with -9) holds leases nobody renews:
   * expire them now rather than waiting out the lease. Runners elsewhere wait for the lease.
   */
  private async reclaimDeadOwners(): Promise<void> {
    const now = Date.now();
    if (now - this.lastReclaim < 5000) {
      return;
    }
    this.lastReclaim = now;
    for (const owner of await findLeaseOwners(this.deps.db)) {
      const [ownerHost, pid] = owner.split(':');
      if (owner !== this.owner && ownerHost === host && pid !== undefined && /^\d+$/.test(pid) && !pidAlive(Number(pid))) {
        const expired = await expireLeasesOf(this.deps.db, owner, nowIso(this.deps));
        this.options.log?.info({ owner, jobs: expired }, 'reclaimed jobs of a runner that is gone');
      }
    }
  }

  /** Queues due schedule occurrences, at most every scheduleTickMs (by the app's clock). */
  async tickSchedules(): Promise<void> {
    const tickMs = this.options.scheduleTickMs ?? 0;
    const now = this.deps.now().getTime();
    // A clock that went backwards (tests) ticks again at once.
    if (tickMs <= 0 || (now - this.lastScheduleTick < tickMs && now >= this.lastScheduleTick)) {
      return;
    }
    this.lastScheduleTick = now;
    await enqueueDueSchedules(this.deps);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let ran = false;
      try {
        await this.tickSchedules();
        ran = await this.runOnce();
      } catch (error) {
        this.options.log?.error({ err: error }, 'job runner error');
      }
      if (!ran && !this.stopping) {
        await this.sleep(this.pollMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) {
      wake();
    }
  }
}

/** The runner `haoke serve` starts (server/start.ts). */
export function startJobRunner(deps: Deps, options: RunnerOptions = {}): JobRunner {
  const runner = new JobRunner(deps, { concurrency: deps.dialect === 'postgres' ? 2 : 1, scheduleTickMs: 30_000, ...options });
  runner.start();
  return runner;
}

/**
 * Runs every due job in this process until none is left (tests, CLI). Jobs scheduled for later
 * (a retry's backoff) are not waited for. Schedules are ticked only when asked (`schedules: true`),
 * so a test draining its own jobs does not also run every workspace's daily jobs.
 */
export async function runJobsUntilIdle(deps: Deps, options: RunnerOptions & { max?: number; schedules?: boolean } = {}): Promise<number> {
  const runner = new JobRunner(deps, options);
  if (options.schedules) {
    // Queues what the schedules say is due now (tests on a controllable clock, CLI).
    await enqueueDueSchedules(deps);
  }
  let count = 0;
  while (count < (options.max ?? 10_000) && (await runner.runOnce())) {
    count += 1;
  }
  return count;
}
