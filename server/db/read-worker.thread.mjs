// The long-read worker thread (see read-worker.ts): one read-only better-sqlite3 connection to the
// app's WAL database, running SQL compiled on the main thread. A read here blocks this thread
// only, never the server's event loop. One job at a time: the pool hands a worker a new job only
// when the previous one has finished. Messages: read-worker.protocol.ts.
//
// Plain JavaScript on purpose: it needs no TypeScript loader, so it starts the same way under
// `npm start` (tsx), vitest and plain node, without a loader thread of its own per worker.
//
// Rows travel as arrays (cheaper to copy between threads than objects) with the column names once
// per message; a stream sends one batch per `more` request, so the main thread decides how far
// ahead the worker may read (back-pressure).
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const port = parentPort;
if (!port) {
  throw new Error('read-worker.thread must run in a worker thread');
}
const db = new SQLite(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');

/** @type {{ id: number, iterator: IterableIterator<unknown[]>, columns: string[], batchSize: number } | null} */
let open = null;

function send(reply) {
  port.postMessage(reply);
}

function fail(id, error) {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  send({ type: 'error', id, message: error instanceof Error ? error.message : String(error), ...(code ? { code } : {}) });
}

function prepare(sql) {
  const statement = db.prepare(sql);
  if (!statement.reader) {
    throw new Error('long reads run queries that return rows (SELECT) only');
  }
  return statement.raw(true);
}

/** Reads the next batch of the open stream and sends it; closes the stream at its end. */
function nextBatch(stream) {
  const rows = [];
  let done = false;
  try {
    while (rows.length < stream.batchSize) {
      const next = stream.iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      rows.push(next.value);
    }
  } catch (error) {
    open = null;
    fail(stream.id, error);
    return;
  }
  if (done) {
    open = null;
  }
  send({ type: 'rows', id: stream.id, columns: stream.columns, rows, done });
}

port.on('message', (request) => {
  switch (request.type) {
    case 'all': {
      try {
        const statement = prepare(request.sql);
        const rows = statement.all(...request.parameters);
        send({ type: 'rows', id: request.id, columns: statement.columns().map((c) => c.name), rows, done: true });
      } catch (error) {
        fail(request.id, error);
      }
      return;
    }
    case 'stream': {
      try {
        const statement = prepare(request.sql);
        open = { id: request.id, iterator: statement.iterate(...request.parameters), columns: statement.columns().map((c) => c.name), batchSize: request.batchSize };
      } catch (error) {
        fail(request.id, error);
        return;
      }
      nextBatch(open);
      return;
    }
    case 'more': {
      if (open && open.id === request.id) {
        nextBatch(open);
      }
      return;
    }
    case 'cancel': {
      if (open && open.id === request.id) {
        // Ends the statement, so the connection is free for the next job.
        open.iterator.return?.();
        open = null;
      }
      send({ type: 'rows', id: request.id, columns: [], rows: [], done: true });
      return;
    }
    default:
      return;
  }
});
