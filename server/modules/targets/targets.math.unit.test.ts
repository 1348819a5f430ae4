import { describe, expect, it } from 'vitest';
import { percentOf, periodRange, spreadYear, targetForRange } from './targets.math';

describe('targets math', () => {
  it('spreads a year total exactly over 12 months', () => {
    const months = spreadYear(100_000);
    expect(months.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(months.slice(0, 8)).toEqual(Array(8).fill(8333));
    expect(months.slice(8)).toEqual(Array(4).fill(8334));
  });

  it('turns periods into inclusive date ranges (leap years, quarters, defaults from today)', () => {
    expect(periodRange({ period: 'month', year: 2024, month: 2 }, '2026-05-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodRange({ period: 'month' }, '2026-05-10')).toEqual({ from: '2026-05-01', to: '2026-05-31' });
    expect(periodRange({ period: 'quarter', year: 2026, quarter: 4 }, '2026-05-10')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(periodRange({ period: 'quarter' }, '2026-05-10')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(periodRange({ period: 'year', year: 2027 }, '2026-05-10')).toEqual({ from: '2027-01-01', to: '2027-12-31' });
    expect(periodRange({ period: 'custom', from: '2026-01-15', to: '2026-02-14' }, '2026-05-10')).toEqual({ from: '2026-01-15', to: '2026-02-14' });
  });

  it('prorates partial months by days and spans years', () => {
    const months = Array.from({ length: 12 }, (_v, i) => (i + 1) * 1000);
    const of = (y: number) => (y === 2026 ? months : y === 2027 ? Array(12).fill(3100) : undefined);
    expect(targetForRange(of, '2026-01-01', '2026-12-31')).toBe(78_000);
    expect(targetForRange(of, '2026-04-01', '2026-06-30')).toBe(15_000);
    expect(targetForRange(of, '2026-06-01', '2026-06-15')).toBe(3000); // half of June's 6000
    expect(targetForRange(of, '2026-12-01', '2027-01-10')).toBe(12_000 + 1000); // 10/31 of 3100
    expect(targetForRange(of, '2025-12-01', '2025-12-31')).toBe(0);
  });

  it('computes percentages with two decimals, null without a target', () => {
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(250, 200)).toBe(125);
    expect(percentOf(5, 0)).toBeNull();
  });
});
