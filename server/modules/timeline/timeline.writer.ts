import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import { newId } from '../../db/ids';

/** Kinds of entries on a customer's 360° timeline; later modules add theirs (deal, contract, …). */
export type TimelineKind =
  | 'created'
  | 'field_change'
  | 'owner_change'
  | 'follow_up'
  | 'comment'
  | 'contact_added'
  | 'deleted'
  | 'restored'
  | 'merged'
  | 'locked'
  | 'unlocked'
  | (string & {});

export interface TimelineEntry {
  workspaceId: string;
  customerId: string;
  entity: string;
  recordId: string;
  kind: TimelineKind;
  actorUserId: string | null;
  data: Record<string, unknown> | null;
  at: string;
}

/**
 * Appends to a customer's timeline, inside the caller's transaction so history and change agree.
 * Returns the new entries' ids, in order.
 */
export async function appendTimeline(db: Kysely<Database>, entries: TimelineEntry | readonly TimelineEntry[]): Promise<string[]> {
  const list = Array.isArray(entries) ? (entries as readonly TimelineEntry[]) : [entries as TimelineEntry];
  if (list.length === 0) {
    return [];
  }
  const ids = list.map(() => newId());
  await db
    .insertInto('timelineEvents')
    .values(
      list.map((e, i) => ({
        id: ids[i] ?? newId(),
        workspaceId: e.workspaceId,
        customerId: e.customerId,
        entity: e.entity,
        recordId: e.recordId,
        kind: e.kind,
        actorUserId: e.actorUserId,
        data: e.data === null ? null : JSON.stringify(e.data),
        createdAt: e.at,
      })),
    )
    .execute();
  return ids;
}

/** The from → to of every changed field, for field_change entries and the audit trail. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>, keys: readonly string[]) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of keys) {
    if (!(key in after)) {
      continue;
    }
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) {
      changes[key] = { from, to };
    }
  }
  return changes;
}
