import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDialect } from './list-cases';
import { log, options } from './run-options';
import { markdownTable } from './stats';
import { listRows, runSuite, type SummaryRow } from './suites';

/**
 * npm run bench -- [--only list,kanban,recycle,search,import,export] [--dialect sqlite|postgres|both]
 *                  [--customers N] [--skip-generate] [--cases a,b,c,d,e,f,g] … (bench/run-options.ts)
 *
 * Runs every benchmark the issues name from one command — all suites by default, `--only` picks —
 * and ends with one table of all of them (p50/p95/p99, raw SQL p50 and the HTTP/raw ratio where
 * there is a raw side), also written to bench/results/summary-<date>.md. Asserts nothing.
 *
 * - list (bench/list-cases.ts): the customer list, point GETs, 360° view, 50 concurrent clients on
 *   list + get for 30 s (req/s, errors) and point GETs during long reads and an export job, on a
 *   generated workspace of --customers customers; per dialect report in bench/results/<dialect>-<date>.md.
 * - kanban, recycle, search, import, export: the stand-alone scripts bench/<suite>-bench.ts (each
 *   still runnable alone, with its own data), run in a child process; their output is parsed.
 *
 * Heavy: run it under `flock /tmp/haoke-heavy.lock` on a shared machine.
 */
async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = os.loadavg()[0] ?? 0;
  const rows: SummaryRow[] = [];
  for (const suite of options.suites) {
    log(`\n# ${suite}`);
    if (suite === 'list') {
      for (const dialect of options.dialects) {
        rows.push(...listRows(dialect, await benchDialect(dialect)));
      }
      if (options.args['only-generate']) {
        return;
      }
      continue;
    }
    rows.push(...(await runSuite(suite)));
  }
  const header = ['suite', 'db', 'case', 'n', 'p50', 'p95', 'p99', 'raw p50', 'HTTP/raw (p50)', 'other', 'target', 'result'];
  const table = markdownTable(
    header,
    rows.map((r) => [r.suite, r.db, r.case, r.n, r.p50, r.p95, r.p99, r.rawP50, r.ratio, r.other, r.target, r.result]),
  );
  const text = [
    `# Haoke CRM benchmarks — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Command: npm run bench -- ${process.argv.slice(2).join(' ')}`,
    `- Suites: ${options.suites.join(', ')}; dialects: ${options.dialects.join(', ')}; times in ms`,
    `- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}; load average (1 min) at start / end ${loadBefore.toFixed(1)} / ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
    '',
    table,
    '',
    'List cases: details, notes and query plans in bench/results/<dialect>-<date>.md. Other suites: their own output above.',
    '',
  ].join('\n');
  log(`\n${text}`);
  fs.mkdirSync(options.resultsDir, { recursive: true });
  const file = path.join(options.resultsDir, `summary-${started.toISOString().slice(0, 10)}${options.resultsSuffix}.md`);
  fs.writeFileSync(file, text);
  log(`written to ${path.relative(process.cwd(), file)}`);
}

await main();
