import { type Expression, type QueryExecutorProvider, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { ScopeFilter } from '../modules/permissions/scope';
import { type CountResult, countCapped, countCappedParts, defaultCountCap } from './list-page';

/**
 * Data scope of a list as SQL, for any entity with an owner column: owners in scope, or records
 * shared with the caller some other way (collaborators, team members) when `shared` is given.
 */
export interface ScopeSql {
  scope: ScopeFilter;
  /** Qualified owner column, e.g. `c.owner_id`. */
  ownerColumn: string;
  /**
   * Records visible without owning them, as a condition on the row (for example
   * `c.id in (select customer_id from customer_collaborators where user_id = … )`), or null.
   * Write it as an `in (subquery)` driven by the caller's own rows so it can lead a count.
   */
  shared: Expression<SqlBool> | null;
  /**
   * Where the owner column may name a former owner: the condition under which it is current. The
   * owner arm becomes `owner in (…) and ownerCheck` (contacts of a customer the recycling sweep
   * put into a pool keep their owner_id; contacts.repo.ts). Absent: the column is always current.
   */
  ownerCheck?: Expression<SqlBool>;
}

/** `owner in (…)`, and the owner check when the column may be stale. */
function ownerArm(s: ScopeSql, ownerIds: readonly string[]): Expression<SqlBool> {
  const owned = sql<SqlBool>`${sql.ref(s.ownerColumn)} in (${sql.join(ownerIds)})`;
  return s.ownerCheck ? sql<SqlBool>`(${owned} and ${s.ownerCheck})` : owned;
}

/** The WHERE term of a list under a data scope. */
export function scopeCondition(s: ScopeSql): Expression<SqlBool> {
  if (s.scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  const shared = s.shared ?? sql<SqlBool>`1 = 0`;
  if (s.scope.ownerIds.length === 0) {
    return shared;
  }
  return sql<SqlBool>`(${ownerArm(s, s.scope.ownerIds)} or ${shared})`;
}

/**
 * scopeCondition for reading a narrow scope's rows owner by owner (keysetWalks rowsOfScope): the
 * owner arm repeats the workspace equality, so SQLite answers each arm of the OR with its own
 * index — (workspace_id, owner_id, …) per owner, the primary key for shared ids — as a multi-index
 * OR. SQLite plans each arm of an OR on its own terms only, so without it no index starts with an
 * arm's column and it scans the workspace. The caller must write its own workspace term as a
 * filter (workspaceFilter), or SQLite prefers that scan anyway.
 */
export function scopeConditionByOwner(s: ScopeSql, workspace: Expression<SqlBool>): Expression<SqlBool> {
  if (s.scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  const shared = s.shared ?? sql<SqlBool>`1 = 0`;
  if (s.scope.ownerIds.length === 0) {
    return shared;
  }
  return sql<SqlBool>`((${workspace} and ${ownerArm(s, s.scope.ownerIds)}) or ${shared})`;
}

/**
 * A capped count under a data scope, split into disjoint parts that each can use an index:
 * rows of the owners in scope (an index range per owner), then shared rows not owned by them.
 * `matching(extra)` is the entity's query for every matching row (filters, no scope) plus `extra`.
 * One query with `owner in (…) or exists (…)` can use neither index and reads the whole
 * workspace: 0.4–0.8 s for a manager's count over 1M customers.
 */
export async function countScoped<DB, TB extends keyof DB, O>(
  db: QueryExecutorProvider,
  s: ScopeSql,
  matching: (extra: Expression<SqlBool>) => SelectQueryBuilder<DB, TB, O>,
  cap = defaultCountCap,
): Promise<CountResult> {
  if (s.scope.kind === 'all') {
    return countCapped(db, matching(sql<SqlBool>`1 = 1`), cap);
  }
  const owners = s.scope.ownerIds;
  const owner = sql.ref(s.ownerColumn);
  const parts: ((left: number) => Promise<CountResult>)[] = [];
  if (owners.length > 0) {
    parts.push((left) => countCapped(db, matching(ownerArm(s, owners)), left));
  }
  if (s.shared) {
    const shared = s.shared;
    const stale = s.ownerCheck ? sql<SqlBool>` or not ${s.ownerCheck}` : sql``;
    const notOwned = owners.length > 0 ? sql<SqlBool>`(${shared} and (${owner} is null or ${owner} not in (${sql.join(owners)})${stale}))` : shared;
    parts.push((left) => countCapped(db, matching(notOwned), left));
  }
  return countCappedParts(parts, cap);
}
