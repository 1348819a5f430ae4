import { type Kysely, type SqlBool, sql } from 'kysely';
import type { TimelineKind } from '../../../common/timeline-kinds';
import type { Database } from '../../db/types';

/** One keyset page of a customer's timeline, newest first, with the actor's name joined. */
export async function listTimelineRows(
  db: Kysely<Database>,
  workspaceId: string,
  customerId: string,
  kinds: { only: readonly TimelineKind[]; except: readonly TimelineKind[]; exceptEntities?: readonly string[] },
  before: { createdAt: string; id: string } | undefined,
  limit: number,
) {
  let q = db
    .selectFrom('timelineEvents as te')
    .leftJoin('users as u', 'u.id', 'te.actorUserId')
    .select(['te.id', 'te.kind', 'te.entity', 'te.recordId', 'te.actorUserId', 'u.name as actorName', 'te.data', 'te.createdAt'])
    .where('te.workspaceId', '=', workspaceId)
    .where('te.customerId', '=', customerId);
  if (kinds.only.length > 0) {
    q = q.where('te.kind', 'in', kinds.only);
  }
  if (kinds.except.length > 0) {
    q = q.where('te.kind', 'not in', kinds.except);
  }
  if (kinds.exceptEntities && kinds.exceptEntities.length > 0) {
    q = q.where('te.entity', 'not in', kinds.exceptEntities);
  }
  if (before) {
    q = q.where(sql<SqlBool>`(te.created_at < ${before.createdAt} or (te.created_at = ${before.createdAt} and te.id < ${before.id}))`);
  }
  return q.orderBy('te.createdAt', 'desc').orderBy('te.id', 'desc').limit(limit + 1).execute();
}

export type TimelineRow = Awaited<ReturnType<typeof listTimelineRows>>[number];

/** A follow-up's entry mirrors the follow-up: edited with it… */
export async function updateFollowUpEntry(db: Kysely<Database>, workspaceId: string, customerId: string, followUpId: string, data: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('timelineEvents')
    .set({ data: JSON.stringify(data) })
    .where('workspaceId', '=', workspaceId)
    .where('customerId', '=', customerId)
    .where('kind', '=', 'follow_up')
    .where('entity', '=', 'followUp')
    .where('recordId', '=', followUpId)
    .execute();
}

/** …and gone with it, so a deleted follow-up's text does not live on in the history. */
export async function deleteFollowUpEntry(db: Kysely<Database>, workspaceId: string, customerId: string, followUpId: string): Promise<void> {
  await db
    .deleteFrom('timelineEvents')
    .where('workspaceId', '=', workspaceId)
    .where('customerId', '=', customerId)
    .where('kind', '=', 'follow_up')
    .where('entity', '=', 'followUp')
    .where('recordId', '=', followUpId)
    .execute();
}

export async function findTimelineItem(db: Kysely<Database>, workspaceId: string, id: string) {
  return db
    .selectFrom('timelineEvents as te')
    .leftJoin('users as u', 'u.id', 'te.actorUserId')
    .select(['te.id', 'te.kind', 'te.entity', 'te.recordId', 'te.actorUserId', 'u.name as actorName', 'te.data', 'te.createdAt'])
    .where('te.workspaceId', '=', workspaceId)
    .where('te.id', '=', id)
    .executeTakeFirst();
}
