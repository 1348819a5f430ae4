import { describe, expect, it } from 'vitest';
import { isInDepartmentTree, isNarrowScope, type OrgGraph, resolveScope, type ScopeFilter, subordinatesOf } from './scope';

type U = OrgGraph['users'][number];
type D = OrgGraph['departments'][number];

function user(id: string, managerId: string | null = null, departmentId: string | null = null): U {
  return { id, managerId, departmentId };
}

function dept(id: string, parentId: string | null = null, leaderId: string | null = null): D {
  return { id, parentId, leaderId };
}

function owners(filter: ScopeFilter): string[] {
  if (filter.kind === 'all') {
    throw new Error('expected an owner list');
  }
  return [...filter.ownerIds].sort();
}

function sorted(set: Set<string>): string[] {
  return [...set].sort();
}

/**
 *            hq (leader: ceo)
 *           /                 \
 *   sales (leader: sm)      support (leader: none)
 *      |
 *   sales-east (leader: east)
 *
 * Manager chain: ceo ← sm ← rep1, rep2; sm ← east ← rep3. agent reports to nobody.
 */
const org: OrgGraph = {
  users: [
    user('ceo', null, 'hq'),
    user('sm', 'ceo', 'sales'),
    user('rep1', 'sm', 'sales'),
    user('rep2', 'sm', 'sales'),
    user('east', 'sm', 'sales-east'),
    user('rep3', 'east', 'sales-east'),
    user('agent', null, 'support'),
    user('loner', null, null),
    user('east2', null, 'sales-east'),
  ],
  departments: [dept('hq', null, 'ceo'), dept('sales', 'hq', 'sm'), dept('sales-east', 'sales', 'east'), dept('support', 'hq', null)],
};

describe('subordinatesOf', () => {
  it('includes the user and everyone below them in the manager chain, transitively', () => {
    const chainOnly: OrgGraph = { users: org.users, departments: [] };
    expect(sorted(subordinatesOf(chainOnly, 'sm'))).toEqual(['east', 'rep1', 'rep2', 'rep3', 'sm']);
    expect(sorted(subordinatesOf(chainOnly, 'east'))).toEqual(['east', 'rep3']);
    expect(sorted(subordinatesOf(chainOnly, 'rep1'))).toEqual(['rep1']);
  });

  it('includes members of led departments and of their sub-departments', () => {
    // east2 reports to nobody but sits in sales-east, under sales, which sm leads.
    expect(sorted(subordinatesOf(org, 'sm'))).toEqual(['east', 'east2', 'rep1', 'rep2', 'rep3', 'sm']);
    // The CEO leads hq: the whole tree, support included.
    expect(sorted(subordinatesOf(org, 'ceo'))).toEqual(['agent', 'ceo', 'east', 'east2', 'rep1', 'rep2', 'rep3', 'sm']);
  });

  it("follows a subordinate's own led departments", () => {
    const graph: OrgGraph = {
      users: [user('boss'), user('deputy', 'boss', null), user('member', null, 'd2')],
      departments: [dept('d2', null, 'deputy')],
    };
    expect(sorted(subordinatesOf(graph, 'boss'))).toEqual(['boss', 'deputy', 'member']);
  });

  it('leading a department without members adds nobody', () => {
    const graph: OrgGraph = { users: [user('lead', null, null)], departments: [dept('empty', null, 'lead')] };
    expect(sorted(subordinatesOf(graph, 'lead'))).toEqual(['lead']);
  });

  it('is just the user for an unknown id', () => {
    expect(sorted(subordinatesOf(org, 'ghost'))).toEqual(['ghost']);
  });

  it('terminates on a cycle in the manager chain, with everyone in the cycle', { timeout: 1000 }, () => {
    const cyclic: OrgGraph = {
      users: [user('a', 'c'), user('b', 'a'), user('c', 'b'), user('d', 'c'), user('self', 'self')],
      departments: [],
    };
    expect(sorted(subordinatesOf(cyclic, 'a'))).toEqual(['a', 'b', 'c', 'd']);
    expect(sorted(subordinatesOf(cyclic, 'd'))).toEqual(['d']);
    expect(sorted(subordinatesOf(cyclic, 'self'))).toEqual(['self']);
  });

  it('terminates on a cycle in the department tree', { timeout: 1000 }, () => {
    const cyclic: OrgGraph = {
      users: [user('lead', null, null), user('m1', null, 'x'), user('m2', null, 'y'), user('m3', null, 'z')],
      departments: [dept('x', 'z', 'lead'), dept('y', 'x', null), dept('z', 'y', null)],
    };
    expect(sorted(subordinatesOf(cyclic, 'lead'))).toEqual(['lead', 'm1', 'm2', 'm3']);
  });

  it('terminates when a leader sits in a department they (indirectly) lead and manage each other', { timeout: 1000 }, () => {
    const graph: OrgGraph = {
      users: [user('p', 'q', 'dp'), user('q', 'p', 'dq')],
      departments: [dept('dp', 'dq', 'q'), dept('dq', 'dp', 'p')],
    };
    expect(sorted(subordinatesOf(graph, 'p'))).toEqual(['p', 'q']);
  });

  it('stays fast on a long chain', { timeout: 2000 }, () => {
    const users = Array.from({ length: 5000 }, (_, i) => user(`u${i}`, i === 0 ? null : `u${i - 1}`));
    expect(subordinatesOf({ users, departments: [] }, 'u0').size).toBe(5000);
  });
});

