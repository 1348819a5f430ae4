import type { DialectName } from '../../db/dialect';
import type { Deps } from '../../deps';
import { idFloor, indexTuning, indexWindow } from './imports.indexing';
import type { ImportAdapter } from './imports.registry';

/**
 * PostgreSQL: the indexing stage's walk run alongside the rows, on a second connection.
 *
 * Written inside each row batch, a batch's search entries (search_docs with its two GIN indexes)
 * were half of the server's work per row, done by the batch's backend after its rows — so one
 * backend at a time worked and the import used about one of the two cores (measured at 200k rows:
 * 9.2 s of Node and 22 s of server CPU in 30.1 s). Here the row batches write only the rows, and
 * after each commit the lane walks the newly committed records with the stage's own window
 * (`indexWindow`: live records without an entry, in id order), in its own transactions. Batch n+1's
 * rows and batch n's entries are then written by two backends at once.
 *
 * What keeps it exact is the stage's: the walk finds its work from the data (UUIDv7 ids from this
 * process only grow, so a committed batch's records all sort after the lane's position, and a
 * record with an entry is skipped), each window commits its entries and the lane's position (in
 * the job's progress) together, and whatever the lane has not reached when the rows end is done by
 * the closing stage from its position. SQLite gains nothing from it (one writer) and keeps the
 * stage after the rows.
 */
export function runsAlongside(dialect: DialectName): boolean {
  return indexTuning.alongsideOn.includes(dialect);
}

/** The lane's position, kept in the job's progress (committed with each window, and with each row batch). */
export interface LanePosition {
  after: string;
  indexed: number;
}

export function isLanePosition(value: unknown): value is LanePosition {
  return typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string' && typeof (value as { indexed?: unknown }).indexed === 'number';
}

/**
 * Where an attempt's walk starts: the saved position, but never after the floor of this attempt's
 * own ids (a resumed attempt may run on a host whose clock is behind the one that wrote the saved
 * position; records in between that have an entry are skipped).
 */
export function laneStart(saved: LanePosition | undefined, indexFrom: string, now: number): LanePosition {
  const floor = idFloor(now - indexTuning.clockSkewMs);
  const after = saved === undefined ? indexFrom : saved.after;
  return { after: after < floor ? after : floor, indexed: saved?.indexed ?? 0 };
}

export interface IndexLaneInput {
  deps: Deps;
  adapter: ImportAdapter;
  workspaceId: string;
  start: LanePosition;
  /** Saves the lane's position in the window's transaction (the job's progress). */
  save: (position: LanePosition, trx: Deps['db']) => Promise<void>;
  signal: AbortSignal;
}

export class IndexLane {
  private position: LanePosition;
  private walking: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failure: { error: unknown } | null = null;

  constructor(private readonly input: IndexLaneInput) {
    this.position = { ...input.start };
  }

  /** The last committed position. */
  get at(): LanePosition {
    return { ...this.position };
  }

  /** Rows were committed: walk to them (starts a walk, or asks the running one for one more pass). */
  kick(): void {
    if (this.stopped || this.failure) {
      return;
    }
    if (this.walking) {
      this.again = true;
      return;
    }
    this.walking = this.walk()
      .catch((error: unknown) => {
        this.failure = { error };
      })
      .finally(() => {
        this.walking = null;
      });
  }

  /** Throws what stopped the lane, if anything (the rows stage checks at every batch). */
  check(): void {
    if (this.failure) {
      throw this.failure.error;
    }
  }

  /** Lets the running window finish and stops; the closing stage goes on from `at`. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.walking;
  }

  private async walk(): Promise<void> {
    const { deps, adapter, workspaceId, save, signal } = this.input;
    do {
      this.again = false;
      for (;;) {
        if (this.stopped) {
          return;
        }
        signal.throwIfAborted();
        const before = this.position;
        const step = await indexWindow(deps, adapter, workspaceId, before.after, (last, count, trx) => save({ after: last, indexed: before.indexed + count }, trx));
        if (step === null) {
          break;
        }
        this.position = { after: step.last, indexed: before.indexed + step.indexed };
        indexTuning.afterBatch?.(this.position.indexed);
      }
    } while (this.again);
  }
}
