import type { Insertable, Kysely, Updateable } from 'kysely';
import type { CustomFieldsTable, Database } from '../../db/types';

export async function listFieldRows(db: Kysely<Database>, workspaceId: string, entity: string) {
  return db
    .selectFrom('customFields')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', entity)
    .orderBy('sort')
    .orderBy('createdAt')
    .execute();
}

export async function insertFieldRow(db: Kysely<Database>, row: Insertable<CustomFieldsTable>): Promise<void> {
  await db.insertInto('customFields').values(row).execute();
}

export async function updateFieldRow(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Pick<Updateable<CustomFieldsTable>, 'label' | 'required' | 'isUnique' | 'options' | 'sort'>,
  at: string,
  expectedVersion?: number,
): Promise<number> {
  const result = await db
    .updateTable('customFields')
    .set((eb) => ({ ...patch, updatedAt: at, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .$if(expectedVersion !== undefined, (q) => q.where('version', '=', expectedVersion ?? 0))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteFieldRow(db: Kysely<Database>, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('customFields').where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
}
