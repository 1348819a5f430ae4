import { randomBytes } from 'node:crypto';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { hashToken } from '../auth/sessions.service';
import { findGrants } from '../permissions/permissions.repo';
import { assertCanDelegate, type Permissions } from '../permissions/permissions.service';
import { countExisting } from '../users/users.repo';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey } from './api-keys.repo';

/** `hk_` + 40 base62-ish characters; the first 11 characters are shown as a recognisable prefix. */
function newSecret(): string {
  return `hk_${randomBytes(30).toString('base64url')}`;
}

export async function listKeys(deps: Deps, workspaceId: string) {
  return listApiKeys(deps.db, workspaceId);
}

/** Creates a key acting with a role's permissions. The secret is returned once and stored hashed. */
export async function createKey(deps: Deps, actor: AuditActor, permissions: Permissions, input: { name: string; roleId: string }) {
  if ((await countExisting(deps.db, actor.workspaceId, 'roles', [input.roleId])) !== 1) {
    throw new AppError('validation_failed', { errors: [{ path: 'roleId', message: 'no such role' }] });
  }
  // A key is a way to act as its role: nobody may mint one more powerful than themselves.
  assertCanDelegate(permissions, await findGrants(deps.db, actor.workspaceId, [input.roleId]));
  const id = newId();
  const secret = newSecret();
  await insertApiKey(deps.db, {
    id,
    workspaceId: actor.workspaceId,
    name: input.name,
    roleId: input.roleId,
    prefix: secret.slice(0, 11),
    // A 240-bit random secret needs no slow hash: SHA-256 cannot be brute-forced at that entropy.
    secretHash: hashToken(secret),
    createdBy: actor.userId,
    createdAt: nowIso(deps),
    lastUsedAt: null,
    revokedAt: null,
  });
  await recordAudit(deps, actor, { action: 'api_key.created', targetType: 'apiKey', targetId: id, detail: { name: input.name, roleId: input.roleId } });
  const key = await findApiKey(deps.db, actor.workspaceId, id);
  if (!key) {
    throw new AppError('not_found');
  }
  return { ...key, secret };
}

export async function revokeKey(deps: Deps, actor: AuditActor, id: string): Promise<void> {
  const key = await findApiKey(deps.db, actor.workspaceId, id);
  if (!key) {
    throw new AppError('not_found');
  }
  if ((await revokeApiKey(deps.db, actor.workspaceId, id, nowIso(deps))) > 0) {
    await recordAudit(deps, actor, { action: 'api_key.revoked', targetType: 'apiKey', targetId: id, detail: { name: key.name } });
  }
}
