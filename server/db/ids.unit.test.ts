import { describe, expect, it, vi } from 'vitest';
import { idPattern, newId } from './ids';

function timestampOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

function expectStrictlyIncreasing(ids: string[]): void {
  for (let i = 1; i < ids.length; i += 1) {
    if (!((ids[i - 1] ?? '') < (ids[i] ?? ''))) {
      throw new Error(`ids out of order at ${i}: ${ids[i - 1]} !< ${ids[i]}`);
    }
  }
}

describe('newId (UUIDv7)', () => {
  it('is a lower-case UUID with version 7 and the RFC 9562 variant', () => {
    for (let i = 0; i < 200; i += 1) {
      const id = newId();
      expect(id).toMatch(idPattern);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('carries its creation time in the first 48 bits', async () => {
    // A fresh module: the generator remembers the latest millisecond it has used (other tests
    // here use future ones), and never goes below it.
    vi.resetModules();
    const fresh = await import('./ids');
    const before = Date.now();
    const id = fresh.newId();
    expect(timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(id)).toBeLessThanOrEqual(Date.now());
    const at = Date.UTC(2031, 5, 1, 12, 0, 0, 123);
    expect(timestampOf(fresh.newId(at))).toBe(at);
  });

  it('orders ids made in the same millisecond, even past the 12-bit counter', () => {
    const at = Date.UTC(2032, 0, 1);
    // More ids than the counter holds: the generator borrows the next millisecond rather than repeat.
    const ids = Array.from({ length: 5000 }, () => newId(at));
    expectStrictlyIncreasing(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(timestampOf(ids[0] ?? '')).toBe(at);
  });

  it('orders ids across milliseconds', () => {
    const at = Date.UTC(2033, 0, 1);
    const ids: string[] = [];
    for (let ms = 0; ms < 50; ms += 1) {
      for (let i = 0; i < 3; i += 1) {
        ids.push(newId(at + ms));
      }
    }
    expectStrictlyIncreasing(ids);
  });

  it('stays ordered when the clock steps back', () => {
    const at = Date.UTC(2034, 0, 1);
    const ids = [newId(at + 10), newId(at), newId(at - 5000), newId(at + 10), newId(at + 11)];
    expectStrictlyIncreasing(ids);
  });

  it('does not repeat', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expectStrictlyIncreasing(ids);
  });

  it('draws fresh random bits for every id (ids come from a shared pool of random bytes)', () => {
    // The last 62 bits are random: over a few pool refills no two ids may share them.
    const tails = Array.from({ length: 2000 }, () => newId().replace(/-/g, '').slice(17));
    expect(new Set(tails).size).toBe(tails.length);
  });
});
