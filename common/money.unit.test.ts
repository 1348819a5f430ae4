import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from './money';

describe('money', () => {
  it('parses decimal strings to exact cents without floating point', () => {
    expect(parseMoney('1234.5')).toBe(123450);
    expect(parseMoney('0.1')).toBe(10);
    expect(parseMoney('0.29')).toBe(29);
    expect(parseMoney('-7.05')).toBe(-705);
    expect(parseMoney('1,234.56')).toBe(123456);
    expect(parseMoney('1.234')).toBeNull();
    expect(parseMoney('abc')).toBeNull();
  });

  it('formats cents with two digits and round-trips', () => {
    expect(formatMoney(123450)).toBe('1234.50');
    expect(formatMoney(-705)).toBe('-7.05');
    expect(formatMoney(0)).toBe('0.00');
    for (const text of ['0.01', '19.99', '1000000.00']) {
      expect(formatMoney(parseMoney(text) ?? NaN)).toBe(text);
    }
  });
});
