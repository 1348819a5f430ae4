import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, DummyDriver, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DialectName } from '../db/dialect';
import { customerListSpec } from '../modules/customers/customers.list-spec';
import { countCappedParts, fetchKeysetRows, keysetWalks, nextCursorOf, sortValueOf } from './list-page';
import { parseListQuery } from './parse-list';

const open = () => ({ access: 'edit' as const, masked: false });

function compile(dialect: DialectName, walk: ReturnType<typeof keysetWalks>[number]): string {
  return compiled(dialect, walk).sql;
}

function compiled(dialect: DialectName, walk: ReturnType<typeof keysetWalks>[number]) {
  const db = new Kysely<Record<string, never>>({
    dialect:
      dialect === 'postgres'
        ? { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() }
        : { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new SqliteIntrospector(k), createQueryCompiler: () => new SqliteQueryCompiler() },
  });
  const where = walk.where.length > 0 ? sql.join(walk.where, sql` and `) : sql`1 = 1`;
  return sql`select c.id from customers c where ${where} order by ${walk.orderBy}`.compile(db);
}

function list(query: Record<string, string>) {
  return parseListQuery(query, customerListSpec, [], open);
}

describe('keysetWalks', () => {
  it('walks a NOT NULL sort once, seeking past the cursor', () => {
    const first = keysetWalks('sqlite', customerListSpec, list({ sort: '-updatedAt' }));
    expect(first).toHaveLength(1);
    expect(compile('sqlite', first[0] as never)).toBe('select c.id from customers c where 1 = 1 order by "c"."updated_at" desc, "c"."id" desc');
    const cursor = nextCursorOf(list({ sort: '-updatedAt', limit: '1' }), [
      { id: '00000000-0000-0000-0000-000000000001', updatedAt: '2026-01-02T00:00:00.000Z' },
      { id: '00000000-0000-0000-0000-000000000002', updatedAt: '2026-01-01T00:00:00.000Z' },
    ] as never);
    const next = keysetWalks('sqlite', customerListSpec, list({ sort: '-updatedAt', cursor: cursor ?? '' }));
    expect(next).toHaveLength(1);
    expect(compile('sqlite', next[0] as never)).toContain('"c"."updated_at" <= ? and ("c"."updated_at" < ? or ("c"."updated_at" = ? and "c"."id" < ?))');
  });

  it('walks a nullable sort as values first (no CASE: the index serves it), then NULLs by id', () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const walks = keysetWalks(dialect, customerListSpec, list({ sort: '-lastFollowupAt' }));
      expect(walks).toHaveLength(2);
      const [values, nulls] = walks.map((w) => compile(dialect, w));
      expect(values).toContain('"c"."last_followup_at" is not null');
      expect(values).not.toContain('case');
      expect(nulls).toContain('"c"."last_followup_at" is null');
      expect(nulls).not.toContain('case');
    }
    // PostgreSQL's btree keeps NULLs last ascending: the ORDER BY must say so to be served by it.
    expect(compile('postgres', keysetWalks('postgres', customerListSpec, list({ sort: '-lastFollowupAt' }))[1] as never)).toMatch(/desc nulls first, "c"."id" desc$/);
    expect(compile('postgres', keysetWalks('postgres', customerListSpec, list({ sort: 'lastFollowupAt' }))[1] as never)).toMatch(/asc nulls last, "c"."id" asc$/);
  });

  it('knows which part a cursor is in', () => {
    const inValues = nextCursorOf(list({ sort: 'nextFollowupAt', limit: '1' }), [
      { id: '00000000-0000-0000-0000-000000000001', nextFollowupAt: '2026-01-01T00:00:00.000Z' },
      { id: '00000000-0000-0000-0000-000000000002', nextFollowupAt: null },
    ] as never);
    expect(keysetWalks('sqlite', customerListSpec, list({ sort: 'nextFollowupAt', cursor: inValues ?? '' }))).toHaveLength(2);
    const inNulls = nextCursorOf(list({ sort: 'nextFollowupAt', limit: '1' }), [
      { id: '00000000-0000-0000-0000-000000000002', nextFollowupAt: null },
      { id: '00000000-0000-0000-0000-000000000003', nextFollowupAt: null },
    ] as never);
    const walks = keysetWalks('sqlite', customerListSpec, list({ sort: 'nextFollowupAt', cursor: inNulls ?? '' }));
    expect(walks).toHaveLength(1);
    expect(compile('sqlite', walks[0] as never)).toBe('select c.id from customers c where "c"."next_followup_at" is null and "c"."id" > ? order by "c"."next_followup_at" asc, "c"."id" asc');
  });
});

