import { describe, expect, it } from 'vitest';
import { checkPattern, dateParts, formatNumber, periodOf } from './contracts.numbering-format';

describe('contract numbering format', () => {
  const parts = { yyyy: '2026', MM: '11', dd: '03' };

  it('fills date tokens and pads the sequence to its width without cutting it', () => {
    expect(formatNumber('HT-{yyyyMMdd}-{seq}', parts, 7)).toBe('HT-20261103-0007');
    expect(formatNumber('{yy}{MM}{dd}/{seq:2}', parts, 123)).toBe('261103/123');
    expect(formatNumber('C{yyyy}-{MM}-{seq:6}', parts, 42)).toBe('C2026-11-000042');
    expect(formatNumber('HT{yyyyMM}{seq:1}', parts, 5)).toBe('HT2026115');
  });

  it('periods follow the reset rule', () => {
    expect(periodOf('day', parts)).toBe('20261103');
    expect(periodOf('month', parts)).toBe('202611');
    expect(periodOf('year', parts)).toBe('2026');
    expect(periodOf('never', parts)).toBe('');
  });

  it('checks patterns', () => {
    expect(checkPattern('HT-{yyyyMMdd}-{seq:4}')).toEqual([]);
    expect(checkPattern('HT-{yyyyMMdd}')).toContain('the pattern needs exactly one {seq} or {seq:N}');
    expect(checkPattern('{seq}{seq}')).toContain('the pattern needs exactly one {seq} or {seq:N}');
    expect(checkPattern('HT {seq}')).toContain('literal text may only hold letters, digits and - _ / . #');
    expect(checkPattern('{hh}{seq}')).toContain('unknown token {hh}');
    expect(checkPattern('{seq:0}')).toContain('{seq:N} needs N between 1 and 12');
  });

  it('dates are taken in the workspace time zone', () => {
    const at = new Date('2026-11-22T17:30:00Z');
    expect(dateParts(at, 'Asia/Shanghai')).toEqual({ yyyy: '2026', MM: '11', dd: '23' });
    expect(dateParts(at, 'UTC')).toEqual({ yyyy: '2026', MM: '11', dd: '22' });
  });
});
