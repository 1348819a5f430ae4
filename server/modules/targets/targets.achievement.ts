import { formatMoney } from '../../../common/money';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { workspaceToday } from '../payments/payments.dates';
import { monthRange, percentOf, periodRange, targetForRange, yearsOf } from './targets.math';
import { canEditDepartment, canEditUser, canViewDepartment, canViewUser, departmentMembers, type TargetContext, targetContext } from './targets.policy';
import { activeUsers, actualsByOwnerMonth, allDepartments, findTargets, namesOf, type TargetRow } from './targets.repo';
import { type AchievementQuery, type Figure, type TargetKind, targetKinds } from './targets.schema';

// Actuals are computed on read: approved contracts by sign date and approved payments by
// payment date, grouped per owner and month over covering indexes (see migration 0011). There is
// no summary table to keep in step, so an approval shows in the next read.

function figure(targetCents: number, actualCents: number): Figure {
  return { target: formatMoney(targetCents), actual: formatMoney(actualCents), percent: percentOf(actualCents, targetCents) };
}

interface Subject {
  type: 'user' | 'department';
  id: string;
  /** Whose results count: the user, or the department's members including sub-departments. */
  owners: string[];
}

function subjectOf(ctx: TargetContext, type: 'user' | 'department', id: string): Subject {
  if (type === 'user') {
    if (!ctx.org.users.some((u) => u.id === id) || !canViewUser(ctx, id)) {
      throw new AppError('not_found');
    }
    return { type, id, owners: [id] };
  }
  if (!ctx.org.departments.some((d) => d.id === id) || !canViewDepartment(ctx, id)) {
    throw new AppError('not_found');
  }
  return { type, id, owners: departmentMembers(ctx.org, id) };
}

async function figureFor(deps: Deps, workspaceId: string, subject: Subject, kind: TargetKind, from: string, to: string): Promise<Figure> {
  const [targets, actuals] = await Promise.all([
    findTargets(deps.db, workspaceId, { years: yearsOf(from, to), kind, subjectType: subject.type, subjectIds: [subject.id] }),
    actualsByOwnerMonth(deps.db, workspaceId, kind, from, to, subject.owners),
  ]);
  const target = targetForRange((year) => targets.find((t) => t.year === year)?.months, from, to);
  return figure(target, actuals.reduce((sum, r) => sum + r.cents, 0));
}

/** GET /targets/achievement: target, actual and percent of a user or department for any period. */
export async function achievement(deps: Deps, auth: AuthContext, query: AchievementQuery) {
  const ctx = await targetContext(deps, auth);
  const subject = query.subject === 'me' ? subjectOf(ctx, 'user', auth.userId ?? '') : subjectOf(ctx, query.subject, query.subjectId ?? '');
  const { from, to } = periodRange(query, await workspaceToday(deps, deps.db, auth.workspaceId));
  const kinds = query.kind ? [query.kind] : [...targetKinds];
  const figures = await Promise.all(kinds.map((kind) => figureFor(deps, auth.workspaceId, subject, kind, from, to)));
  const names = await namesOf(deps.db, auth.workspaceId, subject.type === 'user' ? 'users' : 'departments', [subject.id]);
  return {
    subjectType: subject.type,
    subjectId: subject.id,
    subjectName: names.get(subject.id) ?? null,
    from,
    to,
    items: kinds.map((kind, i) => ({ kind, ...(figures[i] as Figure) })),
  };
}

/**
 * GET /targets/report: every visible user (or department) × 12 months of one year — target,
 * actual, percent — plus the year. Two queries whatever the number of rows.
 */
