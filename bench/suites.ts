import { spawn } from 'node:child_process';
import path from 'node:path';
import type { DialectName } from '../server/db/dialect';
import type { CaseResult } from './measure';
import { log, options, type SuiteName } from './run-options';
import { ms } from './stats';

/** One line of the summary table `npm run bench` prints over every suite. */
export interface SummaryRow {
  suite: SuiteName;
  db: string;
  case: string;
  n: string;
  p50: string;
  p95: string;
  p99: string;
  rawP50: string;
  ratio: string;
  /** Throughput, duration or anything else the suite measures besides latency. */
  other: string;
  target: string;
  result: string;
}

const blank = { n: '–', p50: '–', p95: '–', p99: '–', rawP50: '–', ratio: '–', other: '', target: '–', result: '–' };

/** The list suite's cases as summary rows. */
export function listRows(dialect: DialectName, results: readonly CaseResult[]): SummaryRow[] {
  return results.map((r) => ({
    suite: 'list',
    db: dialect,
    case: `${r.id} ${r.title} (${r.as})`,
    n: String(r.http.n),
    p50: ms(r.http.p50),
    p95: ms(r.http.p95),
    p99: ms(r.http.p99),
    rawP50: r.raw ? ms(r.raw.p50) : '–',
    ratio: r.raw ? `${(r.http.p50 / r.raw.p50).toFixed(1)}×` : '–',
    other: [r.errors > 0 ? `${r.errors} errors` : '', r.note ?? ''].filter((s) => s !== '').join('; '),
    target: r.target,
    result: r.verdict,
  }));
}

/**
 * Runs one of the stand-alone benchmark scripts (each stays runnable on its own) in a child
 * process, its output shown as it comes and kept for parsing.
 */
