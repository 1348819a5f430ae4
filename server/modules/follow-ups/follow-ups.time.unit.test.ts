import { describe, expect, it } from 'vitest';
import { startOfNextDay } from './follow-ups.time';

describe('startOfNextDay', () => {
  it('ends "today" at midnight in the workspace time zone', () => {
    // 2026-03-10 23:30 UTC is already 2026-03-11 07:30 in Shanghai: today ends 2026-03-11 16:00 UTC.
    expect(startOfNextDay(new Date('2026-03-10T23:30:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-03-11T16:00:00.000Z');
    expect(startOfNextDay(new Date('2026-03-10T15:59:59Z'), 'Asia/Shanghai').toISOString()).toBe('2026-03-10T16:00:00.000Z');
    expect(startOfNextDay(new Date('2026-03-10T12:00:00Z'), 'UTC').toISOString()).toBe('2026-03-11T00:00:00.000Z');
  });

  it('follows daylight-saving changes and falls back on an unknown zone', () => {
    // New York springs forward on 2026-03-08: the next midnight is at UTC-4.
    expect(startOfNextDay(new Date('2026-03-08T12:00:00Z'), 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfNextDay(new Date('2026-03-07T12:00:00Z'), 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfNextDay(new Date('2026-03-10T12:00:00Z'), 'Not/AZone').toISOString()).toBe('2026-03-10T16:00:00.000Z');
  });
});
