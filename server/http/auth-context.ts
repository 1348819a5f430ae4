import type { FastifyRequest, RouteOptions } from 'fastify';
import type { Locale } from '../../common/locale';
import type { PermissionKey } from '../../common/permissions';
import type { Deps } from '../deps';
import type { AuditActor } from '../modules/audit-log/audit-log.service';
import type { Principal } from '../modules/permissions/permissions.service';
import { AppError } from './app-error';

/** Who is calling: a signed-in user (cookie session) or an integration (bearer API key). */
export interface AuthContext extends Principal {
  kind: 'session' | 'apiKey';
  sessionId: string | null;
  apiKeyId: string | null;
  csrfToken: string | null;
  roleIds: string[];
  locale: Locale | null;
}

/** Every route says who may call it; a route that says nothing is refused (fail closed). */
export type RouteAccess = { public: true } | { authenticated: true } | { permission: PermissionKey };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** false for routes whose answer holds a secret that must not be stored for Idempotency-Key replays */
    idempotent?: boolean;
    /** true where the handler honours `If-Match: <version>` (preconditions.ts): the OpenAPI document says so */
    ifMatch?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    deps: Deps;
    /** Every registered route, for the test that walks them all. */
    routeTable: RouteOptions[];
  }
}

/** The auth context of a route that is not public (the guard guarantees it is there). */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) {
    throw new AppError('unauthenticated');
  }
  return request.auth;
}

export function auditActorOf(request: FastifyRequest, auth: AuthContext | null = request.auth): AuditActor {
  if (!auth) {
    throw new AppError('unauthenticated');
  }
  return {
    workspaceId: auth.workspaceId,
    userId: auth.kind === 'session' ? auth.userId : null,
    apiKeyId: auth.apiKeyId,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
}
