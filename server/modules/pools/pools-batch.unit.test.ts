import { describe, expect, it } from 'vitest';
import { nextBatchSize } from './pools.recycle';

describe('recycling batch size on SQLite (follows how long a batch held the write lock)', () => {
  it('grows quick batches toward 2 s, at most 2× at a time, up to 25,000', () => {
    expect(nextBatchSize(10_000, 1_600)).toBe(12_500);
    expect(nextBatchSize(10_000, 300)).toBe(20_000);
    expect(nextBatchSize(20_000, 100)).toBe(25_000);
  });
  it('shrinks slow batches, at most 2× at a time, down to 2,000', () => {
    expect(nextBatchSize(10_000, 4_000)).toBe(5_000);
    expect(nextBatchSize(10_000, 60_000)).toBe(5_000);
    expect(nextBatchSize(3_000, 8_000)).toBe(2_000);
  });
  it('keeps a batch that took the target time', () => {
    expect(nextBatchSize(12_345, 2_000)).toBe(12_345);
  });
});
