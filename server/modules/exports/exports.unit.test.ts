import { describe, expect, it } from 'vitest';
import { csvRecord, timeFormatter } from './exports.columns';

describe('export cells', () => {
  it('writes RFC 4180 records and defuses formulas (CSV injection) but not phone numbers', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'two\nlines'])).toBe('a,"b,c","say ""hi""","two\nlines"\r\n');
    expect(csvRecord(['=HYPERLINK("x")', '@SUM(A1)', '-2+3', '+86 138 0000 0000', '-12.5', '中文'])).toBe(`"'=HYPERLINK(""x"")",'@SUM(A1),'-2+3,+86 138 0000 0000,-12.5,中文\r\n`);
  });

  it('shows instants in the workspace time zone', () => {
    expect(timeFormatter('Asia/Shanghai')('2026-01-31T16:30:00.000Z')).toBe('2026-02-01 00:30:00');
    expect(timeFormatter('UTC')('2026-01-31T16:30:00.000Z')).toBe('2026-01-31 16:30:00');
    expect(timeFormatter('America/New_York')('2026-07-01T12:00:00.000Z')).toBe('2026-07-01 08:00:00');
    expect(timeFormatter('Asia/Shanghai')(null)).toBe('');
    expect(timeFormatter('Not/AZone')('2026-01-31T16:30:00.000Z')).toBe('2026-01-31 16:30:00');
  });
});
