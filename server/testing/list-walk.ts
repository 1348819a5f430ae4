import { expect } from 'vitest';
import type { Client, Response } from './test-app';

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * Every record of a list, following nextCursor page by page (`path` with its query, e.g.
 * `/api/v1/customers?sort=name&limit=2`), mapped by `pick`. Fails on a non-200 page and on a
 * list that does not end within 50 pages (a cursor that never moves on).
 */
export async function walkList<T, V>(client: Client, path: string, pick: (record: T) => V): Promise<V[]> {
  const out: V[] = [];
  let cursor: string | null = null;
  const joiner = path.includes('?') ? '&' : '?';
  for (let i = 0; i < 50; i += 1) {
    const res: Response<Page<T>> = await client.get<Page<T>>(`${path}${cursor ? `${joiner}cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    out.push(...res.body.data.map(pick));
    cursor = res.body.nextCursor;
    if (!cursor) {
      return out;
    }
  }
  throw new Error('too many pages');
}
