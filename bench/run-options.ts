import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DialectName } from '../server/db/dialect';

/**
 * Options of `npm run bench` (bench/run.ts). Every benchmark the issues name runs by default;
 * `--only list,kanban` picks suites. The sizes of the other suites default to --customers.
 */
const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'both' },
    /** Suites to run (comma-separated): list, kanban, recycle, search, import, export. All by default. */
    only: { type: 'string' },
    customers: { type: 'string', default: '1000000' },
    contacts: { type: 'string' },
    'follow-ups': { type: 'string' },
    'skip-generate': { type: 'boolean', default: false },
    /** Fill the search module's index for the bulk-loaded rows: on, off, or auto (= on). The bulk fill runs at ~7.6k entries/s on SQLite and ~11k/s on PostgreSQL (measured 2026-11-22), so 1M customers + 2M contacts take ~4–7 minutes more; off saves that when a run needs no search. */
    'search-index': { type: 'string', default: 'on' },
    'only-generate': { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: path.join(os.tmpdir(), 'haoke-bench') },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    /** PostgreSQL schema for the bench data (dropped and made anew by the generator). */
    'pg-schema': { type: 'string', default: 'bench' },
    iterations: { type: 'string', default: '300' },
    duration: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '50' },
    'probe-seconds': { type: 'string', default: '15' },
    seed: { type: 'string', default: '20240601' },
    'results-dir': { type: 'string', default: path.join(process.cwd(), 'bench', 'results') },
    /** Appended to the results file name (sqlite-2026-11-23b.md), so a second run of the day keeps the first. */
    'results-suffix': { type: 'string', default: '' },
    /** Writes a V8 CPU profile of the server process into this folder (for finding where time goes). */
    'profile-server': { type: 'string' },
    /** Only these list cases (comma-separated ids: a,b,c,d,e,f,g). */
    cases: { type: 'string' },
    /** Rows of the import suite (default --customers). */
    'import-rows': { type: 'string' },
    /** Rows of the export suite (default --customers). */
    'export-rows': { type: 'string' },
    /** Customers of the search suite (default --customers). */
    'search-customers': { type: 'string' },
    /** Customers of the recycling suite (default --customers). */
    'recycle-customers': { type: 'string' },
    /** Open deals of the kanban suite (its own default: 10,000). */
    'kanban-open': { type: 'string' },
    /** Kept for old command lines: every suite runs by default now (use --only to pick). */
    recycle: { type: 'boolean', default: false },
    kanban: { type: 'boolean', default: false },
  },
  strict: true,
});

export const suiteNames = ['list', 'kanban', 'recycle', 'search', 'import', 'export'] as const;
export type SuiteName = (typeof suiteNames)[number];

function selectedSuites(): SuiteName[] {
  if (!args.only) {
    return [...suiteNames];
  }
  const asked = args.only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = asked.filter((s) => !(suiteNames as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new Error(`--only: unknown suite(s) ${unknown.join(', ')} (known: ${suiteNames.join(', ')})`);
  }
  return suiteNames.filter((s) => asked.includes(s));
}

const dialects: DialectName[] = args.dialect === 'both' ? ['sqlite', 'postgres'] : [args.dialect as DialectName];
if (dialects.some((d) => d !== 'sqlite' && d !== 'postgres')) {
  throw new Error('--dialect must be sqlite, postgres or both');
}

const iterations = Number(args.iterations);

export const options = {
  args,
  dialects,
  suites: selectedSuites(),
  customers: Number(args.customers),
  iterations,
  warmup: Math.max(10, Math.round(iterations / 10)),
  durationSeconds: Number(args.duration),
  concurrency: Number(args.concurrency),
  probeSeconds: Number(args['probe-seconds']),
  resultsDir: String(args['results-dir']),
  resultsSuffix: String(args['results-suffix']),
};

export const log = (line: string) => {
  process.stdout.write(`${line}\n`);
};

/** Whether a list case runs: all by default, or those named by --cases (by their letter). */
export const wantedCase = (id: string) => !args.cases || args.cases.split(',').includes(id.charAt(0));

export const sleep = (msToWait: number) => new Promise<void>((resolve) => setTimeout(resolve, msToWait));
