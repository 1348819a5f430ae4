import { type Expression, type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import type { Database } from '../../db/types';
import type { DealLinesTable, DealsTable } from '../../db/types-deals';
import type { ScopeFilter } from '../permissions/scope';
import { updateVersioned } from '../../db/versioned-update';

/** Who may see a deal: its owner is in the caller's scope. */
export function dealScopeCondition(scope: ScopeFilter, column = 'd.owner_id'): Expression<SqlBool> {
  if (scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  if (scope.ownerIds.length === 0) {
    return sql<SqlBool>`1 = 0`;
  }
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(scope.ownerIds)})`;
}

export const dealColumns = [
  'd.id',
  'd.name',
  'd.customerId',
  'cu.name as customerName',
  'd.contactId',
  'ct.name as contactName',
  'd.leadId',
  'd.pipelineId',
  'd.stageId',
  's.name as stageName',
  's.winProbability',
  // Aliased to the API field name (still cents) so list and export cursors find the sort value under it.
  'd.amountCents as amount',
  'd.expectedCloseDate',
  'd.status',
  'd.lostReason',
  'd.ownerId',
  'o.name as ownerName',
  'd.source',
  'd.remark',
  'd.stageEnteredAt',
  'd.lastFollowupAt',
  'd.nextFollowupAt',
  'd.custom',
  'd.closedAt',
  'd.createdBy',
  'd.createdAt',
  'd.updatedAt',
  'd.deletedAt',
  'd.version',
] as const;

export function dealBase(db: Kysely<Database>) {
  return db
    .selectFrom('deals as d')
    .leftJoin('customers as cu', 'cu.id', 'd.customerId')
    .leftJoin('contacts as ct', 'ct.id', 'd.contactId')
    .leftJoin('pipelineStages as s', 's.id', 'd.stageId')
    .leftJoin('users as o', 'o.id', 'd.ownerId')
    .select(dealColumns);
}

export type DealRow = Awaited<ReturnType<typeof findDeal>> & object;

export async function findDeal(db: Kysely<Database>, workspaceId: string, id: string, scope?: ScopeFilter) {
  let q = dealBase(db).where('d.workspaceId', '=', workspaceId).where('d.id', '=', id);
  if (scope) {
    q = q.where(dealScopeCondition(scope));
  }
  return q.executeTakeFirst();
}

export async function insertDeal(db: Kysely<Database>, row: Insertable<DealsTable>): Promise<void> {
  await db.insertInto('deals').values(row).execute();
}

/** Updates with optimistic locking when a version is given; answers how many rows changed. */
export async function updateDealRow(db: Kysely<Database>, workspaceId: string, id: string, patch: Updateable<DealsTable>, now: string, expectedVersion?: number): Promise<number> {
  return updateVersioned(db, 'deals', workspaceId, id, { ...patch, updatedAt: now }, expectedVersion);
}

export async function findLines(db: Kysely<Database>, workspaceId: string, dealId: string) {
  return db
    .selectFrom('dealLines')
    .select(['id', 'productId', 'name', 'unit', 'priceCents', 'quantity', 'discountPercent', 'amountCents'])
    .where('workspaceId', '=', workspaceId)
    .where('dealId', '=', dealId)
    .orderBy('sort')
    .execute();
}

export async function replaceLines(db: Kysely<Database>, workspaceId: string, dealId: string, lines: readonly Insertable<DealLinesTable>[]): Promise<void> {
  await db.deleteFrom('dealLines').where('workspaceId', '=', workspaceId).where('dealId', '=', dealId).execute();
  if (lines.length > 0) {
    await db.insertInto('dealLines').values([...lines]).execute();
  }
}

export async function findStageHistory(db: Kysely<Database>, workspaceId: string, dealId: string) {
  return db
    .selectFrom('dealStageHistory as h')
    .leftJoin('pipelineStages as s', 's.id', 'h.stageId')
    .select(['h.id', 'h.stageId', 's.name as stageName', 'h.pipelineId', 'h.enteredAt', 'h.leftAt', 'h.exitKind', 'h.actorUserId'])
    .where('h.workspaceId', '=', workspaceId)
    .where('h.dealId', '=', dealId)
    .orderBy('h.enteredAt')
    .orderBy('h.id')
    .execute();
}

/** Closes the open stage history row of a deal (if any). */
export async function leaveStage(db: Kysely<Database>, workspaceId: string, dealId: string, at: string, exitKind: string): Promise<void> {
  await db
    .updateTable('dealStageHistory')
    .set({ leftAt: at, exitKind })
    .where('workspaceId', '=', workspaceId)
    .where('dealId', '=', dealId)
    .where('leftAt', 'is', null)
    .execute();
}

export async function findTagsOf(db: Kysely<Database>, workspaceId: string, ids: readonly string[]) {
  if (ids.length === 0) {
    return [];
  }
  return db
    .selectFrom('recordTags as rt')
    .innerJoin('tags as t', 't.id', 'rt.tagId')
    .select(['rt.recordId', 't.id', 't.name', 't.color'])
    .where('rt.workspaceId', '=', workspaceId)
    .where('rt.entity', '=', 'deal')
    .where('rt.recordId', 'in', [...ids])
    .orderBy('t.name')
    .execute();
}
