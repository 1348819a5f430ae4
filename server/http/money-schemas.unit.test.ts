import { describe, expect, it } from 'vitest';
import { moneyInput, moneyInputNonNegative } from './schemas';

describe('money schemas (api.md: decimal strings, stored as cents)', () => {
  it('parses decimal strings and JSON numbers to exact cents', () => {
    expect(moneyInput.parse('1234.5')).toBe(123_450);
    expect(moneyInput.parse(' 1,234.56 ')).toBe(123_456);
    expect(moneyInput.parse(12.5)).toBe(1250);
    expect(moneyInput.parse(0.1)).toBe(10);
    expect(moneyInput.parse('9999999999999.99')).toBe(999_999_999_999_999);
  });

  it('refuses more than two decimals, negatives and text (numbers are not rounded)', () => {
    for (const bad of ['1.005', 1.005, '-1', -1, 'abc', '', '1e3', 1e21]) {
      expect(moneyInput.safeParse(bad).success, String(bad)).toBe(false);
      expect(moneyInputNonNegative.safeParse(bad).success, String(bad)).toBe(false);
    }
  });

  it('zero is legal only where it is (a price, a bound), not for a payment', () => {
    expect(moneyInput.safeParse('0').success).toBe(false);
    expect(moneyInput.safeParse(0).success).toBe(false);
    expect(moneyInputNonNegative.parse('0')).toBe(0);
    expect(moneyInputNonNegative.parse(0)).toBe(0);
  });
});
