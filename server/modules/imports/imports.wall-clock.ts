/** A wall-clock time in the workspace's zone (its fields as if UTC, in ms) → the instant it names (UTC ms). */
export type WallClock = (wallMs: number) => number;

/**
 * Wall-clock times of one IANA zone → instants. Offsets are looked up once per hour and cached,
 * so a million cells cost a few thousand Intl calls at most. An unknown zone reads as UTC.
 */
export function wallClockIn(timeZone: string): WallClock {
  let format: Intl.DateTimeFormat;
  const options = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' } as const;
  try {
    format = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
  } catch {
    format = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
  }
  const offsets = new Map<number, number>();
  const offsetAt = (utcMs: number): number => {
    const hourStart = Math.floor(utcMs / 3_600_000) * 3_600_000;
    let offset = offsets.get(hourStart);
    if (offset === undefined) {
      const part: Record<string, number> = {};
      for (const p of format.formatToParts(new Date(hourStart))) {
        part[p.type] = Number(p.value);
      }
      offset = Date.UTC(part.year ?? 1970, (part.month ?? 1) - 1, part.day ?? 1, part.hour ?? 0, part.minute ?? 0, part.second ?? 0) - hourStart;
      offsets.set(hourStart, offset);
    }
    return offset;
  };
  // Two steps find the offset in force at the wall-clock time itself, also next to a DST change.
  return (wallMs) => {
    const guess = wallMs - offsetAt(wallMs);
    return wallMs - offsetAt(guess);
  };
}
