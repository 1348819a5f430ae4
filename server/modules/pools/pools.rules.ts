import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/types';
import type { PoolRow } from './pools.repo';
import type { RecycleRuleKind } from './pools.schema';

const dayMs = 86_400_000;
/** Stands for "never had a deal" in the no-deal comparison: earlier than any cutoff. */
const noDealYet = '1970-01-01T00:00:00.000Z';

/** One recycling condition: a rule kind with its N days, for one level (or every level without its own rule). */
export interface RuleBranch {
  kind: RecycleRuleKind;
  days: number;
  level: { eq: string } | { other: string[] };
}

/** The branches of a pool's rules; a level-specific rule replaces the every-level rule for that level. */
export function ruleBranches(pool: PoolRow): RuleBranch[] {
  const specific = pool.rules.filter((r) => r.level !== null).map((r) => r.level as string);
  const branches: RuleBranch[] = [];
  for (const rule of pool.rules) {
    const level = rule.level === null ? { other: specific } : { eq: rule.level };
    if (rule.noFollowupDays) {
      branches.push({ kind: 'no_followup', days: rule.noFollowupDays, level });
    }
    if (rule.noDealDays) {
      branches.push({ kind: 'no_deal', days: rule.noDealDays, level });
    }
    if (rule.notDealtDays) {
      branches.push({ kind: 'not_dealt', days: rule.notDealtDays, level });
    }
  }
  return branches;
}

type CustomerEb = ExpressionBuilder<Database & { c: Database['customers'] }, 'c'>;

/** Since when the current owner has had the customer (older rows without owner_since: since creation). */
function ownedSince(eb: CustomerEb) {
  return eb.fn.coalesce('c.ownerSince', 'c.createdAt');
}

/**
 * A branch as a WHERE condition on customers `c`, evaluated as of `at` (now for recycling,
 * now + warn days for warnings). Time counts from the later of "got the customer" and the last
 * follow-up / deal, so a customer just claimed is never recycled for its previous owner's silence.
 */
export function branchCondition(eb: CustomerEb, workspaceId: string, branch: RuleBranch, at: Date): Expression<SqlBool> {
  const cutoff = new Date(at.getTime() - branch.days * dayMs).toISOString();
  const level =
    'eq' in branch.level
      ? eb('c.level', '=', branch.level.eq)
      : branch.level.other.length === 0
        ? sql<SqlBool>`1 = 1`
        : eb.or([eb('c.level', 'is', null), eb('c.level', 'not in', branch.level.other)]);
  const held = eb(ownedSince(eb), '<', cutoff);
  switch (branch.kind) {
    case 'no_followup':
      return eb.and([level, held, eb.or([eb('c.lastFollowupAt', 'is', null), eb('c.lastFollowupAt', '<', cutoff)])]);
    case 'no_deal':
      // "No deal since the cutoff" as the customer's latest live deal compared with it: a scalar
      // subquery is always a probe of deals_ws_customer for this one customer (and, inside the
      // pick's CASE, only for customers of the branch's level). NOT EXISTS here, under an OR, was
      // planned by PostgreSQL as a hashed subplan that read every recent deal of the workspace
      // once per statement, i.e. twice per batch.
      return eb.and([
        level,
        held,
        eb(
          eb.fn.coalesce(
            eb
              .selectFrom('deals as d')
              .select((d) => d.fn.max('d.createdAt').as('m'))
              .where('d.workspaceId', '=', workspaceId)
              .whereRef('d.customerId', '=', 'c.id')
              .where('d.deletedAt', 'is', null),
            sql.val(noDealYet),
          ),
          '<',
          cutoff,
        ),
      ]);
    case 'not_dealt':
      return eb.and([level, held, eb('c.dealStatus', '<>', 'dealt')]);
  }
}

/** Owned, live customers whose home pool is this one, minus the exempt ones. */
export function recyclableBase(eb: CustomerEb, pool: PoolRow): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [eb('c.ownerId', 'is not', null), eb('c.deletedAt', 'is', null)];
  parts.push(pool.isDefault === 1 ? eb.or([eb('c.poolId', '=', pool.id), eb('c.poolId', 'is', null)]) : eb('c.poolId', '=', pool.id));
  if (pool.exemptDealt === 1) {
    parts.push(eb('c.dealStatus', '<>', 'dealt'));
  }
  if (pool.exemptLocked === 1) {
    parts.push(eb('c.locked', '=', 0));
  }
  return eb.and(parts);
}

/** Any branch matches. */
export function anyBranch(eb: CustomerEb, workspaceId: string, branches: readonly RuleBranch[], at: Date): Expression<SqlBool> {
  return eb.or(branches.map((b) => branchCondition(eb, workspaceId, b, at)));
}

/** Which branch matched, as the rule kind (the first in order wins), for the history. */
export function matchedRule(eb: CustomerEb, workspaceId: string, branches: readonly RuleBranch[], at: Date): RawBuilder<string | null> {
  const [first, ...rest] = branches;
  if (!first) {
    return sql<string | null>`null`;
  }
  let builder = eb.case().when(branchCondition(eb, workspaceId, first, at)).then(first.kind);
  for (const b of rest) {
    builder = builder.when(branchCondition(eb, workspaceId, b, at)).then(b.kind);
  }
  return sql<string | null>`${builder.else(null).end()}`;
}

/**
 * When a customer would be recycled by a branch, from what its row says (for warnings); null
 * when the branch cannot apply (level, dealt).
 */
export function dueAt(
  branch: RuleBranch,
  row: { level: string | null; ownerSince: string | null; createdAt: string; lastFollowupAt: string | null; lastDealAt: string | null; dealStatus: string },
): number | null {
  const levelMatches = 'eq' in branch.level ? row.level === branch.level.eq : row.level === null || !branch.level.other.includes(row.level);
  if (!levelMatches) {
    return null;
  }
  const since = Date.parse(row.ownerSince ?? row.createdAt);
  const later = (value: string | null) => Math.max(since, value ? Date.parse(value) : 0);
  switch (branch.kind) {
    case 'no_followup':
      return later(row.lastFollowupAt) + branch.days * dayMs;
    case 'no_deal':
      return later(row.lastDealAt) + branch.days * dayMs;
    case 'not_dealt':
      return row.dealStatus === 'dealt' ? null : since + branch.days * dayMs;
  }
}
