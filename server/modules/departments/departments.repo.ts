import type { Insertable, Kysely } from 'kysely';
import type { Database, DepartmentsTable } from '../../db/types';
import { updateVersioned } from '../../db/versioned-update';

export async function listDepartments(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('departments as d')
    .leftJoin('users as l', 'l.id', 'd.leaderId')
    .select((eb) => [
      'd.id',
      'd.name',
      'd.parentId',
      'd.leaderId',
      'l.name as leaderName',
      'd.sort',
      'd.version',
      eb
        .selectFrom('users as u')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.departmentId', '=', 'd.id')
        .where('u.workspaceId', '=', workspaceId)
        .as('memberCount'),
    ])
    .where('d.workspaceId', '=', workspaceId)
    .orderBy('d.sort')
    .orderBy('d.name')
    .execute();
}

export async function findDepartment(db: Kysely<Database>, workspaceId: string, id: string) {
  return db.selectFrom('departments').selectAll().where('workspaceId', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function insertDepartment(db: Kysely<Database>, row: Insertable<DepartmentsTable>): Promise<void> {
  await db.insertInto('departments').values(row).execute();
}

/** Bumps the version; with `expectedVersion` only that version is changed. Answers how many rows changed (0 or 1). */
export async function updateDepartment(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Partial<Pick<DepartmentsTable, 'name' | 'parentId' | 'leaderId' | 'sort'>>,
  at: string,
  expectedVersion?: number,
): Promise<number> {
  return updateVersioned(db, 'departments', workspaceId, id, { ...patch, updatedAt: at }, expectedVersion);
}

export async function countDepartmentDependents(db: Kysely<Database>, workspaceId: string, id: string) {
  const [children, members] = await Promise.all([
    db
      .selectFrom('departments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspaceId', '=', workspaceId)
      .where('parentId', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspaceId', '=', workspaceId)
      .where('departmentId', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  return { children: Number(children.n), members: Number(members.n) };
}

export async function deleteDepartment(db: Kysely<Database>, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('departments').where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
}

export async function maxSiblingSort(db: Kysely<Database>, workspaceId: string, parentId: string | null): Promise<number> {
  const row = await db
    .selectFrom('departments')
    .select((eb) => eb.fn.max('sort').as('m'))
    .where('workspaceId', '=', workspaceId)
    .where('parentId', parentId === null ? 'is' : '=', parentId)
    .executeTakeFirst();
  return Number(row?.m ?? -1);
}
