import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { createTestApp, type TestApp, testDialect } from '../../testing/test-app';
import { csvText, uploadImport } from './imports.fixtures';
import { importTuning } from './imports.job';

const root = path.resolve(import.meta.dirname, '../../..');

/** `haoke serve` as a real child process on the test's database and data directory. */
async function serve(t: TestApp, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin/haoke.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', SERVE_WEB: 'false', LOG_LEVEL: 'error', DATA_DIR: t.deps.config.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`haoke serve did not start: ${output}`)), 60_000);
    const check = () => {
      if (output.includes('is running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`haoke serve exited with ${String(code)}: ${output}`));
    });
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
}

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== null) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The durability promise of imports: kill the server with SIGKILL in the middle of an import,
 * start it again, and the import finishes with every row exactly once.
 */
describe('import survives kill -9', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t);
    env = {};
    if (testDialect() === 'postgres') {
      const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(t.deps.db)).rows[0]?.schema ?? '';
      const url = new URL(process.env.TEST_DATABASE_URL ?? '');
      url.searchParams.set('options', `-c search_path=${schema}`);
      env.DATABASE_URL = url.toString();
    }
  });
  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGKILL');
      await exited(child);
    }
    await t.close();
  });

  it('resumes after SIGKILL without duplicating or losing rows', async () => {
    // Enough batches to be killed in the middle of (2000 rows each), few enough to stay quick.
    const total = 12_000;
    const rows = [['客户名称', '电话', '邮箱', '备注']];
    for (let i = 0; i < total; i += 1) {
      rows.push([`断点续传客户${i}`, `137${String(i).padStart(8, '0')}`, `resume${i}@example.com`, i % 7 === 0 ? '' : `备注 ${i}`]);
    }
    const upload = await uploadImport<{ id: string; guesses: Record<string, string>; rowCount: number }>(ws.admin, 'resume.csv', Buffer.from(csvText(rows)));
    expect(upload.status).toBe(201);
    expect(upload.body.rowCount).toBe(total);
    const id = upload.body.id;
    expect((await ws.admin.post(`/api/v1/imports/${id}/start`, { mapping: upload.body.guesses, duplicateMode: 'skip' })).status).toBe(202);

    const progress = () => t.deps.db.selectFrom('imports').select(['status', 'processed', 'createdCount', 'nextRow', 'jobId']).where('id', '=', id).executeTakeFirstOrThrow();
    const customers = async () => {
      const row = await t.deps.db
        .selectFrom('customers')
        .select([sql<number>`count(*)`.as('n'), sql<number>`count(distinct name_key)`.as('keys')])
        .where('workspaceId', '=', ws.workspaceId)
        .executeTakeFirstOrThrow();
      return { n: Number(row.n), keys: Number(row.keys) };
    };

    const first = await serve(t, env);
    children.push(first);
    const before = await waitFor(
      async () => {
        const p = await progress();
        return p.processed >= 2 * importTuning.batchSize ? p : null;
      },
      60_000,
      'the first batches',
    );
    first.kill('SIGKILL');
    await exited(first);

    const killed = await progress();
    expect(killed.status).toBe('running');
    expect(killed.processed).toBeGreaterThanOrEqual(before.processed);
    expect(killed.processed).toBeLessThan(total);
    // Progress and rows are committed together: what the cursor says is exactly what exists.
    expect(await customers()).toEqual({ n: killed.processed, keys: killed.processed });
    const job = await t.deps.db.selectFrom('jobs').select(['status', 'lockedBy', 'attempts']).where('id', '=', killed.jobId ?? '').executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'running', attempts: 1 });
    expect(job.lockedBy).toContain(`:${String(first.pid)}:`);

    const second = await serve(t, env);
    children.push(second);
    await waitFor(async () => ((await progress()).status === 'done' ? true : null), 120_000, 'the import to finish');
    second.kill('SIGTERM');
    await exited(second);

    const done = await progress();
    expect(done).toMatchObject({ status: 'done', processed: total, createdCount: total, nextRow: total + 2 });
    expect(await customers()).toEqual({ n: total, keys: total });
    const finished = await t.deps.db.selectFrom('jobs').select(['status', 'attempts', 'lockedBy']).where('id', '=', killed.jobId ?? '').executeTakeFirstOrThrow();
    expect(finished).toEqual({ status: 'done', attempts: 2, lockedBy: null });
    const view = await ws.admin.get<{ processed: number; failed: number; skipped: number }>(`/api/v1/imports/${id}`);
    expect(view.body).toMatchObject({ processed: total, failed: 0, skipped: 0 });
  }, 180_000);
});
