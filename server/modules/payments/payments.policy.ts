import { type Expression, type SqlBool, sql } from 'kysely';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { resolveScopes } from '../contacts/contacts.policy';
import { inScope } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';
import { workspaceCurrency } from '../workspace/workspace.currency';

/**
 * Who sees and changes payments and plans. A payment is visible when its owner (who collected
 * it) or its contract's owner is in the caller's payment:view scope — a manager sees what is
 * paid on their team's contracts whoever booked it. A plan belongs to its contract: visible by
 * the contract's owner in payment:view scope, editable by it in payment:edit scope.
 */
export interface PaymentContext {
  auth: AuthContext;
  view: ScopeFilter;
  create: ScopeFilter | null;
  edit: ScopeFilter | null;
  delete: ScopeFilter | null;
  /** Contracts one may record payments on: contract:view scope (plus payment:view scope). */
  contractView: ScopeFilter | null;
  /** The workspace currency, beside every amount. */
  currency: string;
}

export async function paymentContext(deps: Deps, auth: AuthContext, options: { lenient?: boolean } = {}): Promise<PaymentContext> {
  const [scopes, currency] = await Promise.all([
    resolveScopes(deps, auth, ['payment:view', 'payment:create', 'payment:edit', 'payment:delete', 'contract:view']),
    workspaceCurrency(deps.db, auth.workspaceId),
  ]);
  const view = scopes['payment:view'];
  if (!view && !options.lenient) {
    throw new AppError('forbidden');
  }
  return {
    auth,
    view: view ?? { kind: 'owners', ownerIds: [] },
    create: scopes['payment:create'],
    edit: scopes['payment:edit'],
    delete: scopes['payment:delete'],
    contractView: scopes['contract:view'],
    currency,
  };
}

export function ownerIn(column: string, scope: ScopeFilter | null): Expression<SqlBool> {
  if (!scope) {
    return sql<SqlBool>`1 = 0`;
  }
  if (scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  return scope.ownerIds.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${sql.ref(column)} in (${sql.join(scope.ownerIds)})`;
}

/**
 * WHERE of visible payments over `payments p` joined to `contracts k`. An approver of a
 * payment's approval sees it too (to decide on it), whatever their scope.
 */
export function paymentVisible(ctx: PaymentContext): Expression<SqlBool> {
  if (ctx.view.kind === 'all') {
    return sql<SqlBool>`p.deleted_at is null`;
  }
  const approver = ctx.auth.userId
    ? sql<SqlBool>`exists (select 1 from approval_tasks at where at.workspace_id = ${ctx.auth.workspaceId} and at.instance_id = p.approval_id and at.approver_id = ${ctx.auth.userId})`
    : sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(p.deleted_at is null and (${ownerIn('p.owner_id', ctx.view)} or ${ownerIn('k.owner_id', ctx.view)} or ${approver}))`;
}

/** WHERE of visible plans over `payment_plans pp` joined to `contracts k`. */
export function planVisible(ctx: PaymentContext): Expression<SqlBool> {
  return sql<SqlBool>`(pp.deleted_at is null and k.deleted_at is null and ${ownerIn('k.owner_id', ctx.view)})`;
}

export function canSeeContract(ctx: PaymentContext, contractOwnerId: string | null): boolean {
  return (ctx.contractView !== null && inScope(ctx.contractView, contractOwnerId)) || inScope(ctx.view, contractOwnerId);
}

export function paymentAccess(ctx: PaymentContext, row: { ownerId: string | null; status: string }): { edit: boolean; delete: boolean } {
  return {
    edit: (row.status === 'rejected' || row.status === 'withdrawn') && ctx.edit !== null && inScope(ctx.edit, row.ownerId),
    delete: ctx.delete !== null && inScope(ctx.delete, row.ownerId),
  };
}

export function planAccess(ctx: PaymentContext, contractOwnerId: string | null): { edit: boolean } {
  return { edit: ctx.edit !== null && inScope(ctx.edit, contractOwnerId) };
}
