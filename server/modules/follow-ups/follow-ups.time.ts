const fallbackZone = 'Asia/Shanghai';

function formatter(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    // A workspace with a time zone this Node.js does not know falls back to the default one.
    return formatter(fallbackZone);
  }
}

/** The wall-clock date and time in a zone, as numbers. */
function wallClock(f: Intl.DateTimeFormat, at: number) {
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(f: Intl.DateTimeFormat, at: number): number {
  const w = wallClock(f, at);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant the next calendar day begins in a time zone ("today" ends there): the workspace's
 * zone decides what today means, not the server's. Daylight-saving shifts are handled by
 * re-reading the offset at the guessed instant.
 */
export function startOfNextDay(now: Date, timeZone: string): Date {
  const f = formatter(timeZone);
  const today = wallClock(f, now.getTime());
  const midnightWall = Date.UTC(today.year, today.month - 1, today.day + 1);
  let guess = midnightWall - offsetAt(f, now.getTime());
  guess = midnightWall - offsetAt(f, guess);
  return new Date(guess);
}
