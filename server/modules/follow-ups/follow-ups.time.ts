import { zoneClock } from '../../../common/time-zone';

/**
 * The instant the next calendar day begins in a time zone ("today" ends there): the workspace's
 * zone decides what today means, not the server's. A zone this Node.js does not know reads as the
 * default one, Asia/Shanghai.
 */
export function startOfNextDay(now: Date, timeZone: string): Date {
  const zone = zoneClock(timeZone, 'Asia/Shanghai');
  const wallNow = new Date(now.getTime() + zone.offsetAt(now.getTime()));
  return new Date(zone.toInstant(Date.UTC(wallNow.getUTCFullYear(), wallNow.getUTCMonth(), wallNow.getUTCDate() + 1)));
}