describe('resolveScope', () => {
  it("'all' wins over everything, even for a principal without a user", () => {
    expect(resolveScope(org, 'rep1', ['own', 'all'])).toEqual({ kind: 'all' });
    expect(resolveScope(org, null, ['all'])).toEqual({ kind: 'all' });
  });

  it('gives a principal without a user (an API key without creator) nothing below all', () => {
    expect(resolveScope(org, null, ['own', 'subordinates', 'department', 'departmentTree'])).toEqual({ kind: 'owners', ownerIds: [], narrow: true });
  });

  it("'own' is the user alone", () => {
    expect(owners(resolveScope(org, 'rep1', ['own']))).toEqual(['rep1']);
  });

  it("'subordinates' is the user and their subordinates", () => {
    expect(owners(resolveScope(org, 'east', ['subordinates']))).toEqual(['east', 'east2', 'rep3']);
  });

  it("'department' is everyone in the user's department, not its sub-departments", () => {
    expect(owners(resolveScope(org, 'rep1', ['department']))).toEqual(['rep1', 'rep2', 'sm']);
  });

  it("'departmentTree' adds the sub-departments", () => {
    expect(owners(resolveScope(org, 'rep1', ['departmentTree']))).toEqual(['east', 'east2', 'rep1', 'rep2', 'rep3', 'sm']);
    expect(owners(resolveScope(org, 'ceo', ['departmentTree']))).toEqual(['agent', 'ceo', 'east', 'east2', 'rep1', 'rep2', 'rep3', 'sm']);
  });

  it('unites several scopes (subordinates and department are not nested)', () => {
    // east: subordinates = east, rep3, east2 (led sales-east); department = sales-east (east, rep3, east2).
    // rep1 with subordinates (just rep1) + department (sales) = sales members.
    expect(owners(resolveScope(org, 'rep1', ['subordinates', 'department']))).toEqual(['rep1', 'rep2', 'sm']);
    // A manager outside the department they manage into: union of both.
    const graph: OrgGraph = {
      users: [user('m', null, 'd1'), user('colleague', null, 'd1'), user('report', 'm', 'd2')],
      departments: [dept('d1'), dept('d2')],
    };
    expect(owners(resolveScope(graph, 'm', ['subordinates']))).toEqual(['m', 'report']);
    expect(owners(resolveScope(graph, 'm', ['department']))).toEqual(['colleague', 'm']);
    expect(owners(resolveScope(graph, 'm', ['department', 'subordinates']))).toEqual(['colleague', 'm', 'report']);
  });

  it('gives a user without a department only their own records for department scopes', () => {
    expect(owners(resolveScope(org, 'loner', ['department']))).toEqual(['loner']);
    expect(owners(resolveScope(org, 'loner', ['departmentTree']))).toEqual(['loner']);
    expect(owners(resolveScope(org, 'loner', ['subordinates']))).toEqual(['loner']);
  });

  it('treats a user missing from the graph as owning only their own records', () => {
    expect(owners(resolveScope(org, 'ghost', ['department', 'departmentTree', 'subordinates']))).toEqual(['ghost']);
  });

  it('grants nothing for an empty scope list', () => {
    expect(resolveScope(org, 'rep1', [])).toEqual({ kind: 'owners', ownerIds: [], narrow: true });
  });

  it('lists each owner once', () => {
    const filter = resolveScope(org, 'sm', ['own', 'subordinates', 'department', 'departmentTree']);
    const ids = owners(filter);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('terminates on a cyclic department tree for departmentTree', { timeout: 1000 }, () => {
    const graph: OrgGraph = {
      users: [user('a', null, 'x'), user('b', null, 'y')],
      departments: [dept('x', 'y'), dept('y', 'x')],
    };
    expect(owners(resolveScope(graph, 'a', ['departmentTree']))).toEqual(['a', 'b']);
  });
});

describe('isInDepartmentTree', () => {
  it('contains the root itself and every descendant', () => {
    expect(isInDepartmentTree(org, 'sales', 'sales')).toBe(true);
    expect(isInDepartmentTree(org, 'sales', 'sales-east')).toBe(true);
    expect(isInDepartmentTree(org, 'hq', 'sales-east')).toBe(true);
  });

  it('does not contain ancestors, siblings or unknown ids', () => {
    expect(isInDepartmentTree(org, 'sales', 'hq')).toBe(false);
    expect(isInDepartmentTree(org, 'sales', 'support')).toBe(false);
    expect(isInDepartmentTree(org, 'sales-east', 'sales')).toBe(false);
    expect(isInDepartmentTree(org, 'sales', 'ghost')).toBe(false);
  });

  it('terminates on a cycle and reports every node in it', { timeout: 1000 }, () => {
    const graph: OrgGraph = { users: [], departments: [dept('x', 'z'), dept('y', 'x'), dept('z', 'y'), dept('outside')] };
    for (const root of ['x', 'y', 'z']) {
      for (const member of ['x', 'y', 'z']) {
        expect(isInDepartmentTree(graph, root, member)).toBe(true);
      }
      expect(isInDepartmentTree(graph, root, 'outside')).toBe(false);
    }
    const self: OrgGraph = { users: [], departments: [dept('loop', 'loop')] };
    expect(isInDepartmentTree(self, 'loop', 'loop')).toBe(true);
  });
});

describe('narrow scopes', () => {
  const narrow = (filter: ScopeFilter) => (filter.kind === 'owners' ? filter.narrow : undefined);

  it('is narrow up to 2% of the workspace users, and always for one owner', () => {
    expect(isNarrowScope(1, 1)).toBe(true);
    expect(isNarrowScope(1, 10)).toBe(true);
    expect(isNarrowScope(2, 10)).toBe(false);
    expect(isNarrowScope(4, 200)).toBe(true);
    expect(isNarrowScope(5, 200)).toBe(false);
    expect(isNarrowScope(0, 200)).toBe(true);
  });

  it('marks a rep narrow and a team not, counting every user of the graph', () => {
    const users = [user('boss'), ...Array.from({ length: 149 }, (_, i) => user(`u${i}`, i < 3 ? 'boss' : null))];
    const graph: OrgGraph = { users, departments: [] };
    // 150 users: 2% is 3 owners.
    expect(narrow(resolveScope(graph, 'u7', ['own']))).toBe(true);
    expect(narrow(resolveScope(graph, 'boss', ['subordinates']))).toBe(false);
    // The same team of four in a workspace of 200 users (2% is 4 owners) is narrow.
    const bigger: OrgGraph = { users: [...users, ...Array.from({ length: 50 }, (_, i) => user(`v${i}`))], departments: [] };
    expect(narrow(resolveScope(bigger, 'boss', ['subordinates']))).toBe(true);
    // Nine users: a scope of two is a share, not a rep's own book.
    expect(narrow(resolveScope(org, 'sm', ['own']))).toBe(true);
    expect(narrow(resolveScope(org, 'rep1', ['department']))).toBe(false);
  });
});