describe('keysetWalks rowsOfScope', () => {
  it('keeps the sort index out of a narrow scope\'s walk on SQLite (unary plus), in WHERE and ORDER BY', () => {
    const cursor = nextCursorOf(list({ sort: 'name', limit: '1' }), [
      { id: '00000000-0000-0000-0000-000000000001', name: 'A', nameKey: 'a' },
      { id: '00000000-0000-0000-0000-000000000002', name: 'B', nameKey: 'b' },
    ] as never);
    const [walk] = keysetWalks('sqlite', customerListSpec, list({ sort: 'name', cursor: cursor ?? '' }), { rowsOfScope: true });
    expect(walk?.rowsOfScope).toBe(true);
    expect(compile('sqlite', walk as never)).toBe(
      'select c.id from customers c where (+"c"."name_key" >= ? and (+"c"."name_key" > ? or (+"c"."name_key" = ? and "c"."id" > ?))) order by +"c"."name_key" asc, "c"."id" asc',
    );
    const nullable = keysetWalks('sqlite', customerListSpec, list({ sort: '-lastFollowupAt' }), { rowsOfScope: true }).map((w) => compile('sqlite', w));
    expect(nullable).toEqual([
      'select c.id from customers c where +"c"."last_followup_at" is not null order by +"c"."last_followup_at" desc, "c"."id" desc',
      'select c.id from customers c where +"c"."last_followup_at" is null order by +"c"."last_followup_at" desc, "c"."id" desc',
    ]);
  });

  it('leaves PostgreSQL and ordinary walks as they were', () => {
    const [pg] = keysetWalks('postgres', customerListSpec, list({ sort: 'name' }), { rowsOfScope: true });
    expect(pg?.rowsOfScope).toBeUndefined();
    expect(compile('postgres', pg as never)).toBe('select c.id from customers c where 1 = 1 order by "c"."name_key" asc, "c"."id" asc');
    const [plain] = keysetWalks('sqlite', customerListSpec, list({ sort: 'name' }));
    expect(plain?.rowsOfScope).toBeUndefined();
    expect(compile('sqlite', plain as never)).toBe('select c.id from customers c where 1 = 1 order by "c"."name_key" asc, "c"."id" asc');
  });
});

describe('a sort by another column (sortBy)', () => {
  it('takes the cursor value from the row\'s key and refuses a row without it', () => {
    const rows = [
      { id: '00000000-0000-0000-0000-000000000001', name: 'Acme Co., Ltd.', nameKey: 'acme' },
      { id: '00000000-0000-0000-0000-000000000002', name: 'ACME', nameKey: 'acme' },
    ];
    const cursor = nextCursorOf(list({ sort: 'name', limit: '1' }), rows);
    const [walk] = keysetWalks('sqlite', customerListSpec, list({ sort: 'name', cursor: cursor ?? '' }));
    expect(walk && compiled('sqlite', walk).parameters).toEqual(['acme', 'acme', 'acme', '00000000-0000-0000-0000-000000000001']);
    // A pinned key (name=, name[in]=) is read through its index and sorted: no sort-index walk on SQLite.
    const pinned = keysetWalks('sqlite', customerListSpec, list({ sort: '-createdAt', name: 'ACME' }));
    expect(compile('sqlite', pinned[0] as never)).toBe('select c.id from customers c where 1 = 1 order by +"c"."created_at" desc, "c"."id" desc');
    const contains = keysetWalks('sqlite', customerListSpec, list({ sort: '-createdAt', 'name[contains]': 'ACME' }));
    expect(compile('sqlite', contains[0] as never)).toBe('select c.id from customers c where 1 = 1 order by "c"."created_at" desc, "c"."id" desc');
    expect(() => nextCursorOf(list({ sort: 'name', limit: '1' }), [{ id: rows[0]?.id, name: 'A' }, { id: rows[1]?.id, name: 'B' }] as never)).toThrow(/nameKey/);
  });
});

describe('fetchKeysetRows and counts', () => {
  it('runs the second walk only when the first leaves the page short', async () => {
    const calls: number[] = [];
    const walks = keysetWalks('sqlite', customerListSpec, list({ sort: 'lastFollowupAt' }));
    const full = await fetchKeysetRows(walks, 2, async (_walk, limit) => {
      calls.push(limit);
      return Array.from({ length: limit }, (_, i) => i);
    });
    expect(full).toEqual([0, 1, 2]);
    expect(calls).toEqual([3]);
    calls.length = 0;
    const short = await fetchKeysetRows(walks, 5, async (_walk, limit) => {
      calls.push(limit);
      return calls.length === 1 ? [1, 2] : Array.from({ length: limit }, () => 9);
    });
    expect(short).toEqual([1, 2, 9, 9, 9, 9]);
    expect(calls).toEqual([6, 4]);
  });

  it('reads sort values from columns and from the custom JSON', () => {
    const parsed = parseListQuery({ sort: '-cf.size' }, customerListSpec, [{ key: 'size', label: 'Size', type: 'number', required: false, unique: false, options: [] }], open);
    expect(sortValueOf(parsed, { custom: '{"size":12}' })).toBe(12);
    expect(sortValueOf(parsed, { custom: { size: 'x' } })).toBe('x');
    expect(sortValueOf(parsed, { custom: '{}' })).toBeNull();
    expect(sortValueOf(list({ sort: 'createdAt' }), { createdAt: new Date('2026-01-01T00:00:00.000Z') })).toBe('2026-01-01T00:00:00.000Z');
  });

  it('sums capped parts and stops at the cap', async () => {
    const part = (n: number) => async (cap: number) => ({ total: Math.min(n, cap), exact: n <= cap });
    expect(await countCappedParts([part(3), part(4)], 10)).toEqual({ total: 7, exact: true });
    expect(await countCappedParts([part(8), part(4)], 10)).toEqual({ total: 10, exact: false });
    expect(await countCappedParts([part(12), part(4)], 10)).toEqual({ total: 10, exact: false });
    expect(await countCappedParts([part(10), part(0)], 10)).toEqual({ total: 10, exact: true });
  });
});
