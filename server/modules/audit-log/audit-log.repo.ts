import type { Kysely } from 'kysely';
import { parseJson } from '../../db/dialect';
import type { Database } from '../../db/types';

export interface AuditInsert {
  id: string;
  workspaceId: string;
  action: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}

export async function insertAudit(db: Kysely<Database>, row: AuditInsert): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({ ...row, detail: row.detail === null ? null : JSON.stringify(row.detail) })
    .execute();
}

export interface AuditQuery {
  userId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  /** keyset position: rows strictly older than (createdAt, id) */
  before?: { createdAt: string; id: string } | undefined;
}

export async function listAudit(db: Kysely<Database>, workspaceId: string, q: AuditQuery) {
  let query = db
    .selectFrom('auditLog as a')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'a.actorUserId').on('u.workspaceId', '=', workspaceId))
    .select([
      'a.id',
      'a.action',
      'a.actorUserId',
      'u.name as actorName',
      'a.actorApiKeyId',
      'a.targetType',
      'a.targetId',
      'a.ip',
      'a.userAgent',
      'a.detail',
      'a.createdAt',
    ])
    .where('a.workspaceId', '=', workspaceId);
  if (q.userId) {
    query = query.where('a.actorUserId', '=', q.userId);
  }
  if (q.action) {
    query = query.where('a.action', '=', q.action);
  }
  if (q.from) {
    query = query.where('a.createdAt', '>=', q.from);
  }
  if (q.to) {
    query = query.where('a.createdAt', '<=', q.to);
  }
  const before = q.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb('a.createdAt', '<', before.createdAt),
        eb.and([eb('a.createdAt', '=', before.createdAt), eb('a.id', '<', before.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('a.createdAt', 'desc').orderBy('a.id', 'desc').limit(q.limit + 1).execute();
  return rows.map((r) => ({ ...r, detail: parseJson(r.detail) as Record<string, unknown> | null }));
}