function runScript(script: string, argv: readonly string[]): Promise<{ code: number; out: string }> {
  log(`\n### ${script} ${argv.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join('bin', 'run-ts.mjs'), path.join('bench', script), ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** The last pretty-printed JSON object of a script's output (import-bench, export-bench print one). */
function lastJson(out: string): Record<string, unknown> | null {
  const start = out.lastIndexOf('\n{\n');
  const end = out.lastIndexOf('\n}');
  if (start < 0 || end < start) {
    return null;
  }
  try {
    return JSON.parse(out.slice(start + 1, end + 2)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Cells of the Markdown table rows in `text` that start with a dialect name. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => /^\| (sqlite|postgres) \|/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
}

const num = (s: string | undefined) => (s === undefined || s === '–' ? NaN : Number(s));
const ratio = (http: number, raw: number) => (Number.isFinite(http) && Number.isFinite(raw) && raw > 0 ? `${(http / raw).toFixed(1)}×` : '–');

function failed(suite: SuiteName, db: string, what: string, code: number): SummaryRow {
  return { suite, db, case: what, ...blank, result: `**failed** (exit ${code}; see its output above)` };
}

const pgUrl = () => String(options.args['pg-url']);
const sizeOf = (key: 'import-rows' | 'export-rows' | 'search-customers' | 'recycle-customers') => String(options.args[key] ?? options.customers);

/** 商机看板: GET /deals/board of a pipeline with 10,000 open deals (its own data, per dialect). */
async function kanban(): Promise<SummaryRow[]> {
  const argv = ['--dialect', String(options.args.dialect), ...(options.args['kanban-open'] ? ['--open', String(options.args['kanban-open'])] : [])];
  const { code, out } = await runScript('kanban-bench.ts', argv);
  if (code !== 0) {
    return [failed('kanban', String(options.args.dialect), 'kanban board', code)];
  }
  // | db | case | n | HTTP p50 ms | HTTP p99 ms | raw SQL p50 ms | raw SQL p99 ms | target |
  return tableRows(out).map(([db = '', what = '', n = '', p50 = '', p99 = '', rawP50 = '', , target = '']) => ({
    suite: 'kanban',
    db,
    case: what,
    ...blank,
    n,
    p50,
    p99,
    rawP50,
    ratio: ratio(num(p50), num(rawP50)),
    target: target.replace(/: .*$/, '') || '–',
    result: /met/.test(target) ? 'met' : /MISSED/.test(target) ? '**missed**' : '–',
  }));
}

/** 自动回收: the public pool recycling job over N customers (its own data; on PostgreSQL also two runners at once). */
async function recycle(): Promise<SummaryRow[]> {
  const n = sizeOf('recycle-customers');
  const { code, out } = await runScript('recycle-bench.ts', ['--dialect', String(options.args.dialect), '--customers', n]);
  const rows: SummaryRow[] = [];
  for (const m of out.matchAll(/^(sqlite|postgres): one runner recycled (\d+) of (\d+) in ([\d.]+) s/gm)) {
    const seconds = Number(m[4]);
    rows.push({ suite: 'recycle', db: m[1] ?? '', case: `recycling job, one runner, ${m[3]} customers`, ...blank, other: `${m[2]} recycled in ${seconds} s`, target: '< 60 s', result: seconds < 60 ? 'met' : '**missed**' });
  }
  for (const m of out.matchAll(/^postgres: two runners at once recycled .*? = (\d+) in ([\d.]+) s.*?recycled twice (\d+)/gm)) {
    const seconds = Number(m[2]);
    const twice = Number(m[3]);
    rows.push({ suite: 'recycle', db: 'postgres', case: 'recycling job, two runners at once', ...blank, other: `${m[1]} recycled in ${seconds} s, ${twice} twice`, target: '< 60 s, none twice', result: seconds < 60 && twice === 0 ? 'met' : '**missed**' });
  }
  return code === 0 ? rows : [...rows, failed('recycle', String(options.args.dialect), `recycling job, ${n} customers`, code)];
}

/** 全局搜索: GET /search (its own data and index, per dialect). */
async function search(dialect: DialectName): Promise<SummaryRow[]> {
  const n = sizeOf('search-customers');
  const { code, out } = await runScript('search-bench.ts', ['--customers', n, ...(dialect === 'postgres' ? ['--db', pgUrl()] : [])]);
  if (code !== 0) {
    return [failed('search', dialect, `search, ${n} customers`, code)];
  }
  // Rows are printed as they are measured and again as one table at the end: read the table.
  const table = out.slice(out.lastIndexOf('| db | caller | endpoint'));
  // | db | caller | endpoint | query | p50 | p95 | p99 | max |
  return tableRows(table).map(([db = dialect, caller = '', endpoint = '', query = '', p50 = '', p95 = '', p99 = '']) => ({
    suite: 'search',
    db,
    case: `${endpoint} ${query} (${caller}), ${n} customers`,
    ...blank,
    n: '',
    p50,
    p95,
    p99,
  }));
}

/** 导入: a CSV of N customers through the real import path (its own database, per dialect). */
async function importSuite(dialect: DialectName): Promise<SummaryRow[]> {
  const n = sizeOf('import-rows');
  const { code, out } = await runScript('import-bench.ts', ['--rows', n, ...(dialect === 'postgres' ? ['--db', pgUrl()] : [])]);
  const r = lastJson(out);
  if (code !== 0 || !r) {
    return [failed('import', dialect, `import ${n} rows`, code)];
  }
  return [
    {
      suite: 'import',
      db: dialect,
      case: `import ${n} customers (CSV, ${String(r.status)})`,
      ...blank,
      n: String(r.rows),
      other: `${String(r.rowsPerSecond)} rows/s (${String(r.seconds)} s wall, ${String(r.cpuSeconds)} s CPU), peak RSS ${String(r.peakRssMB)} MB`,
      result: r.status === 'done' || r.status === 'completed' ? '–' : String(r.status),
    },
  ];
}

interface ProbeSummary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/** 导出: N customers exported as CSV through the export job, with point reads probed before and during it. */
async function exportSuite(dialect: DialectName): Promise<SummaryRow[]> {
  const n = sizeOf('export-rows');
  const { code, out } = await runScript('export-bench.ts', ['--rows', n, '--probe', ...(dialect === 'postgres' ? ['--database-url', pgUrl()] : [])]);
  const r = lastJson(out);
  if (code !== 0 || !r) {
    return [failed('export', dialect, `export ${n} rows`, code)];
  }
  const rows: SummaryRow[] = [
    {
      suite: 'export',
      db: dialect,
      case: `export ${n} customers (${String(r.format)}, ${String(r.as)})`,
      ...blank,
      n: String(r.exported),
      other: `${String(r.rowsPerSecond)} rows/s (${String(r.seconds)} s wall, ${String(r.cpuSeconds)} s CPU), ${String(r.fileMB)} MB, peak RSS ${String(r.peakRssMB)} MB`,
      result: String(r.status),
    },
  ];
  for (const [key, what] of [
    ['pointReadBeforeMs', 'point read on the app connection, before the export'],
    ['pointReadDuringMs', 'point read on the app connection, during the export'],
  ] as const) {
    const p = r[key] as ProbeSummary | undefined;
    if (p) {
      const during = key === 'pointReadDuringMs';
      rows.push({ suite: 'export', db: dialect, case: what, ...blank, n: String(p.n), p50: ms(p.p50), p99: ms(p.p99), other: `max ${ms(p.max)}`, target: during ? 'p99 < 50' : '–', result: during ? (p.p99 < 50 ? 'met' : '**missed**') : '–' });
    }
  }
  return rows;
}

/** Runs one suite other than list; dialect-less suites (kanban, recycle) handle --dialect themselves. */
export async function runSuite(suite: Exclude<SuiteName, 'list'>): Promise<SummaryRow[]> {
  if (suite === 'kanban') {
    return kanban();
  }
  if (suite === 'recycle') {
    return recycle();
  }
  const rows: SummaryRow[] = [];
  for (const dialect of options.dialects) {
    rows.push(...(suite === 'search' ? await search(dialect) : suite === 'import' ? await importSuite(dialect) : await exportSuite(dialect)));
  }
  return rows;
}
