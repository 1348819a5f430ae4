import { type Expression, type SqlBool, sql } from 'kysely';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { resolveScopes } from '../contacts/contacts.policy';
import { inScope } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';

/**
 * Who may see and change follow-ups. A follow-up is visible to whoever its author is in the
 * followUp:view scope of, and to whoever may see its customer (owner in customer:view scope or a
 * live collaborator): the customer's 360° page shows every follow-up on it, as the timeline does.
 */
export interface FollowUpContext {
  auth: AuthContext;
  view: ScopeFilter;
  customerView: ScopeFilter | null;
  edit: ScopeFilter | null;
  delete: ScopeFilter | null;
  now: string;
}

/** `lenient`: without followUp:view the caller sees no one's follow-ups instead of being refused. */
export async function followUpContext(deps: Deps, auth: AuthContext, options: { lenient?: boolean } = {}): Promise<FollowUpContext> {
  const scopes = await resolveScopes(deps, auth, ['followUp:view', 'customer:view', 'followUp:edit', 'followUp:delete']);
  const view = scopes['followUp:view'];
  if (!view && !options.lenient) {
    throw new AppError('forbidden');
  }
  return {
    auth,
    view: view ?? { kind: 'owners', ownerIds: [] },
    customerView: scopes['customer:view'],
    edit: scopes['followUp:edit'],
    delete: scopes['followUp:delete'],
    now: nowIso(deps),
  };
}

function ownerIn(column: string, scope: ScopeFilter): Expression<SqlBool> {
  if (scope.kind === 'all') {
    return sql<SqlBool>`1 = 1`;
  }
  return scope.ownerIds.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${sql.ref(column)} in (${sql.join(scope.ownerIds)})`;
}

/**
 * The WHERE clause of visible follow-ups, for a query over `follow_ups f` left-joined to
 * `customers c` on f.customer_id. Follow-ups of customers in the recycle bin are hidden with them.
 */
export function followUpVisibleCondition(ctx: FollowUpContext): Expression<SqlBool> {
  const ws = ctx.auth.workspaceId;
  const live = sql<SqlBool>`f.deleted_at is null and (c.id is null or c.deleted_at is null)`;
  if (ctx.view.kind === 'all' || ctx.customerView?.kind === 'all') {
    return sql<SqlBool>`(${live})`;
  }
  const parts: Expression<SqlBool>[] = [ownerIn('f.owner_id', ctx.view)];
  if (ctx.customerView) {
    parts.push(ownerIn('c.owner_id', ctx.customerView));
    if (ctx.auth.userId) {
      parts.push(sql<SqlBool>`exists (select 1 from customer_collaborators cc where cc.workspace_id = ${ws}
        and cc.customer_id = f.customer_id and cc.user_id = ${ctx.auth.userId} and (cc.expires_at is null or cc.expires_at > ${ctx.now}))`);
    }
  }
  return sql<SqlBool>`(${live} and (${sql.join(parts, sql` or `)}))`;
}

/** Who may edit and delete follow-ups: the caller and their followUp:edit / delete scopes. */
export type ChangeScopes = Pick<FollowUpContext, 'auth' | 'edit' | 'delete'>;

/** ChangeScopes alone, for follow-ups seen through their record (a lead's, a deal's) rather than followUp:view. */
export async function followUpChangeScopes(deps: Deps, auth: AuthContext): Promise<ChangeScopes> {
  const scopes = await resolveScopes(deps, auth, ['followUp:edit', 'followUp:delete']);
  return { auth, edit: scopes['followUp:edit'], delete: scopes['followUp:delete'] };
}

/** Edit and delete: the author always; others by the author's place in their followUp scope. */
export function followUpAccess(ctx: ChangeScopes, ownerId: string): { edit: boolean; delete: boolean } {
  const author = ctx.auth.userId !== null && ctx.auth.userId === ownerId;
  return {
    edit: author || (ctx.edit !== null && inScope(ctx.edit, ownerId)),
    delete: author || (ctx.delete !== null && inScope(ctx.delete, ownerId)),
  };
}
