import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types';
import type { Collaborator } from './merge.fields';

/** How many contacts, follow-ups, timeline entries and (new) tags the sources bring along. */
export async function countMovable(db: Kysely<Database>, workspaceId: string, targetId: string, sourceIds: readonly string[]) {
  const count = async (q: { executeTakeFirstOrThrow: () => Promise<{ n: number | string | bigint }> }) => Number((await q.executeTakeFirstOrThrow()).n);
  const [contacts, followUps, timeline, tags] = await Promise.all([
    count(db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('workspaceId', '=', workspaceId).where('customerId', 'in', sourceIds).where('deletedAt', 'is', null)),
    count(db.selectFrom('followUps').select((eb) => eb.fn.countAll<number>().as('n')).where('workspaceId', '=', workspaceId).where('customerId', 'in', sourceIds).where('deletedAt', 'is', null)),
    count(db.selectFrom('timelineEvents').select((eb) => eb.fn.countAll<number>().as('n')).where('workspaceId', '=', workspaceId).where('customerId', 'in', sourceIds)),
    count(
      db
        .selectFrom('recordTags as rt')
        .select(sql<number>`count(distinct rt.tag_id)`.as('n'))
        .where('rt.workspaceId', '=', workspaceId)
        .where('rt.entity', '=', 'customer')
        .where('rt.recordId', 'in', sourceIds)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('recordTags as own')
                .select('own.tagId')
                .where('own.workspaceId', '=', workspaceId)
                .where('own.entity', '=', 'customer')
                .where('own.recordId', '=', targetId)
                .whereRef('own.tagId', '=', 'rt.tagId'),
            ),
          ),
        ),
    ),
  ]);
  return { contacts, followUps, timeline, tags };
}

export async function findCollaboratorRows(db: Kysely<Database>, workspaceId: string, customerIds: readonly string[]) {
  return db.selectFrom('customerCollaborators').select(['customerId', 'userId', 'access', 'expiresAt']).where('workspaceId', '=', workspaceId).where('customerId', 'in', customerIds).execute();
}

/** Every contact of the sources (deleted ones too, so their history follows) joins the target, under its owner. */
export async function moveContacts(
  trx: Kysely<Database>,
  workspaceId: string,
  targetId: string,
  sourceIds: readonly string[],
  owner: { id: string | null; changed: boolean },
  keepPrimaryId: string | null,
) {
  const ownerId = owner.id;
  await trx
    .updateTable('contacts')
    .set((eb) => ({ customerId: targetId, ownerId, isPrimary: 0, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('customerId', 'in', sourceIds)
    .execute();
  if (owner.changed) {
    // A newly chosen owner takes the target's own contacts too, as a transfer would.
    await trx.updateTable('contacts').set({ ownerId }).where('workspaceId', '=', workspaceId).where('customerId', '=', targetId).execute();
  }
  if (keepPrimaryId) {
    await trx.updateTable('contacts').set({ isPrimary: 1 }).where('workspaceId', '=', workspaceId).where('id', '=', keepPrimaryId).execute();
  }
}

/** The sources' tags land on the target once each. */
export async function moveTags(trx: Kysely<Database>, workspaceId: string, targetId: string, sourceIds: readonly string[]) {
  const tags = await trx.selectFrom('recordTags').select('tagId').distinct().where('workspaceId', '=', workspaceId).where('entity', '=', 'customer').where('recordId', 'in', sourceIds).execute();
  if (tags.length > 0) {
    await trx
      .insertInto('recordTags')
      .values(tags.map((t) => ({ workspaceId, entity: 'customer', recordId: targetId, tagId: t.tagId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  await trx.deleteFrom('recordTags').where('workspaceId', '=', workspaceId).where('entity', '=', 'customer').where('recordId', 'in', sourceIds).execute();
}

export async function replaceCollaborators(trx: Kysely<Database>, workspaceId: string, targetId: string, sourceIds: readonly string[], merged: readonly Collaborator[], at: string) {
  await trx.deleteFrom('customerCollaborators').where('workspaceId', '=', workspaceId).where('customerId', 'in', [targetId, ...sourceIds]).execute();
  if (merged.length > 0) {
    await trx
      .insertInto('customerCollaborators')
      .values(merged.map((c) => ({ workspaceId, customerId: targetId, userId: c.userId, access: c.access, expiresAt: c.expiresAt, createdAt: at })))
      .execute();
  }
}

/** Deletes a source (recycle bin, marked merged) if it is still at the version the merge read. */
export async function markMerged(trx: Kysely<Database>, workspaceId: string, sourceId: string, targetId: string, version: number, actorUserId: string | null, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('customers')
    .set((eb) => ({ deletedAt: at, deletedBy: actorUserId, mergedInto: targetId, primaryContactId: null, updatedAt: at, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', sourceId)
    .where('version', '=', version)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