export async function targetReport(deps: Deps, auth: AuthContext, query: { year: number; kind: TargetKind; subjectType: 'user' | 'department' }) {
  const ctx = await targetContext(deps, auth);
  const { year, kind } = query;
  const subjects =
    query.subjectType === 'user'
      ? (await activeUsers(deps.db, auth.workspaceId)).filter((u) => canViewUser(ctx, u.id)).map((u) => ({ id: u.id, name: u.name, owners: [u.id], editable: canEditUser(ctx, u.id) }))
      : (await allDepartments(deps.db, auth.workspaceId))
          .filter((d) => canViewDepartment(ctx, d.id))
          .map((d) => ({ id: d.id, name: d.name, owners: departmentMembers(ctx.org, d.id), editable: canEditDepartment(ctx, d.id) }));
  // Only the owners shown count: one index seek per owner instead of a scan of the whole year.
  const owners = [...new Set(subjects.flatMap((s) => s.owners))];
  const [targets, actuals] = await Promise.all([
    findTargets(deps.db, auth.workspaceId, { years: [year], kind, subjectType: query.subjectType }),
    actualsByOwnerMonth(deps.db, auth.workspaceId, kind, `${year}-01-01`, `${year}-12-31`, owners),
  ]);
  const byOwner = new Map<string, number[]>();
  for (const a of actuals) {
    if (a.ownerId) {
      const months = byOwner.get(a.ownerId) ?? Array<number>(12).fill(0);
      const m = Number(a.ym.slice(5, 7)) - 1;
      months[m] = (months[m] ?? 0) + a.cents;
      byOwner.set(a.ownerId, months);
    }
  }
  const targetOf = new Map<string, TargetRow>(targets.map((t) => [t.subjectId, t]));
  return {
    year,
    kind,
    subjectType: query.subjectType,
    rows: subjects.map((s) => {
      const target = targetOf.get(s.id)?.months ?? Array<number>(12).fill(0);
      const actual = Array<number>(12).fill(0);
      for (const owner of s.owners) {
        (byOwner.get(owner) ?? []).forEach((cents, m) => {
          actual[m] = (actual[m] ?? 0) + cents;
        });
      }
      const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
      return {
        subjectId: s.id,
        name: s.name,
        months: target.map((t, m) => figure(t, actual[m] ?? 0)),
        year: figure(sum(target), sum(actual)),
        editable: s.editable,
      };
    }),
  };
}

/** GET /targets/summary: the home-page widget — my and my department's month and year, both kinds. */
export async function targetSummary(deps: Deps, auth: AuthContext) {
  const ctx = await targetContext(deps, auth, { lenient: true });
  const today = await workspaceToday(deps, deps.db, auth.workspaceId);
  const year = Number(today.slice(0, 4));
  const month = monthRange(year, Number(today.slice(5, 7)));
  const subjects: { scope: 'me' | 'department'; subject: Subject }[] = [];
  if (auth.userId && canViewUser(ctx, auth.userId)) {
    subjects.push({ scope: 'me', subject: { type: 'user', id: auth.userId, owners: [auth.userId] } });
  }
  if (ctx.myDepartmentId && canViewDepartment(ctx, ctx.myDepartmentId)) {
    subjects.push({ scope: 'department', subject: { type: 'department', id: ctx.myDepartmentId, owners: departmentMembers(ctx.org, ctx.myDepartmentId) } });
  }
  const thisMonth = month.from.slice(0, 7);
  // One read of the year per subject and kind: the month is one of its monthly groups.
  const items = await Promise.all(
    subjects.flatMap(({ scope, subject }) =>
      targetKinds.map(async (kind) => {
        const [targets, actuals] = await Promise.all([
          findTargets(deps.db, auth.workspaceId, { years: [year], kind, subjectType: subject.type, subjectIds: [subject.id] }),
          actualsByOwnerMonth(deps.db, auth.workspaceId, kind, `${year}-01-01`, `${year}-12-31`, subject.owners),
        ]);
        const months = targets[0]?.months;
        const monthTarget = targetForRange(() => months, month.from, month.to);
        const yearTarget = targetForRange(() => months, `${year}-01-01`, `${year}-12-31`);
        const monthActual = actuals.filter((a) => a.ym === thisMonth).reduce((sum, a) => sum + a.cents, 0);
        const yearActual = actuals.reduce((sum, a) => sum + a.cents, 0);
        return { scope, subjectId: subject.id, kind, month: figure(monthTarget, monthActual), year: figure(yearTarget, yearActual) };
      }),
    ),
  );
  const [users, departments] = await Promise.all([
    namesOf(deps.db, auth.workspaceId, 'users', auth.userId ? [auth.userId] : []),
    namesOf(deps.db, auth.workspaceId, 'departments', ctx.myDepartmentId ? [ctx.myDepartmentId] : []),
  ]);
  return { today, items: items.map((i) => ({ ...i, subjectName: (i.scope === 'me' ? users : departments).get(i.subjectId) ?? null })) };
}
