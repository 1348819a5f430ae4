import type { AuditAction, AuditTargetType } from '../../../common/audit-actions';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { insertAudit, listAudit } from './audit-log.repo';
import { decodeCursor, encodeCursor } from '../../http/cursor';

/** Who did something, and from where: taken from the request by the routes. */
export interface AuditActor {
  workspaceId: string;
  userId: string | null;
  apiKeyId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEvent {
  action: AuditAction;
  targetType?: AuditTargetType;
  targetId?: string;
  detail?: Record<string, unknown>;
}

/** Appends an audit entry. Audit rows are never updated or deleted (the database refuses too). */
export async function recordAudit(deps: Deps, actor: AuditActor, event: AuditEvent): Promise<void> {
  await insertAudit(deps.db, {
    id: newId(),
    workspaceId: actor.workspaceId,
    action: event.action,
    actorUserId: actor.userId,
    actorApiKeyId: actor.apiKeyId,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    ip: actor.ip,
    userAgent: actor.userAgent ? actor.userAgent.slice(0, 500) : null,
    detail: event.detail ?? null,
    createdAt: nowIso(deps),
  });
}

export interface AuditListInput {
  userId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function listAuditEntries(deps: Deps, workspaceId: string, input: AuditListInput) {
  const position = input.cursor ? decodeCursor(input.cursor, ['createdAt', 'id']) : undefined;
  const rows = await listAudit(deps.db, workspaceId, {
    ...input,
    before: position ? { createdAt: position.createdAt, id: position.id } : undefined,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    data: page,
    nextCursor: rows.length > input.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}
