import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import { findFollowupSummary, type FollowupSummary, latestFollowUp, setContactFollowup, setCustomerFollowup } from './follow-ups.repo';

/**
 * The last / next follow-up summary a record carries (customers, contacts, leads, deals) follows
 * its newest live follow-up. These keep it right when a follow-up is edited or deleted, wherever
 * the follow-up hangs.
 */

/** Lists show the start of the last follow-up; the follow-up itself keeps all of it. */
export const summaryLength = 1000;

export type Parent = { customerId: string } | { contactId: string };

interface Latest {
  createdAt: string;
  content: string;
  nextFollowupAt: string | null;
}

/**
 * What a record's summary becomes once its newest follow-up changed or went away: the (new)
 * newest one's. With none left, a next time that came from the removed follow-up is cleared; one
 * set by hand on the record stays.
 */
function summaryAfter(latest: Latest | undefined, currentNext: string | null, removedNext: string | null): FollowupSummary {
  if (latest) {
    return { lastFollowupAt: latest.createdAt, lastFollowupContent: latest.content.slice(0, summaryLength), nextFollowupAt: latest.nextFollowupAt };
  }
  return { lastFollowupAt: null, lastFollowupContent: null, nextFollowupAt: currentNext === removedNext ? null : currentNext };
}

/** The customer and contact a follow-up counts for (a deal's follow-up: the deal's customer and contact). */
function parentsOf(row: { customerId: string | null; contactId: string | null }): Parent[] {
  const parents: Parent[] = [];
  if (row.customerId) {
    parents.push({ customerId: row.customerId });
  }
  if (row.contactId) {
    parents.push({ contactId: row.contactId });
  }
  return parents;
}

/** The customer and contact of `row` whose newest follow-up is `row`: only their summaries change with it. */
export async function newestParents(trx: Kysely<Database>, workspaceId: string, row: { id: string; customerId: string | null; contactId: string | null }): Promise<Parent[]> {
  const newest: Parent[] = [];
  for (const parent of parentsOf(row)) {
    if ((await latestFollowUp(trx, workspaceId, parent))?.id === row.id) {
      newest.push(parent);
    }
  }
  return newest;
}

/** Sets each parent's summary from its newest live follow-up now (`removedNext`: a deleted follow-up's next time). */
export async function refreshParents(trx: Kysely<Database>, workspaceId: string, parents: readonly Parent[], removedNext: string | null): Promise<void> {
  for (const parent of parents) {
    const latest = await latestFollowUp(trx, workspaceId, parent);
    const current = latest ? null : await findFollowupSummary(trx, workspaceId, parent);
    const summary = summaryAfter(latest, current?.nextFollowupAt ?? null, removedNext);
    if ('customerId' in parent) {
      await setCustomerFollowup(trx, workspaceId, parent.customerId, summary);
    } else {
      await setContactFollowup(trx, workspaceId, parent.contactId, summary);
    }
  }
}

/** What a lead's or a deal's summary becomes now: summaryAfter over its newest live follow-up. */
export async function recordSummary(trx: Kysely<Database>, workspaceId: string, entity: 'lead' | 'deal', recordId: string, removedNext: string | null): Promise<FollowupSummary> {
  const latest = await trx
    .selectFrom('followUps')
    .select(['createdAt', 'content', 'nextFollowupAt'])
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', entity)
    .where('recordId', '=', recordId)
    .where('deletedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const current = latest
    ? undefined
    : await trx
        .selectFrom(entity === 'lead' ? 'leads' : 'deals')
        .select('nextFollowupAt')
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', recordId)
        .executeTakeFirst();
  return summaryAfter(latest, current?.nextFollowupAt ?? null, removedNext);
}
