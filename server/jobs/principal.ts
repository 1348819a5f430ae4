import type { Deps } from '../deps';
import type { AuthContext } from '../http/auth-context';
import { findUserRoleIds } from '../modules/permissions/permissions.repo';
import { resolvePermissions } from '../modules/permissions/permissions.service';
import { PermanentJobError } from './registry';

/** Who asked for a background job: a user (session) or an API key. */
export interface JobRequester {
  userId: string | null;
  apiKeyId: string | null;
}

export function requesterOf(auth: AuthContext): JobRequester {
  return { userId: auth.kind === 'session' ? auth.userId : null, apiKeyId: auth.apiKeyId };
}

/**
 * The requester's permissions as they are now, not as they were when the job was queued: a
 * deactivated user's or revoked key's job stops, and a narrowed role narrows what it touches.
 */
export async function jobAuth(deps: Deps, workspaceId: string, requester: JobRequester): Promise<AuthContext> {
  if (requester.apiKeyId) {
    const key = await deps.db
      .selectFrom('apiKeys')
      .select(['id', 'roleId', 'createdBy', 'revokedAt'])
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', requester.apiKeyId)
      .executeTakeFirst();
    if (!key || key.revokedAt !== null) {
      throw new PermanentJobError('The API key that asked for this job was revoked');
    }
    const roleIds = [key.roleId];
    return {
      kind: 'apiKey',
      workspaceId,
      userId: key.createdBy,
      apiKeyId: key.id,
      sessionId: null,
      csrfToken: null,
      roleIds,
      permissions: await resolvePermissions(deps, workspaceId, roleIds),
      locale: null,
    };
  }
  const user = requester.userId
    ? await deps.db.selectFrom('users').select(['id', 'status', 'locale']).where('workspaceId', '=', workspaceId).where('id', '=', requester.userId).executeTakeFirst()
    : undefined;
  if (!user || user.status !== 'active') {
    throw new PermanentJobError('The user who asked for this job is no longer active');
  }
  const roleIds = await findUserRoleIds(deps.db, workspaceId, user.id);
  return {
    kind: 'session',
    workspaceId,
    userId: user.id,
    apiKeyId: null,
    sessionId: null,
    csrfToken: null,
    roleIds,
    permissions: await resolvePermissions(deps, workspaceId, roleIds),
    locale: user.locale === 'en' || user.locale === 'zh-CN' ? user.locale : null,
  };
}
