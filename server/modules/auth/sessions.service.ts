import { createHash, randomBytes } from 'node:crypto';
import { type Deps, nowIso } from '../../deps';
import { stampVersion } from '../permissions/authz-stamps';
import { deleteSession, findSessionWithUser, insertSession, touchSession } from './sessions.repo';

export const sessionCookie = 'haoke_session';
export const csrfCookie = 'haoke_csrf';

/** Tokens are 256-bit random; only their SHA-256 is stored, so a database leak yields no live sessions. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export async function createSession(
  deps: Deps,
  input: { workspaceId: string; userId: string; ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3_600_000).toISOString();
  await insertSession(deps.db, {
    id: hashToken(token),
    workspaceId: input.workspaceId,
    userId: input.userId,
    csrfToken,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 500) ?? null,
  });
  return { token, csrfToken, expiresAt };
}

export interface ActiveSession {
  id: string;
  workspaceId: string;
  userId: string;
  csrfToken: string;
  locale: string | null;
  /** The user's role ids, read with the session and stamped with the authorisation version read alongside (authz-stamps.ts). */
  roleIds: string[];
}

/**
 * Resolves a cookie token to a live session. Expired sessions (idle or absolute) and sessions of
 * deactivated users are deleted on sight and treated as absent.
 */
export async function resolveSession(deps: Deps, token: string): Promise<ActiveSession | null> {
  const id = hashToken(token);
  const rows = await findSessionWithUser(deps.db, id);
  const row = rows[0];
  if (!row) {
    return null;
  }
  const now = deps.now().getTime();
  const idleLimit = Date.parse(row.lastSeenAt) + deps.config.sessionIdleMinutes * 60_000;
  if (row.status !== 'active' || now > Date.parse(row.expiresAt) || now > idleLimit) {
    await deleteSession(deps.db, row.workspaceId, id);
    return null;
  }
  // Touch at most once a minute: idle tracking needs no per-request write.
  if (now - Date.parse(row.lastSeenAt) > 60_000) {
    await touchSession(deps.db, row.workspaceId, id, nowIso(deps));
  }
  const roleIds = rows.flatMap((r) => (r.roleId === null ? [] : [r.roleId]));
  stampVersion(roleIds, row.workspaceId, Number(row.authzVersion ?? 0));
  return { id, workspaceId: row.workspaceId, userId: row.userId, csrfToken: row.csrfToken, locale: row.locale, roleIds };
}
