import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types';

/**
 * Who the round-robin hands leads to: active users of the department who hold lead:view through
 * one of their roles (someone who could not see the lead would never work it). Sorted by id, so
 * the cursor's position means the same member for every concurrent request.
 */
export async function findRoundRobinMembers(db: Kysely<Database>, workspaceId: string, departmentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users as u')
    .select('u.id')
    .where('u.workspaceId', '=', workspaceId)
    .where('u.departmentId', '=', departmentId)
    .where('u.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('userRoles as ur')
          .innerJoin('rolePermissions as rp', 'rp.roleId', 'ur.roleId')
          .select(sql`1`.as('one'))
          .whereRef('ur.userId', '=', 'u.id')
          .where('ur.workspaceId', '=', workspaceId)
          .where('rp.entity', '=', 'lead')
          .where('rp.action', '=', 'view'),
      ),
    )
    .orderBy('u.id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Advances a department's cursor by `count` in one atomic statement and answers the new
 * position. PostgreSQL locks the row for the rest of the transaction, so concurrent creates
 * take consecutive positions; SQLite has one writer at a time.
 */
export async function advanceCursor(db: Kysely<Database>, workspaceId: string, departmentId: string, count: number, at: string): Promise<number> {
  await db
    .insertInto('leadAssignCursors')
    .values({ workspaceId, departmentId, position: 0, updatedAt: at })
    .onConflict((oc) => oc.columns(['workspaceId', 'departmentId']).doNothing())
    .execute();
  const row = await db
    .updateTable('leadAssignCursors')
    .set((eb) => ({ position: eb('position', '+', count), updatedAt: at }))
    .where('workspaceId', '=', workspaceId)
    .where('departmentId', '=', departmentId)
    .returning('position')
    .executeTakeFirstOrThrow();
  return Number(row.position);
}

export async function findLeadSettings(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('leadSettings as s')
    .leftJoin('departments as d', 'd.id', 's.autoAssignDepartmentId')
    .select(['s.autoAssignDepartmentId', 'd.name as autoAssignDepartmentName', 's.autoAssignOnCreate'])
    .where('s.workspaceId', '=', workspaceId)
    .executeTakeFirst();
}

export async function saveLeadSettings(
  db: Kysely<Database>,
  workspaceId: string,
  values: { autoAssignDepartmentId: string | null; autoAssignOnCreate: number; updatedAt: string; updatedBy: string | null },
): Promise<void> {
  await db
    .insertInto('leadSettings')
    .values({ workspaceId, ...values })
    .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
    .execute();
}
