import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import { newId } from '../../db/ids';
import type { TimelineKind } from '../../../common/timeline-kinds';

export type { TimelineKind } from '../../../common/timeline-kinds';

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
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>, keys: readonly string[], prefix = '') {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of keys) {
    if (!(key in after)) {
      continue;
    }
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) {
      changes[`${prefix}${key}`] = { from, to };
    }
  }
  return changes;
}

/** The from → to of every custom field whose value a write changes, keyed `cf.<key>` (the timeline's field_change form). */
export function customFieldChanges(stored: Record<string, unknown>, values: Record<string, unknown>) {
  return changedFields(stored, values, Object.keys(values), 'cf.');
}

/** One change of a customer's owner (负责人), as every module records it. */
export interface OwnerChange {
  workspaceId: string;
  customerId: string;
  actorUserId: string | null;
  from: string | null;
  to: string | null;
  reason: string | null;
  /** How it happened: transfer, merge, claim, assign, release, recycle, … */
  via: string;
  at: string;
}

/**
 * Records owner changes on the timeline with both people's names as they were at the time (a later
 * rename or deactivation must not rewrite history). One name lookup for the whole batch.
 */
export async function appendOwnerChanges(db: Kysely<Database>, changes: readonly OwnerChange[]): Promise<string[]> {
  if (changes.length === 0) {
    return [];
  }
  const userIds = [...new Set(changes.flatMap((c) => [c.from, c.to]).filter((id): id is string => id !== null))];
  const workspaceId = changes[0]?.workspaceId ?? '';
  const names = new Map<string, string>();
  if (userIds.length > 0) {
    const rows = await db.selectFrom('users').select(['id', 'name']).where('workspaceId', '=', workspaceId).where('id', 'in', userIds).execute();
    for (const row of rows) {
      names.set(row.id, row.name);
    }
  }
  const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  return appendTimeline(
    db,
    changes.map((c) => ({
      workspaceId: c.workspaceId,
      customerId: c.customerId,
      entity: 'customer',
      recordId: c.customerId,
      kind: 'owner_change',
      actorUserId: c.actorUserId,
      data: { from: c.from, fromName: nameOf(c.from), to: c.to, toName: nameOf(c.to), reason: c.reason, via: c.via },
      at: c.at,
    })),
  );
}
