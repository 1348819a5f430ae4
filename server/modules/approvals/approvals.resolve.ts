import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import type { ApproverSpec } from './approvals.schema';

/** A step as frozen into an approval instance at submission. */
export interface FrozenStep {
  name: string;
  mode: 'all' | 'any';
  approvers: ApproverSpec[];
  missingManager: 'skip' | 'admin';
}

async function activeUsers(db: Kysely<Database>, workspaceId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) {
    return new Set();
  }
  const rows = await db.selectFrom('users').select('id').where('workspaceId', '=', workspaceId).where('id', 'in', [...new Set(ids)]).where('status', '=', 'active').execute();
  return new Set(rows.map((r) => r.id));
}

async function roleHolders(db: Kysely<Database>, workspaceId: string, where: { roleId: string } | { roleKey: string }): Promise<string[]> {
  let query = db
    .selectFrom('userRoles')
    .innerJoin('users', 'users.id', 'userRoles.userId')
    .innerJoin('roles', 'roles.id', 'userRoles.roleId')
    .select('users.id')
    .where('userRoles.workspaceId', '=', workspaceId)
    .where('users.workspaceId', '=', workspaceId)
    .where('users.status', '=', 'active');
  query = 'roleId' in where ? query.where('roles.id', '=', where.roleId) : query.where('roles.key', '=', where.roleKey);
  const rows = await query.orderBy('users.createdAt').orderBy('users.id').execute();
  return rows.map((r) => r.id);
}

/**
 * The submitter's manager `levels` up the users.manager_id chain; null when the chain is shorter
 * (or loops back on itself) or the manager found is not active.
 */
async function managerUp(db: Kysely<Database>, workspaceId: string, submitterId: string, levels: number): Promise<string | null> {
  let current: string | null = submitterId;
  const seen = new Set<string>([submitterId]);
  for (let i = 0; i < levels && current !== null; i += 1) {
    const row: { managerId: string | null } | undefined = await db.selectFrom('users').select('managerId').where('workspaceId', '=', workspaceId).where('id', '=', current).executeTakeFirst();
    current = row?.managerId ?? null;
    if (current !== null && seen.has(current)) {
      return null;
    }
    if (current !== null) {
      seen.add(current);
    }
  }
  if (current === null) {
    return null;
  }
  return (await activeUsers(db, workspaceId, [current])).has(current) ? current : null;
}

/**
 * The people who must act on a step, in a stable order without duplicates. Inactive users never
 * get tasks. A manager who does not exist is skipped or replaced by the workspace's admins,
 * as the step says. An empty answer means the step is skipped.
 */
export async function resolveStepApprovers(db: Kysely<Database>, workspaceId: string, submitterId: string, step: FrozenStep): Promise<string[]> {
  const out: string[] = [];
  const add = (ids: readonly string[]) => {
    for (const id of ids) {
      if (!out.includes(id)) {
        out.push(id);
      }
    }
  };
  for (const spec of step.approvers) {
    if (spec.kind === 'user') {
      add([...(await activeUsers(db, workspaceId, [spec.userId]))]);
    } else if (spec.kind === 'role') {
      add(await roleHolders(db, workspaceId, { roleId: spec.roleId }));
    } else {
      const manager = await managerUp(db, workspaceId, submitterId, spec.levels);
      if (manager !== null) {
        add([manager]);
      } else if (step.missingManager === 'admin') {
        add(await roleHolders(db, workspaceId, { roleKey: 'admin' }));
      }
    }
  }
  return out;
}
