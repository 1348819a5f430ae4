import type { CustomFieldDefinition } from '../../../common/custom-fields';
import type { PermissionKey } from '../../../common/permissions';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { findCollaborators, type Visibility } from '../customers/customers.repo';
import { inScope, orgGraphOf } from '../permissions/permissions.service';
import { resolveScope, type ScopeFilter } from '../permissions/scope';

/** What a contact request needs to decide visibility, access and presentation. */
export interface ContactContext {
  auth: AuthContext;
  definitions: CustomFieldDefinition[];
  visibility: Visibility;
  edit: ScopeFilter | null;
  delete: ScopeFilter | null;
}

export interface ContactAccess {
  edit: boolean;
  delete: boolean;
}

/**
 * The data scopes of several actions at once, reading the org graph (users, departments) once
 * rather than once per action: the 360° view asks for many. null = the action is not granted.
 */
export async function resolveScopes<K extends PermissionKey>(deps: Deps, auth: AuthContext, keys: readonly K[]): Promise<Record<K, ScopeFilter | null>> {
  const granted = keys.map((k) => auth.permissions.actions.get(k) ?? []);
  const needsOrg = granted.some((g) => g.length > 0 && !g.includes('all'));
  const org = needsOrg ? await orgGraphOf(deps, auth) : { users: [], departments: [] };
  return Object.fromEntries(keys.map((k, i) => [k, granted[i]?.length ? resolveScope(org, auth.userId, granted[i]) : null])) as Record<K, ScopeFilter | null>;
}

export async function contactContext(deps: Deps, auth: AuthContext): Promise<ContactContext> {
  const [definitions, scopes] = await Promise.all([
    customFieldDefinitions(deps, auth.workspaceId, 'contact', auth.permissions),
    resolveScopes(deps, auth, ['contact:view', 'contact:edit', 'contact:delete']),
  ]);
  const view = scopes['contact:view'];
  if (!view) {
    throw new AppError('forbidden');
  }
  return { auth, definitions, visibility: { scope: view, userId: auth.userId, now: nowIso(deps) }, edit: scopes['contact:edit'], delete: scopes['contact:delete'] };
}

/**
 * What the caller may do with each contact: edit when its owner is in their contact edit scope
 * or they are a live read-write collaborator of its customer; delete by owner scope only.
 */
export async function contactAccessFor(
  deps: Deps,
  ctx: ContactContext,
  rows: readonly { id: string; customerId: string; ownerId: string | null }[],
): Promise<Map<string, ContactAccess>> {
  const writable = new Set<string>();
  // Only records outside the edit scope need the collaborator lookup (see customers' accessFor).
  const undecided = rows.filter((r) => ctx.edit === null || !inScope(ctx.edit, r.ownerId));
  if (ctx.auth.userId && undecided.length > 0) {
    const customerIds = [...new Set(undecided.map((r) => r.customerId))];
    for (const c of await findCollaborators(deps.db, ctx.auth.workspaceId, customerIds)) {
      if (c.userId === ctx.auth.userId && c.access === 'write' && (c.expiresAt === null || c.expiresAt > ctx.visibility.now)) {
        writable.add(c.customerId);
      }
    }
  }
  return new Map(
    rows.map((r) => [
      r.id,
      {
        edit: (ctx.edit !== null && inScope(ctx.edit, r.ownerId)) || writable.has(r.customerId),
        delete: ctx.delete !== null && inScope(ctx.delete, r.ownerId),
      },
    ]),
  );
}
