import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { isUniqueViolation } from '../db/dialect';
import type { Deps } from '../deps';
import { AppError } from './app-error';

const windowMs = 24 * 3_600_000;
const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { workspaceId: string; principal: string; key: string } | null;
  }
}

/**
 * `Idempotency-Key` on writes: the first successful answer is stored for 24 h and replayed for
 * the same key, so a client may retry a timed-out write without creating duplicates. A row is
 * claimed before the handler runs, so two concurrent retries cannot both execute. Failed
 * attempts (non-2xx) release the key so the client can try again.
 */
export function registerIdempotency(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !unsafe.has(request.method) || !request.auth || request.routeOptions.config.idempotent === false) {
      return;
    }
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      throw new AppError('validation_failed', { errors: [{ path: 'Idempotency-Key', message: 'must be 1–255 characters' }] });
    }
    const { workspaceId } = request.auth;
    const principal = request.auth.apiKeyId ?? request.auth.userId ?? 'anonymous';
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const where = deps.db
      .selectFrom('idempotencyKeys')
      .selectAll()
      .where('workspaceId', '=', workspaceId)
      .where('principal', '=', principal)
      .where('key', '=', key);
    let existing = await where.executeTakeFirst();
    const now = deps.now();
    if (existing && Date.parse(existing.createdAt) < now.getTime() - windowMs) {
      await deps.db
        .deleteFrom('idempotencyKeys')
        .where('workspaceId', '=', workspaceId)
        .where('principal', '=', principal)
        .where('key', '=', key)
        .execute();
      existing = undefined;
    }
    if (existing) {
      if (existing.requestHash !== requestHash) {
        throw new AppError('idempotency_mismatch');
      }
      if (existing.statusCode === 0) {
        throw new AppError('request_in_progress', { retryAfter: 1 });
      }
      return reply
        .status(existing.statusCode)
        .header('Idempotent-Replayed', 'true')
        .type('application/json; charset=utf-8')
        .send(existing.responseBody);
    }
    try {
      await deps.db
        .insertInto('idempotencyKeys')
        .values({ workspaceId, principal, key, requestHash, statusCode: 0, responseBody: '', createdAt: now.toISOString() })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('request_in_progress', { retryAfter: 1 });
      }
      throw error;
    }
    request.idempotency = { workspaceId, principal, key };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim || reply.getHeader('Idempotent-Replayed')) {
      return payload;
    }
    request.idempotency = null;
    const match = deps.db
      .updateTable('idempotencyKeys')
      .where('workspaceId', '=', claim.workspaceId)
      .where('principal', '=', claim.principal)
      .where('key', '=', claim.key);
    if (reply.statusCode >= 200 && reply.statusCode < 300) {
      await match.set({ statusCode: reply.statusCode, responseBody: typeof payload === 'string' ? payload : '' }).execute();
    } else {
      await deps.db
        .deleteFrom('idempotencyKeys')
        .where('workspaceId', '=', claim.workspaceId)
        .where('principal', '=', claim.principal)
        .where('key', '=', claim.key)
        .execute();
    }
    return payload;
  });
}
