import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchMeta, BenchTarget } from './target';
import { caseBudgetMs, type CaseResult } from './measure';
import type { RawDatabase } from './raw';
import { log, options } from './run-options';
import { markdownTable, ms } from './stats';

/** The list suite's report per dialect: bench/results/<dialect>-<date>.md (cases, notes, query plans). */

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' (+ uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

async function databaseSize(target: BenchTarget, raw: RawDatabase): Promise<string> {
  if (target.dialect === 'sqlite') {
    const size = ['', '-wal'].reduce((sum, suffix) => sum + (fs.existsSync(target.sqliteFile + suffix) ? fs.statSync(target.sqliteFile + suffix).size : 0), 0);
    return `${(size / 1024 ** 3).toFixed(2)} GiB (file)`;
  }
  const rows = await raw.rows<{ bytes: number }>(`select sum(pg_total_relation_size(c.oid))::bigint as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`, [target.pgSchema]);
  return `${(Number(rows[0]?.bytes ?? 0) / 1024 ** 3).toFixed(2)} GiB (schema ${target.pgSchema}, tables + indexes)`;
}

export async function writeReport(target: BenchTarget, meta: BenchMeta, raw: RawDatabase, results: readonly CaseResult[], notes: readonly string[], plans: readonly string[]): Promise<void> {
  const dbVersion =
    target.dialect === 'sqlite'
      ? `SQLite ${(await raw.rows<{ v: string }>('select sqlite_version() as v'))[0]?.v ?? '?'}`
      : ((await raw.rows<{ v: string }>('select version() as v'))[0]?.v ?? '?').split(' on ')[0];
  const header = ['#', 'case', 'as', 'n', 'HTTP p50', 'HTTP p95', 'HTTP p99', 'raw p50', 'raw p95', 'raw p99', 'HTTP/raw (p50)', 'target', 'result'];
  const rows = results.map((r) => [
    r.id,
    r.title,
    r.as,
    String(r.http.n),
    ms(r.http.p50),
    ms(r.http.p95),
    ms(r.http.p99),
    r.raw ? ms(r.raw.p50) : '–',
    r.raw ? ms(r.raw.p95) : '–',
    r.raw ? ms(r.raw.p99) : '–',
    r.raw ? `${(r.http.p50 / r.raw.p50).toFixed(1)}×` : '–',
    r.target,
    r.verdict,
  ]);
  const date = new Date().toISOString();
  const lines = [
    `# Haoke CRM benchmark — ${target.dialect} — ${date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Data: ${meta.counts.customers.toLocaleString('en')} customers, ${meta.counts.contacts.toLocaleString('en')} contacts, ${meta.counts.followUps.toLocaleString('en')} follow-ups, ${meta.counts.collaborators.toLocaleString('en')} collaborators, ${meta.counts.users} users in ${meta.counts.departments} departments (generated ${meta.generatedAt})`,
    `- Generation: ${Object.entries(meta.timings)
      .map(([k, v]) => `${k} ${v} s`)
      .join('; ')}; bulk load ${meta.rowsPerSecond.toLocaleString('en')} rows/s`,
    `- Database: ${dbVersion}, ${await databaseSize(target, raw)}`,
    `- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}; server in its own process (startServer), client over keep-alive HTTP on 127.0.0.1`,
    `- Code: ${gitCommit()}; up to ${options.iterations} timed iterations per case (at least 20, at most ~${caseBudgetMs / 1000} s) after up to ${options.warmup} warm-up; times in ms`,
    '',
    markdownTable(header, rows),
    '',
    ...results.filter((r) => r.note).map((r) => `- ${r.id}: ${r.note}`),
    ...notes.map((n) => `- ${n}`),
    '',
    '"raw" = the SQL statement(s) the API runs for the request, captured from the app\'s own repo functions and replayed straight on the driver (better-sqlite3 / pg) in the runner process, alternating with the HTTP requests so both see the same cache state. Targets are judged on this run as measured, on a machine shared with other work (see the load average).',
    '',
    '## Query plans',
    '',
    ...plans,
    '',
  ];
  const text = lines.join('\n');
  log('');
  log(text);
  fs.mkdirSync(options.resultsDir, { recursive: true });
  const file = path.join(options.resultsDir, `${target.dialect}-${date.slice(0, 10)}${options.resultsSuffix}.md`);
  fs.writeFileSync(file, text);
  log(`written to ${path.relative(process.cwd(), file)}`);
}
