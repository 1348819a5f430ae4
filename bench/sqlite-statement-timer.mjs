// Where a benchmark's SQLite time goes, by statement: preload it into any bench script and it times
// every better-sqlite3 `run` / `all` / `get` / `iterate` by SQL text, printing the top 30 at exit
// (seconds, calls, the statement's first 90 characters) on stderr.
//
//   node --import ./bench/sqlite-statement-timer.mjs bin/run-ts.mjs bench/import-bench.ts --rows 1000000
//
// The wrapper costs a few percent; compare runs made with it only with each other. `iterate` is
// timed only for the call that opens it, not for the rows read afterwards.
//
// It sits under Kysely, so it needs no change to the code measured and also sees what a Kysely
// plugin does not: raw compiled SQL (the import's bulk INSERTs) and `begin`/`commit`. For a
// breakdown by kind of query inside one job, bench/recycle-profile.ts (a Kysely plugin) is simpler.
import SQLite from 'better-sqlite3';

const stats = new Map();
const prepare = SQLite.prototype.prepare;

SQLite.prototype.prepare = function timedPrepare(text) {
  const statement = prepare.call(this, text);
  const key = text.replace(/\s+/g, ' ').slice(0, 90) + (text.length > 90 ? '…' : '');
  for (const method of ['run', 'all', 'get', 'iterate']) {
    const original = statement[method];
    if (typeof original !== 'function') {
      continue;
    }
    statement[method] = function timed(...args) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const entry = stats.get(key) ?? { calls: 0, ms: 0 };
        entry.calls += 1;
        entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
        stats.set(key, entry);
      }
    };
  }
  return statement;
};

process.on('exit', () => {
  const top = [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30);
  for (const [text, entry] of top) {
    process.stderr.write(`${(entry.ms / 1000).toFixed(2).padStart(8)} s ${String(entry.calls).padStart(8)}  ${text}\n`);
  }
});
