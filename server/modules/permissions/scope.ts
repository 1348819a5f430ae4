import type { Scope } from '../../../common/permissions';

export interface OrgGraph {
  users: readonly { id: string; managerId: string | null; departmentId: string | null }[];
  departments: readonly { id: string; parentId: string | null; leaderId: string | null }[];
}

/**
 * Which owners' records a scope lets a user see: every owner, or an explicit set. `narrow` says
 * the set is a small share of the workspace (see isNarrowScope): lists then read the owners' rows
 * through the owner indexes and sort them, rather than walk a sort index of the whole workspace
 * (keysetWalks rowsOfScope). Absent means not narrow; it only ever changes a plan, never rows.
 */
export type ScopeFilter = { kind: 'all' } | { kind: 'owners'; ownerIds: readonly string[]; narrow?: boolean };

/** Owners of a narrow scope: at most this share of the workspace's users (and at least one owner). */
const narrowShare = 0.02;

/**
 * Whether `owners` owners are few enough, among `users` users, that their rows are best read
 * owner by owner: a rep's own book (1 of 200 users owns ~0.5% of the rows) — not a manager's team.
 */
export function isNarrowScope(owners: number, users: number): boolean {
  return owners <= Math.max(1, Math.floor(users * narrowShare));
}

function departmentTree(org: OrgGraph, roots: Iterable<string>): Set<string> {
  const children = new Map<string, string[]>();
  for (const d of org.departments) {
    if (d.parentId) {
      const list = children.get(d.parentId) ?? [];
      list.push(d.id);
      children.set(d.parentId, list);
    }
  }
  // The visited set is what keeps a corrupted (cyclic) tree from looping forever.
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (seen.has(id)) {
      continue;
    }
    seen.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return seen;
}

function usersInDepartments(org: OrgGraph, departmentIds: Set<string>): string[] {
  return org.users.filter((u) => u.departmentId !== null && departmentIds.has(u.departmentId)).map((u) => u.id);
}

/**
 * Subordinates: users below me in the manager chain, and users in departments I lead (with
 * their sub-departments), recursively — a subordinate's own subordinates are mine too.
 * Cycles in the manager chain are harmless: every user is visited once.
 */
export function subordinatesOf(org: OrgGraph, userId: string): Set<string> {
  const reports = new Map<string, string[]>();
  for (const u of org.users) {
    if (u.managerId) {
      const list = reports.get(u.managerId) ?? [];
      list.push(u.id);
      reports.set(u.managerId, list);
    }
  }
  const led = new Map<string, string[]>();
  for (const d of org.departments) {
    if (d.leaderId) {
      const list = led.get(d.leaderId) ?? [];
      list.push(d.id);
      led.set(d.leaderId, list);
    }
  }
  const seen = new Set<string>([userId]);
  const queue = [userId];
  while (queue.length > 0) {
    const current = queue.pop() as string;
    const next = [...(reports.get(current) ?? [])];
    const ledDepartments = led.get(current);
    if (ledDepartments) {
      next.push(...usersInDepartments(org, departmentTree(org, ledDepartments)));
    }
    for (const id of next) {
      if (!seen.has(id)) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return seen;
}

/** Turns the scopes a user holds for one action into the set of owners whose records they may see. */
export function resolveScope(org: OrgGraph, userId: string | null, granted: readonly Scope[]): ScopeFilter {
  if (granted.includes('all')) {
    return { kind: 'all' };
  }
  if (userId === null) {
    return { kind: 'owners', ownerIds: [], narrow: true };
  }
  const owners = new Set<string>();
  const me = org.users.find((u) => u.id === userId);
  for (const scope of granted) {
    switch (scope) {
      case 'own':
        owners.add(userId);
        break;
      case 'subordinates':
        for (const id of subordinatesOf(org, userId)) {
          owners.add(id);
        }
        break;
      case 'department':
      case 'departmentTree': {
        owners.add(userId);
        if (me?.departmentId) {
          const departments = scope === 'department' ? new Set([me.departmentId]) : departmentTree(org, [me.departmentId]);
          for (const id of usersInDepartments(org, departments)) {
            owners.add(id);
          }
        }
        break;
      }
      case 'all':
        return { kind: 'all' };
    }
  }
  // org.users is the whole workspace (the org graph is loaded once per authz version), so the
  // share costs nothing here.
  return { kind: 'owners', ownerIds: [...owners], narrow: isNarrowScope(owners.size, org.users.length) };
}

/** Whether a set of department ids (the tree under `root`) contains `candidate`: used for cycle checks. */
export function isInDepartmentTree(org: OrgGraph, root: string, candidate: string): boolean {
  return departmentTree(org, [root]).has(candidate);
}
