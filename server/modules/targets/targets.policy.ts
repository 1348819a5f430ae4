import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { findOrgGraph } from '../permissions/permissions.repo';
import { inScope } from '../permissions/permissions.service';
import { type OrgGraph, resolveScope, type ScopeFilter } from '../permissions/scope';

/**
 * Who sees and sets targets. Users: by target:view / target:edit scope (a manager sets their
 * subordinates'). Departments: anyone with scope 'all'; a department leader for the departments
 * they lead and everything below; and, to see only, a member for their own department.
 */
export interface TargetContext {
  auth: AuthContext;
  org: OrgGraph;
  view: ScopeFilter | null;
  edit: ScopeFilter | null;
  myDepartmentId: string | null;
  ledTree: Set<string>;
}

/** A department and every department below it. */
export function departmentSubtree(org: OrgGraph, roots: Iterable<string>): Set<string> {
  const children = new Map<string, string[]>();
  for (const d of org.departments) {
    if (d.parentId) {
      children.set(d.parentId, [...(children.get(d.parentId) ?? []), d.id]);
    }
  }
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (!seen.has(id)) {
      seen.add(id);
      queue.push(...(children.get(id) ?? []));
    }
  }
  return seen;
}

/** Members of a department and its sub-departments: whose results count for it. */
export function departmentMembers(org: OrgGraph, departmentId: string): string[] {
  const tree = departmentSubtree(org, [departmentId]);
  return org.users.filter((u) => u.departmentId !== null && tree.has(u.departmentId)).map((u) => u.id);
}

export async function targetContext(deps: Deps, auth: AuthContext, options: { lenient?: boolean } = {}): Promise<TargetContext> {
  const viewGranted = auth.permissions.actions.get('target:view') ?? [];
  const editGranted = auth.permissions.actions.get('target:edit') ?? [];
  if (viewGranted.length === 0 && editGranted.length === 0 && !options.lenient) {
    throw new AppError('forbidden');
  }
  const org = await findOrgGraph(deps.db, auth.workspaceId);
  const me = org.users.find((u) => u.id === auth.userId);
  const led = org.departments.filter((d) => auth.userId !== null && d.leaderId === auth.userId).map((d) => d.id);
  return {
    auth,
    org,
    view: viewGranted.length > 0 ? resolveScope(org, auth.userId, viewGranted) : null,
    edit: editGranted.length > 0 ? resolveScope(org, auth.userId, editGranted) : null,
    myDepartmentId: me?.departmentId ?? null,
    ledTree: departmentSubtree(org, led),
  };
}

export function canEditUser(ctx: TargetContext, userId: string): boolean {
  return ctx.edit !== null && inScope(ctx.edit, userId);
}

/** Whoever may set a user's target may see it too. */
export function canViewUser(ctx: TargetContext, userId: string): boolean {
  return (ctx.view !== null && inScope(ctx.view, userId)) || canEditUser(ctx, userId);
}

export function canEditDepartment(ctx: TargetContext, departmentId: string): boolean {
  return ctx.edit !== null && (ctx.edit.kind === 'all' || ctx.ledTree.has(departmentId));
}

export function canViewDepartment(ctx: TargetContext, departmentId: string): boolean {
  if (canEditDepartment(ctx, departmentId)) {
    return true;
  }
  return ctx.view !== null && (ctx.view.kind === 'all' || ctx.ledTree.has(departmentId) || ctx.myDepartmentId === departmentId);
}
