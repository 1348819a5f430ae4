import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AuditAction, auditActions } from '../../../common/audit-actions';
import { auditActorOf } from '../../http/auth-context';
import { cursorSchema, idSchema, isoTimestamp, limitSchema, page, problemResponses } from '../../http/schemas';
import { listAuditEntries } from './audit-log.service';

const entrySchema = z.object({
  id: z.string(),
  action: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorApiKeyId: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});

const listQuery = z.strictObject({
  userId: idSchema.optional(),
  action: z.enum(auditActions as [AuditAction, ...AuditAction[]]).optional().describe('one of the recorded actions (common/audit-actions.ts)'),
  from: isoTimestamp.optional(),
  to: isoTimestamp.optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

export const auditLogRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  // Read-only by design: there is no route that edits or deletes audit entries.
  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['Audit log'],
        summary: 'Audit entries, newest first; filter by user, action and time',
        querystring: listQuery,
        response: { 200: page(entrySchema), ...problemResponses },
      },
      config: { access: { permission: 'auditLog:view' } },
    },
    async (request) => {
      const q = request.query;
      const normalise = (v: string | undefined) => (v === undefined ? undefined : new Date(v).toISOString());
      return listAuditEntries(deps, auditActorOf(request).workspaceId, { ...q, from: normalise(q.from), to: normalise(q.to) });
    },
  );
};
