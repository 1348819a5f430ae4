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
    // Repeated hours take the cached path; half-hour zones and odd inputs the full one.
    const shanghai = timeFormatter('Asia/Shanghai');
    expect(['2026-01-31T16:30:00.000Z', '2026-01-31T16:59:59.999Z', '2026-01-31T16:00:07Z', '2026-01-31T17:00:00.000Z'].map(shanghai)).toEqual([
      '2026-02-01 00:30:00',
      '2026-02-01 00:59:59',
      '2026-02-01 00:00:07',
      '2026-02-01 01:00:00',
    ]);
    const kolkata = timeFormatter('Asia/Kolkata');
    expect([kolkata('2026-01-31T16:30:00.000Z'), kolkata('2026-01-31T16:45:10.000Z')]).toEqual(['2026-01-31 22:00:00', '2026-01-31 22:15:10']);
    const newYork = timeFormatter('America/New_York');
    // Across the DST change (2026-03-08 07:00 UTC): each hour has its own offset.
    expect([newYork('2026-03-08T06:30:00.000Z'), newYork('2026-03-08T07:30:00.000Z'), newYork('2026-03-08T06:45:00.000Z')]).toEqual(['2026-03-08 01:30:00', '2026-03-08 03:30:00', '2026-03-08 01:45:00']);
    expect(shanghai('2026-01-31 16:30:00')).toBe('2026-02-01 00:30:00');
  });
});
