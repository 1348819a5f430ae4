import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, SavedViewsTable } from '../../db/types';
import { updateVersioned } from '../../db/versioned-update';

const columns = [
  'v.id',
  'v.entity',
  'v.name',
  'v.ownerId',
  'v.shared',
  'v.definition',
  'v.createdAt',
  'v.updatedAt',
  'v.version',
  'u.name as ownerName',
] as const;

function selectViews(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('savedViews as v')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'v.ownerId').onRef('u.workspaceId', '=', 'v.workspaceId'))
    .select(columns)
    .where('v.workspaceId', '=', workspaceId);
}

export type SavedViewRow = NonNullable<Awaited<ReturnType<typeof findViewRow>>>;

/** The caller's own views of an entity and every shared one, the caller's first. */
export async function listViewRows(db: Kysely<Database>, workspaceId: string, entity: string, userId: string) {
  return selectViews(db, workspaceId)
    .where('v.entity', '=', entity)
    .where((eb) => eb.or([eb('v.ownerId', '=', userId), eb('v.shared', '=', 1)]))
    .orderBy('v.name')
    .orderBy('v.id')
    .limit(500)
    .execute();
}

export async function findViewRow(db: Kysely<Database>, workspaceId: string, id: string) {
  return selectViews(db, workspaceId).where('v.id', '=', id).executeTakeFirst();
}

export async function countOwnViews(db: Kysely<Database>, workspaceId: string, entity: string, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom('savedViews')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', entity)
    .where('ownerId', '=', ownerId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Whether the owner already has a view of that name for the entity (names are unique per owner). */
export async function ownViewNamed(db: Kysely<Database>, workspaceId: string, entity: string, ownerId: string, name: string, exceptId: string | null): Promise<boolean> {
  let query = db
    .selectFrom('savedViews')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', entity)
    .where('ownerId', '=', ownerId)
    .where('name', '=', name);
  if (exceptId) {
    query = query.where('id', '<>', exceptId);
  }
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertViewRow(db: Kysely<Database>, row: Insertable<SavedViewsTable>): Promise<void> {
  await db.insertInto('savedViews').values(row).execute();
}

/** Bumps the version; with `expectedVersion` only that version is changed. Answers how many rows changed (0 or 1). */
export async function updateViewRow(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Pick<Updateable<SavedViewsTable>, 'name' | 'shared' | 'definition' | 'updatedAt'>,
  expectedVersion?: number,
): Promise<number> {
  return updateVersioned(db, 'savedViews', workspaceId, id, patch, expectedVersion);
}

export async function deleteViewRow(db: Kysely<Database>, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('savedViews').where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
}
