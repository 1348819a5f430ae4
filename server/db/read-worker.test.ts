import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { longRead, longReadTuning } from './read-worker';

interface Row {
  id: number;
  name: string;
  createdAt: string;
}

const rowCount = 20_000;
const all = sql<Row>`select id, name, created_at from lr_rows where id > ${0} order by id`;
/** A read that takes about a second on either database, whatever the machine's tables hold. */
const slowCount = sql<{ n: number }>`with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000000) select count(*) as n from n`;

describe('long reads (read-worker)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await sql`create table lr_rows (id integer primary key, name text not null, created_at text not null)`.execute(t.deps.db);
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${sql.lit(rowCount)})
      insert into lr_rows (id, name, created_at) select i, 'row ' || i, '2026-01-01T00:00:00.000Z' from n`.execute(t.deps.db);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers exactly what a direct query answers, with the app’s column naming', async () => {
    const direct = (await all.execute(t.deps.db)).rows;
    expect(direct).toHaveLength(rowCount);
    const rows = await longRead(t.deps).all(all.compile(t.deps.db));
    expect(rows).toEqual(direct);
    expect(Object.keys(rows[0] ?? {})).toEqual(['id', 'name', 'createdAt']);
    const builder = t.deps.db.selectFrom('workspaces').select(['id', 'createdAt']).orderBy('id');
    expect(await longRead(t.deps).all(builder)).toEqual(await builder.execute());
    expect(await longRead(t.deps).first(sql<{ n: number }>`select count(*) as n from lr_rows where id > ${100}`.compile(t.deps.db))).toEqual({ n: rowCount - 100 });
  });

  it('streams in batches of the asked size, and stops early when the consumer stops', async () => {
    const sizes: number[] = [];
    const streamed: Row[] = [];
    for await (const batch of longRead(t.deps).stream(all.compile(t.deps.db), { batchSize: 3000 })) {
      sizes.push(batch.length);
      streamed.push(...batch);
      // A slow consumer: the reader must wait for it, not run ahead.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(sizes).toEqual([3000, 3000, 3000, 3000, 3000, 3000, 2000]);
    expect(streamed).toEqual((await all.execute(t.deps.db)).rows);

    let seen = 0;
    for await (const batch of longRead(t.deps).stream(all.compile(t.deps.db), { batchSize: 500 })) {
      seen += batch.length;
      if (seen >= 1000) {
        break;
      }
    }
    expect(seen).toBe(1000);
    const abort = new AbortController();
    const stopped = (async () => {
      for await (const _batch of longRead(t.deps).stream(all.compile(t.deps.db), { batchSize: 100, signal: abort.signal })) {
        abort.abort();
      }
    })();
    await expect(stopped).rejects.toThrow();
    // Every worker is free again for the next reads.
    const again = await Promise.all(Array.from({ length: longReadTuning.maxWorkers + 1 }, () => longRead(t.deps).first(sql<{ n: number }>`select count(*) as n from lr_rows`.compile(t.deps.db))));
    expect(again).toEqual(Array.from({ length: longReadTuning.maxWorkers + 1 }, () => ({ n: rowCount })));
    // Idle workers stop; the next read starts a new one.
    const idleMs = longReadTuning.idleMs;
    longReadTuning.idleMs = 10;
    try {
      await longRead(t.deps).first(sql`select 1 as one`.compile(t.deps.db));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await longRead(t.deps).first(sql<{ n: number }>`select count(*) as n from lr_rows`.compile(t.deps.db))).toEqual({ n: rowCount });
    } finally {
      longReadTuning.idleMs = idleMs;
    }
  });

  it('reports SQL errors as errors with the driver’s code', async () => {
    const error = await longRead(t.deps)
      .all(sql`select nope from lr_rows`.compile(t.deps.db))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toMatch(/^(SQLITE_ERROR|42703)$/);
    const streamed = (async () => {
      for await (const _batch of longRead(t.deps).stream(sql`select nope from lr_rows`.compile(t.deps.db))) {
        // nothing
      }
    })();
    await expect(streamed).rejects.toThrow(/nope/);
  });

  it('runs any repo function’s queries through its Kysely instance (builders, raw SQL, streams)', async () => {
    const reads = longRead(t.deps);
    const workspaces = (db: typeof t.deps.db) => db.selectFrom('workspaces').select(['id', 'createdAt', 'timezone']).orderBy('id').execute();
    expect(await workspaces(reads.db)).toEqual(await workspaces(t.deps.db));
    expect(await sql<Row>`select id, name, created_at from lr_rows where id <= ${3} order by id`.execute(reads.db)).toEqual(
      await sql<Row>`select id, name, created_at from lr_rows where id <= ${3} order by id`.execute(t.deps.db),
    );
    const count = (db: typeof t.deps.db) => db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(await count(reads.db)).toEqual(await count(t.deps.db));
    if (t.deps.dialect === 'sqlite') {
      // The worker's connection is read-only.
      await expect(sql`delete from lr_rows`.execute(reads.db)).rejects.toThrow();
      let streamed = 0;
      for await (const row of reads.db.selectFrom('workspaces').select('id').stream(1)) {
        streamed += row.id ? 1 : 0;
      }
      expect(streamed).toBe((await workspaces(t.deps.db)).length);
    }
    expect(Number((await sql<{ n: number }>`select count(*) as n from lr_rows`.execute(t.deps.db)).rows[0]?.n)).toBe(rowCount);
  });

  it('keeps answering point requests while a long read runs', async () => {
    // Warm up: the worker is started and the route compiled before measuring.
    await longRead(t.deps).first(sql`select 1 as one`.compile(t.deps.db));
    await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    const started = performance.now();
    let finished = 0;
    const long = longRead(t.deps)
      .first(slowCount.compile(t.deps.db))
      .then((row) => {
        finished = performance.now();
        return row;
      });
    const latencies: number[] = [];
    while (finished === 0) {
      const t0 = performance.now();
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(res.statusCode).toBe(200);
      latencies.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await long).toEqual({ n: 3_000_000 });
    const longMs = finished - started;
    // The long read took long enough that running it on the main thread would have blocked these.
    expect(longMs).toBeGreaterThan(250);
    expect(latencies.length).toBeGreaterThan(5);
    // Generous: the machine is shared; blocked, the worst would be the whole long read.
    expect(Math.max(...latencies)).toBeLessThan(Math.min(200, longMs / 2));
  });
});
