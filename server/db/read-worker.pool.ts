import { Worker } from 'node:worker_threads';
import { type Kysely, sql } from 'kysely';
import type { WorkerReply, WorkerRequest } from './read-worker.protocol';

/**
 * SQLite's side of long reads: a small pool of worker threads per database file, each with its own
 * read-only connection (see ./read-worker.ts for the API the app uses).
 */
export const longReadTuning = { maxWorkers: 2, idleMs: 30_000, readAhead: 2 };


interface Job {
  onReply: (reply: WorkerReply) => void;
}

export class ReadWorker {
  readonly worker: Worker;
  busy = false;
  private jobs = new Map<number, Job>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    file: string,
    private readonly onGone: (w: ReadWorker) => void,
  ) {
    this.worker = new Worker(new URL('./read-worker.thread.mjs', import.meta.url), { workerData: { file } });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.jobs.get(reply.id)?.onReply(reply));
    const gone = (error: Error) => {
      this.onGone(this);
      for (const [id, job] of this.jobs) {
        job.onReply({ type: 'error', id, message: `long-read worker stopped: ${error.message}` });
      }
      this.jobs.clear();
    };
    this.worker.on('error', gone);
    this.worker.on('exit', (code) => gone(new Error(`exit code ${code}`)));
  }

  start(id: number, job: Job, request: WorkerRequest): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    this.busy = true;
    // Keep the process alive while someone waits for this worker's answer.
    this.worker.ref();
    this.jobs.set(id, job);
    this.worker.postMessage(request);
  }

  send(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  finish(id: number): void {
    this.jobs.delete(id);
    this.busy = false;
    this.worker.unref();
    this.idleTimer = setTimeout(() => {
      // Out of the pool first, so no job is handed to a worker on its way out.
      this.busy = true;
      this.onGone(this);
      void this.worker.terminate();
    }, longReadTuning.idleMs);
    this.idleTimer.unref();
  }
}

export class ReadPool {
  private workers: ReadWorker[] = [];
  private waiting: ((w: ReadWorker) => void)[] = [];

  constructor(private readonly file: string) {}

  async acquire(): Promise<ReadWorker> {
    const free = this.workers.find((w) => !w.busy);
    if (free) {
      free.busy = true;
      return free;
    }
    if (this.workers.length < longReadTuning.maxWorkers) {
      const w = new ReadWorker(this.file, (gone) => {
        this.workers = this.workers.filter((x) => x !== gone);
      });
      this.workers.push(w);
      w.busy = true;
      return w;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(w: ReadWorker, id: number): void {
    w.finish(id);
    const next = this.waiting.shift();
    if (next && this.workers.includes(w)) {
      w.busy = true;
      next(w);
    } else if (next) {
      void this.acquire().then(next);
    }
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}

const pools = new Map<string, ReadPool>();
const files = new WeakMap<object, Promise<string>>();
let nextId = 1;

/** A fresh id for one request to a worker (replies carry it back). */
export function nextJobId(): number {
  return nextId++;
}

/** The main database file of the app's connection ('' for an in-memory database). */
export function databaseFile(db: Kysely<unknown>): Promise<string> {
  let file = files.get(db);
  if (!file) {
    file = sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db).then((r) => r.rows[0]?.file ?? '');
    files.set(db, file);
  }
  return file;
}

export function poolFor(file: string): ReadPool {
  let pool = pools.get(file);
  if (!pool) {
    pool = new ReadPool(file);
    pools.set(file, pool);
  }
  return pool;
}

export function workerError(reply: Extract<WorkerReply, { type: 'error' }>): Error {
  return Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {});
}

/** Stops every worker of every pool. */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}
