import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { can } from '../permissions/permissions.service';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { countMine, listMine, type MineKinds, type MineRange } from './follow-ups.mine-repo';
import { workspaceTimezone } from './follow-ups.repo';
import type { MineBucket, MineItem } from './follow-ups.schema';
import { startOfNextDay } from './follow-ups.time';

/**
 * 待跟进: the caller's own customers, contacts, open deals and open leads by next follow-up time, in three buckets that
 * never overlap — overdue (before now), today (from now to midnight in the workspace's time
 * zone) and upcoming (later) — with the size of each.
 */
/** Deals and leads are on someone's agenda only when they may see them (their own, at least). */
export function mineKinds(auth: Pick<AuthContext, 'permissions'>): MineKinds {
  return { deals: can(auth.permissions, 'deal:view'), leads: can(auth.permissions, 'lead:view') };
}

export async function mineFollowUps(deps: Deps, auth: AuthContext, query: { bucket: MineBucket; limit: number; cursor?: string | undefined }) {
  const userId = auth.userId;
  if (!userId) {
    return { data: [], nextCursor: null, counts: { today: 0, overdue: 0, upcoming: 0 } };
  }
  const now = deps.now();
  const nowIso = now.toISOString();
  const tomorrow = startOfNextDay(now, await workspaceTimezone(deps.db, auth.workspaceId)).toISOString();
  const ranges: Record<MineBucket, MineRange> = { overdue: { to: nowIso }, today: { from: nowIso, to: tomorrow }, upcoming: { from: tomorrow } };
  const after = query.cursor ? decodeCursor(query.cursor, ['nextFollowupAt', 'id']) : undefined;
  const kinds = mineKinds(auth);
  const [rows, counts] = await Promise.all([
    listMine(deps.db, auth.workspaceId, userId, ranges[query.bucket], kinds, after, query.limit),
    countMine(deps.db, auth.workspaceId, userId, kinds, nowIso, tomorrow),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((r): MineItem => ({ ...r, nextFollowupAt: r.nextFollowupAt ?? '' })),
    nextCursor: rows.length > query.limit && last?.nextFollowupAt ? encodeCursor({ nextFollowupAt: last.nextFollowupAt, id: last.recordId }) : null,
    counts,
  };
}
