import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import { updateVersioned } from '../../db/versioned-update';

export async function listTags(db: Kysely<Database>, workspaceId: string) {
  const rows = await db
    .selectFrom('tags as t')
    .select((eb) => [
      't.id',
      't.name',
      't.color',
      't.version',
      eb.selectFrom('recordTags as rt').select((e) => e.fn.countAll<number>().as('n')).whereRef('rt.tagId', '=', 't.id').where('rt.workspaceId', '=', workspaceId).as('usage'),
    ])
    .where('t.workspaceId', '=', workspaceId)
    .orderBy('t.name')
    .execute();
  return rows.map((t) => ({ ...t, usage: Number(t.usage ?? 0) }));
}

export async function insertTag(db: Kysely<Database>, row: { id: string; workspaceId: string; name: string; color: string; createdAt: string }): Promise<void> {
  await db.insertInto('tags').values(row).execute();
}

export async function tagExists(db: Kysely<Database>, workspaceId: string, id: string): Promise<boolean> {
  return (await db.selectFrom('tags').select('id').where('workspaceId', '=', workspaceId).where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Bumps the version; with `expectedVersion` only that version is changed. Answers how many rows changed (0 or 1). */
export async function updateTag(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: { name?: string | undefined; color?: string | undefined },
  expectedVersion?: number,
): Promise<number> {
  return updateVersioned(db, 'tags', workspaceId, id, patch, expectedVersion);
}

/** Removes the tag from every record, then the tag. */
export async function deleteTag(db: Kysely<Database>, workspaceId: string, id: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('recordTags').where('workspaceId', '=', workspaceId).where('tagId', '=', id).execute();
    const result = await trx.deleteFrom('tags').where('workspaceId', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}
