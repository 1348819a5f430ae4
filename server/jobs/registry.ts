import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import type { Deps } from '../deps';

/** A job as its handler sees it. */
export interface ClaimedJob<P = unknown> {
  id: string;
  workspaceId: string | null;
  kind: string;
  payload: P;
  /** 1 on the first run, counting this one. */
  attempts: number;
  maxAttempts: number;
}

export interface JobContext<P = unknown> {
  deps: Deps;
  job: ClaimedJob<P>;
  /**
   * Aborted when the runner stops or the job's lease was lost. Handlers check it between units
   * of work (`signal.throwIfAborted()`); the job is then handed back, not failed.
   */
  signal: AbortSignal;
  /** Records progress shown by GET /jobs; pass the batch's transaction to commit it with the batch. */
  setProgress: (progress: Record<string, unknown>, db?: Kysely<Database>) => Promise<void>;
}

export interface JobHandler<P = unknown> {
  kind: string;
  /** Runs before the job fails for good (default 5). */
  maxAttempts?: number;
  run: (ctx: JobContext<P>) => Promise<void>;
  /** Called once when the job has failed for good (attempts used up, or a permanent error). */
  onFailed?: (deps: Deps, job: ClaimedJob<P>, error: string) => Promise<void>;
}

/** A failure that retrying cannot fix (a missing file, a malformed payload): no further attempts. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** Thrown by a handler that noticed its job was cancelled by a user: the job ends as cancelled. */
export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelledError';
  }
}

const handlers = new Map<string, JobHandler>();

/** Makes a job kind runnable. Modules register their handlers at import (see ./handlers.ts). */
export function registerJobHandler<P>(handler: JobHandler<P>): void {
  handlers.set(handler.kind, handler as JobHandler);
}

export function jobHandler(kind: string): JobHandler | undefined {
  return handlers.get(kind);
}

export function registeredKinds(): string[] {
  return [...handlers.keys()];
}

const events = new EventEmitter();
events.setMaxListeners(100);

/** Wakes idle runners in this process at once instead of at their next poll. */
export function notifyJobQueued(): void {
  events.emit('queued');
}

export function onJobQueued(listener: () => void): () => void {
  events.on('queued', listener);
  return () => {
    events.off('queued', listener);
  };
}
