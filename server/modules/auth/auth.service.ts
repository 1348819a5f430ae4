import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuditActor } from '../audit-log/audit-log.service';
import { recordAudit } from '../audit-log/audit-log.service';
import { findUserCredentials, setPasswordHash, updateUser } from '../users/users.repo';
import { findLoginCandidates, incrementFailedLogins, lockAccount, recordSuccessfulLogin } from './auth.repo';
import { assertPasswordPolicy, burnPasswordCheck, hashPassword, verifyPassword } from './passwords';
import { deleteSession, deleteUserSessions } from './sessions.repo';
import { createSession, hashToken, type NewSession } from './sessions.service';

export interface LoginInput {
  email: string;
  password: string;
  workspaceId?: string | undefined;
  ip: string | null;
  userAgent: string | null;
  /** The session cookie presented with the request, if any: replaced, never reused (rotation). */
  previousToken?: string | undefined;
}

/**
 * Checks credentials with a per-account lockout: after N failures in a row the account is
 * locked for M minutes (429 with Retry-After), whatever password is tried meanwhile.
 */
export async function login(deps: Deps, input: LoginInput): Promise<NewSession & { userId: string; workspaceId: string }> {
  const passwordOptions = { memoryKib: deps.config.argon2MemoryKib };
  const candidates = (await findLoginCandidates(deps.db, input.email)).filter(
    (c) => input.workspaceId === undefined || c.workspaceId === input.workspaceId,
  );
  if (candidates.length > 1) {
    throw new AppError('validation_failed', { errors: [{ path: 'workspaceId', message: 'this email belongs to several workspaces; name one' }] });
  }
  const user = candidates[0];
  if (!user) {
    await burnPasswordCheck(input.password, passwordOptions);
    throw new AppError('invalid_credentials');
  }
  const actor: AuditActor = { workspaceId: user.workspaceId, userId: user.id, apiKeyId: null, ip: input.ip, userAgent: input.userAgent };
  const now = deps.now();
  if (user.lockedUntil && Date.parse(user.lockedUntil) > now.getTime()) {
    await recordAudit(deps, actor, { action: 'auth.login_failed', targetType: 'user', targetId: user.id, detail: { reason: 'locked' } });
    throw new AppError('account_locked', { retryAfter: Math.ceil((Date.parse(user.lockedUntil) - now.getTime()) / 1000) });
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  if (!ok || user.status !== 'active') {
    if (!ok) {
      // Incremented in SQL, not from the value read above: parallel guesses must all count.
      const failures = await incrementFailedLogins(deps.db, user.workspaceId, user.id);
      if (failures >= deps.config.loginMaxFailures) {
        await lockAccount(deps.db, user.workspaceId, user.id, new Date(now.getTime() + deps.config.loginLockMinutes * 60_000).toISOString());
      }
    }
    await recordAudit(deps, actor, {
      action: 'auth.login_failed',
      targetType: 'user',
      targetId: user.id,
      detail: { reason: ok ? 'inactive' : 'wrong_password' },
    });
    throw new AppError('invalid_credentials');
  }
  if (input.previousToken) {
    await deleteSession(deps.db, user.workspaceId, hashToken(input.previousToken));
  }
  await recordSuccessfulLogin(deps.db, user.workspaceId, user.id, nowIso(deps));
  const session = await createSession(deps, { workspaceId: user.workspaceId, userId: user.id, ip: input.ip, userAgent: input.userAgent });
  await recordAudit(deps, actor, { action: 'auth.login', targetType: 'user', targetId: user.id });
  return { ...session, userId: user.id, workspaceId: user.workspaceId };
}

/** Changing one's own password needs the current one and signs out every other session. */
export async function changeOwnPassword(
  deps: Deps,
  actor: AuditActor & { userId: string },
  sessionId: string | null,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const creds = await findUserCredentials(deps.db, actor.workspaceId, actor.userId);
  if (!creds || !(await verifyPassword(creds.passwordHash, currentPassword))) {
    throw new AppError('wrong_password', { errors: [{ path: 'currentPassword', message: 'wrong password' }] });
  }
  assertPasswordPolicy(newPassword, creds.email);
  const hash = await hashPassword(newPassword, { memoryKib: deps.config.argon2MemoryKib });
  await setPasswordHash(deps.db, actor.workspaceId, actor.userId, hash, nowIso(deps));
  await deleteUserSessions(deps.db, actor.workspaceId, actor.userId, sessionId ?? undefined);
  await recordAudit(deps, actor, { action: 'auth.password_changed', targetType: 'user', targetId: actor.userId });
}

/**
 * The caller's own name, phone and language. An admin may edit the same user row (PATCH /users/:id),
 * so with `expectedVersion` (If-Match) a profile changed meanwhile answers 412 version_mismatch.
 */
export async function updateOwnProfile(
  deps: Deps,
  workspaceId: string,
  userId: string,
  patch: { name?: string | undefined; phone?: string | null | undefined; locale?: string | null | undefined },
  expectedVersion?: number,
): Promise<void> {
  const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  // The signed-in user exists: no row changed means another version.
  if ((await updateUser(deps.db, workspaceId, userId, clean, nowIso(deps), expectedVersion)) === 0) {
    throw new AppError('version_mismatch');
  }
}
