/**
 * A workspace's time zone as arithmetic: how far its wall clock runs ahead of UTC at an instant
 * (`offsetAt`), and which instant a wall-clock time there names (`toInstant`). Offsets are read
 * through Intl once per hour of time and cached, so formatting or parsing a million values costs
 * a few thousand Intl calls. A zone this Node.js does not know reads as `fallback`.
 */
export interface ZoneClock {
  /** Milliseconds the zone's wall clock is ahead of UTC at the instant `utcMs`. */
  offsetAt: (utcMs: number) => number;
  /** The instant (UTC ms) of a wall-clock time in the zone, given as its fields read as UTC ms. */
  toInstant: (wallMs: number) => number;
}

/** A wall-clock time in the zone (its fields read as UTC ms) → the instant it names (UTC ms). */
export type WallClock = ZoneClock['toInstant'];

const hourMs = 3_600_000;

function formatter(timeZone: string, fallback: string): Intl.DateTimeFormat {
  const options = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' } as const;
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: fallback });
  }
}

export function zoneClock(timeZone: string, fallback = 'UTC'): ZoneClock {
  const format = formatter(timeZone, fallback);
  const offsets = new Map<number, number>();
  const offsetAt = (utcMs: number): number => {
    const hourStart = Math.floor(utcMs / hourMs) * hourMs;
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
  return {
    offsetAt,
    // Two steps find the offset in force at the wall-clock time itself, also next to a DST change.
    toInstant: (wallMs) => wallMs - offsetAt(wallMs - offsetAt(wallMs)),
  };
}
