import type { CustomFieldDefinition } from '../../../common/custom-fields';
import type { Action } from '../../../common/permissions';
import type { Deps } from '../../deps';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { registerCustomizableTable } from '../custom-fields/custom-fields.tables';
import { inScope, type Principal, scopeFilter } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';
import { workspaceCurrency } from '../workspace/workspace.currency';

registerCustomizableTable('deal', 'deals');

/** Everything a deal request needs to decide visibility, access and presentation. */
export interface DealContext {
  principal: Principal;
  definitions: CustomFieldDefinition[];
  view: ScopeFilter;
  scopes: Partial<Record<Action, ScopeFilter | null>>;
  /** The workspace currency, beside every amount. */
  currency: string;
}

async function optionalScope(deps: Deps, principal: Principal, action: Action): Promise<ScopeFilter | null> {
  const granted = principal.permissions.actions.get(`deal:${action}`);
  return granted && granted.length > 0 ? scopeFilter(deps, principal, 'deal', action) : null;
}

export async function dealContext(deps: Deps, principal: Principal, extra: readonly Action[] = ['edit', 'delete', 'transfer']): Promise<DealContext> {
  const [definitions, view, currency, ...others] = await Promise.all([
    customFieldDefinitions(deps, principal.workspaceId, 'deal'),
    scopeFilter(deps, principal, 'deal', 'view'),
    workspaceCurrency(deps.db, principal.workspaceId),
    ...extra.map((a) => optionalScope(deps, principal, a)),
  ]);
  const scopes: DealContext['scopes'] = { view };
  extra.forEach((action, i) => {
    scopes[action] = others[i] ?? null;
  });
  return { principal, definitions, view, scopes, currency };
}

export interface DealAccess {
  edit: boolean;
  delete: boolean;
  transfer: boolean;
}

export function dealAccess(ctx: DealContext, ownerId: string | null): DealAccess {
  const can = (action: Action) => {
    const scope = ctx.scopes[action];
    return scope !== null && scope !== undefined && inScope(scope, ownerId);
  };
  return { edit: can('edit'), delete: can('delete'), transfer: can('transfer') };
}
