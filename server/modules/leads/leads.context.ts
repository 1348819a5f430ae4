import type { CustomFieldDefinition } from '../../../common/custom-fields';
import type { Action } from '../../../common/permissions';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { can, inScope, scopeFilter } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';
import { findLead, type LeadRow } from './leads.repo';
import type { Lead } from './leads.schema';

/** Everything a lead request needs to decide visibility, access and presentation. */
export interface LeadContext {
  auth: AuthContext;
  definitions: CustomFieldDefinition[];
  view: ScopeFilter;
  edit: ScopeFilter | null;
  delete: ScopeFilter | null;
  assign: ScopeFilter | null;
  canCreateCustomer: boolean;
}

async function optionalScope(deps: Deps, auth: AuthContext, action: Action): Promise<ScopeFilter | null> {
  return can(auth.permissions, `lead:${action}`) ? scopeFilter(deps, auth, 'lead', action) : null;
}

export async function leadContext(deps: Deps, auth: AuthContext): Promise<LeadContext> {
  const [definitions, view, edit, del, assign] = await Promise.all([
    customFieldDefinitions(deps, auth.workspaceId, 'lead'),
    scopeFilter(deps, auth, 'lead', 'view'),
    optionalScope(deps, auth, 'edit'),
    optionalScope(deps, auth, 'delete'),
    optionalScope(deps, auth, 'assign'),
  ]);
  return { auth, definitions, view, edit, delete: del, assign, canCreateCustomer: can(auth.permissions, 'customer:create') };
}

/** What the caller may do with a lead: by the owner's place in each action's scope; nothing once converted. */
export function leadAccess(ctx: LeadContext, row: { ownerId: string | null; status: string }): Lead['access'] {
  const open = row.status !== 'converted';
  const scoped = (scope: ScopeFilter | null) => open && scope !== null && inScope(scope, row.ownerId);
  const edit = scoped(ctx.edit);
  return { edit, delete: scoped(ctx.delete), assign: scoped(ctx.assign), convert: edit && ctx.canCreateCustomer && row.status !== 'invalid' };
}

/** A lead the caller may see, or 404 (never 403: existence is not revealed). */
export async function loadLead(deps: Deps, ctx: LeadContext, id: string, options: { deleted?: boolean } = {}): Promise<LeadRow> {
  const row = await findLead(deps.db, ctx.auth.workspaceId, id, ctx.view);
  if (!row || (row.deletedAt !== null) !== (options.deleted ?? false)) {
    throw new AppError('not_found');
  }
  return row;
}

/** Converted leads are read-only: every write refuses them with a stable code. */
export function assertOpen(row: { status: string }): void {
  if (row.status === 'converted') {
    throw new AppError('lead_converted');
  }
}
