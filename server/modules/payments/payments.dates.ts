import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { workspaceTimezone } from '../follow-ups/follow-ups.repo';
import { dateInZone } from '../todo/todo.service';

/** Today's date (YYYY-MM-DD) in the workspace's time zone: due dates are calendar days there. */
export async function workspaceToday(deps: Pick<Deps, 'now'>, db: Kysely<Database>, workspaceId: string): Promise<string> {
  return dateInZone(deps.now(), await workspaceTimezone(db, workspaceId));
}

/** A YYYY-MM-DD date moved by whole days (calendar arithmetic in UTC, no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
