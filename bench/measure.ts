import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { HttpResult } from './http-client';
import type { CapturedQuery, RawDatabase } from './raw';
import { options, sleep } from './run-options';
import { type Summary, summarize } from './stats';
import type { BenchTarget } from './target';

/** The pieces of a list-suite case (bench/list-cases.ts): the server process, timing loops, verdicts. */

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** The real server (startServer) in a child process, so the load generator does not share its event loop. */
export async function startServerProcess(target: BenchTarget): Promise<ServerProcess> {
  const child = fork(path.join(process.cwd(), 'bin', 'run-ts.mjs'), [path.join('bench', 'server.ts')], {
    env: { ...process.env, BENCH_SERVER: JSON.stringify({ dataDir: target.dataDir, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}) }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: options.args['profile-server'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.args['profile-server'])}`] : [],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'listening' && message.url) {
        resolve(message.url);
      }
    });
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) {
        return;
      }
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('stop');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    },
  };
}

export interface CaseResult {
  id: string;
  title: string;
  as: string;
  http: Summary;
  raw: Summary | null;
  errors: number;
  target: string;
  verdict: string;
  note?: string;
}

export interface Measured {
  samples: number[];
  errors: number;
  firstError: string | null;
}

/** A case stops early after this long (slow queries still get a fair sample, the run stays bounded). */
export const caseBudgetMs = 30_000;

/**
 * A warm-up request: its failure is not the case's to report (the timed ones count theirs), and
 * must not end the run — a socket the server closed while an earlier slow request held the client
 * answered EPIPE here once and took the whole suite down.
 */
async function warm(request: (i: number) => Promise<HttpResult>, i: number): Promise<void> {
  try {
    await request(i);
  } catch {
    // counted, if it recurs, by the timed requests
  }
}

export async function measureHttp(n: number, request: (i: number) => Promise<HttpResult>): Promise<Measured> {
  const warmEnd = performance.now() + caseBudgetMs / 6;
  for (let i = 0; i < options.warmup && performance.now() < warmEnd; i += 1) {
    await warm(request, i);
  }
  const samples: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const end = performance.now() + caseBudgetMs;
  for (let i = 0; i < n && (i < 20 || performance.now() < end); i += 1) {
    let res: HttpResult;
    try {
      res = await request(i);
    } catch (error) {
      errors += 1;
      firstError ??= String(error);
      continue;
    }
    samples.push(res.ms);
    if (res.status !== 200) {
      errors += 1;
      firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
    }
  }
  return { samples, errors, firstError };
}

/**
 * HTTP and raw measured side by side, iteration by iteration (in alternating order), so both
 * see the same cache state: measured one after the other, the first one warmed the page cache
 * of an 8 GB database for the second.
 */
export async function measurePair(raw: RawDatabase, n: number, request: (i: number) => Promise<HttpResult>, queries: (i: number) => readonly CapturedQuery[]): Promise<{ http: Measured; raw: Summary }> {
  const warmEnd = performance.now() + caseBudgetMs / 6;
  for (let i = 0; i < options.warmup && performance.now() < warmEnd; i += 1) {
    await warm(request, i);
    await raw.replay(queries(i));
  }
  const samples: number[] = [];
  const rawSamples: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const end = performance.now() + caseBudgetMs;
  const one = async (i: number) => {
    try {
      const res = await request(i);
      samples.push(res.ms);
      if (res.status !== 200) {
        errors += 1;
        firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
      }
    } catch (error) {
      errors += 1;
      firstError ??= String(error);
    }
  };
  for (let i = 0; i < n && (i < 20 || performance.now() < end); i += 1) {
    if (i % 2 === 0) {
      await one(i);
      rawSamples.push(await raw.replay(queries(i)));
    } else {
      rawSamples.push(await raw.replay(queries(i)));
      await one(i);
    }
  }
  return { http: { samples, errors, firstError }, raw: summarize(rawSamples) };
}

export function verdict(checks: readonly [boolean, string][]): string {
  const missed = checks.filter(([ok]) => !ok).map(([, what]) => what);
  return missed.length === 0 ? 'met' : `**missed** (${missed.join('; ')})`;
}
