import { formatMoney } from '../../../common/money';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { spreadYear } from './targets.math';
import { canEditDepartment, canEditUser, canViewDepartment, canViewUser, targetContext } from './targets.policy';
import { findTargets, namesOf, type TargetRow, upsertTarget } from './targets.repo';
import type { SetTargetsBody, Target, TargetKind } from './targets.schema';

function presentTarget(row: TargetRow, names: Map<string, string>): Target {
  return {
    id: row.id,
    year: row.year,
    kind: row.kind,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    subjectName: names.get(row.subjectId) ?? null,
    months: row.months.map(formatMoney),
    yearTotal: formatMoney(row.yearCents),
    updatedAt: row.updatedAt,
  };
}

async function present(deps: Deps, workspaceId: string, rows: TargetRow[]): Promise<Target[]> {
  const [users, departments] = await Promise.all([
    namesOf(deps.db, workspaceId, 'users', rows.filter((r) => r.subjectType === 'user').map((r) => r.subjectId)),
    namesOf(deps.db, workspaceId, 'departments', rows.filter((r) => r.subjectType === 'department').map((r) => r.subjectId)),
  ]);
  return rows.map((r) => presentTarget(r, r.subjectType === 'user' ? users : departments));
}

/** Targets of one year the caller may see (optionally one kind or subject type). */
export async function listTargets(deps: Deps, auth: AuthContext, query: { year: number; kind?: TargetKind | undefined; subjectType?: 'user' | 'department' | undefined }): Promise<{ data: Target[] }> {
  const ctx = await targetContext(deps, auth);
  const rows = (await findTargets(deps.db, auth.workspaceId, { years: [query.year], kind: query.kind, subjectType: query.subjectType })).filter((r) =>
    r.subjectType === 'user' ? canViewUser(ctx, r.subjectId) : canViewDepartment(ctx, r.subjectId),
  );
  return { data: await present(deps, auth.workspaceId, rows) };
}

/**
 * Sets targets for a year in bulk 设置业绩目标: per subject 12 monthly values (the year is their
 * sum) or a year total spread evenly. Every subject must be one the caller may set targets for.
 */
export async function setTargets(deps: Deps, auth: AuthContext, actor: AuditActor, body: SetTargetsBody): Promise<{ data: Target[] }> {
  const ctx = await targetContext(deps, auth);
  const userIds = new Set(ctx.org.users.map((u) => u.id));
  const departmentIds = new Set(ctx.org.departments.map((d) => d.id));
  const seen = new Set<string>();
  body.items.forEach((item, i) => {
    const key = `${item.subjectType}:${item.subjectId}`;
    const path = `items.${i}.subjectId`;
    if (seen.has(key)) {
      throw new AppError('validation_failed', { errors: [{ path, message: 'listed twice' }] });
    }
    seen.add(key);
    const exists = item.subjectType === 'user' ? userIds.has(item.subjectId) && canViewUser(ctx, item.subjectId) : departmentIds.has(item.subjectId) && canViewDepartment(ctx, item.subjectId);
    if (!exists) {
      throw new AppError('validation_failed', { errors: [{ path, message: `no such ${item.subjectType}` }] });
    }
    if (!(item.subjectType === 'user' ? canEditUser(ctx, item.subjectId) : canEditDepartment(ctx, item.subjectId))) {
      throw new AppError('forbidden', { detail: `You may not set targets for this ${item.subjectType}` });
    }
    if (item.months && item.yearTotal !== undefined && item.months.reduce((a, b) => a + b, 0) !== item.yearTotal) {
      throw new AppError('validation_failed', { errors: [{ path: `items.${i}.yearTotal`, message: 'must equal the sum of the months (or leave it out)' }] });
    }
  });
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    for (const item of body.items) {
      const months = item.months ?? spreadYear(item.yearTotal ?? 0);
      await upsertTarget(trx, {
        id: newId(),
        workspaceId: auth.workspaceId,
        year: body.year,
        kind: body.kind,
        subjectType: item.subjectType,
        subjectId: item.subjectId,
        months,
        yearCents: months.reduce((a, b) => a + b, 0),
        updatedBy: auth.userId,
        createdAt: now,
        updatedAt: now,
      });
    }
  });
  await recordAudit(deps, actor, { action: 'targets.set', targetType: 'target', detail: { year: body.year, kind: body.kind, subjects: body.items.length } });
  const rows = await findTargets(deps.db, auth.workspaceId, { years: [body.year], kind: body.kind });
  return { data: await present(deps, auth.workspaceId, rows.filter((r) => seen.has(`${r.subjectType}:${r.subjectId}`))) };
}
