import type { CustomFieldDefinition } from '../../../common/custom-fields';
import type { Action } from '../../../common/permissions';
import { type Deps, nowIso } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { inScope, scopeFilter } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';
import type { RecordAccess } from './customers.present';
import { findCollaborators, type Visibility } from './customers.repo';

/** Everything a customer request needs to decide visibility, access and presentation. */
export interface CustomerContext {
  auth: AuthContext;
  definitions: CustomFieldDefinition[];
  visibility: Visibility;
  scopes: Partial<Record<Action, ScopeFilter | null>>;
}

async function optionalScope(deps: Deps, auth: AuthContext, action: Action): Promise<ScopeFilter | null> {
  const granted = auth.permissions.actions.get(`customer:${action}`);
  return granted && granted.length > 0 ? scopeFilter(deps, auth, 'customer', action) : null;
}

export async function customerContext(deps: Deps, auth: AuthContext, extra: readonly Action[] = ['edit', 'delete', 'transfer']): Promise<CustomerContext> {
  const [definitions, view, ...others] = await Promise.all([
    customFieldDefinitions(deps, auth.workspaceId, 'customer', auth.permissions),
    scopeFilter(deps, auth, 'customer', 'view'),
    ...extra.map((a) => optionalScope(deps, auth, a)),
  ]);
  const scopes: CustomerContext['scopes'] = { view };
  extra.forEach((action, i) => {
    scopes[action] = others[i] ?? null;
  });
  return { auth, definitions, visibility: { scope: view, userId: auth.userId, now: nowIso(deps) }, scopes };
}

/**
 * What the caller may do with each record: edit if its owner is in their edit scope or they are
 * a live read-write collaborator; delete and transfer by owner scope only.
 */
export async function accessFor(
  deps: Deps,
  ctx: CustomerContext,
  rows: readonly { id: string; ownerId: string | null; locked: number }[],
): Promise<Map<string, RecordAccess>> {
  const can = (action: Action, ownerId: string | null) => {
    const scope = ctx.scopes[action];
    return scope !== null && scope !== undefined && inScope(scope, ownerId);
  };
  const writable = new Set<string>();
  // Being a read-write collaborator only matters for records the edit scope does not cover
  // already: on a typical page (own or subordinates' records) that is none, and no query runs.
  const undecided = rows.filter((r) => !can('edit', r.ownerId)).map((r) => r.id);
  if (ctx.auth.userId && undecided.length > 0) {
    const now = ctx.visibility.now;
    for (const c of await findCollaborators(deps.db, ctx.auth.workspaceId, undecided)) {
      if (c.userId === ctx.auth.userId && c.access === 'write' && (c.expiresAt === null || c.expiresAt > now)) {
        writable.add(c.customerId);
      }
    }
  }
  return new Map(
    rows.map((r) => [
      r.id,
      {
        edit: can('edit', r.ownerId) || writable.has(r.id),
        delete: can('delete', r.ownerId),
        transfer: can('transfer', r.ownerId),
      },
    ]),
  );
}
