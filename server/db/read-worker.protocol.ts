/** Messages between the main thread (read-worker.ts) and a long-read worker (read-worker.thread.mjs). */
export type WorkerRequest =
  | { type: 'all'; id: number; sql: string; parameters: readonly unknown[] }
  | { type: 'stream'; id: number; sql: string; parameters: readonly unknown[]; batchSize: number }
  /** Read and send the next batch of stream `id`. */
  | { type: 'more'; id: number }
  /** Stop stream `id` (answered with an empty, done batch). */
  | { type: 'cancel'; id: number };

export type WorkerReply =
  /** Rows as arrays in the order of `columns` (the SQL's own column names). */
  | { type: 'rows'; id: number; columns: string[]; rows: unknown[][]; done: boolean }
  | { type: 'error'; id: number; message: string; code?: string };
