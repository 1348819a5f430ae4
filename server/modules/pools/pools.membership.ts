import type { OrgGraph } from '../permissions/scope';
import type { PoolRow } from './pools.repo';

export interface PoolMemberRow {
  poolId: string;
  subjectType: 'user' | 'department';
  subjectId: string;
  role: 'member' | 'admin';
}

/** A user's department and every department above it (a member department includes its sub-departments). */
export function departmentChain(org: OrgGraph, userId: string): string[] {
  const parents = new Map(org.departments.map((d) => [d.id, d.parentId]));
  const chain: string[] = [];
  let current = org.users.find((u) => u.id === userId)?.departmentId ?? null;
  // The visited check keeps a corrupted (cyclic) tree from looping.
  while (current !== null && !chain.includes(current)) {
    chain.push(current);
    current = parents.get(current) ?? null;
  }
  return chain;
}

/** Whether a user may claim from a pool (member) and manage its customers (admin). */
export function roleIn(pool: PoolRow, members: readonly PoolMemberRow[], userId: string | null, chain: readonly string[]): { isMember: boolean; isAdmin: boolean } {
  if (userId === null) {
    return { isMember: false, isAdmin: false };
  }
  const mine = members.filter((m) => m.poolId === pool.id && ((m.subjectType === 'user' && m.subjectId === userId) || (m.subjectType === 'department' && chain.includes(m.subjectId))));
  const isAdmin = mine.some((m) => m.role === 'admin' && m.subjectType === 'user');
  return { isMember: isAdmin || pool.allUsers === 1 || mine.length > 0, isAdmin };
}
