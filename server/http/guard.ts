import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { type Locale, locales } from '../../common/locale';
import { type Deps, nowIso } from '../deps';
import { findApiKeyByHash, markApiKeyUsed } from '../modules/api-keys/api-keys.repo';
import { recordAudit } from '../modules/audit-log/audit-log.service';
import { can, resolvePermissions } from '../modules/permissions/permissions.service';
import { hashToken, resolveSession, sessionCookie } from '../modules/auth/sessions.service';
import { AppError } from './app-error';
import type { AuthContext, RouteAccess } from './auth-context';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
/** How often an API key's use is written to last_used_at and the audit log. */
const apiKeyUseInterval = 10 * 60_000;

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function asLocale(value: string | null): Locale | null {
  return value !== null && (locales as readonly string[]).includes(value) ? (value as Locale) : null;
}

async function authenticateApiKey(deps: Deps, request: FastifyRequest, token: string): Promise<AuthContext> {
  const key = await findApiKeyByHash(deps.db, hashToken(token));
  if (!key || key.revokedAt !== null) {
    throw new AppError('invalid_api_key');
  }
  const roleIds = [key.roleId];
  const permissions = await resolvePermissions(deps, key.workspaceId, roleIds);
  const auth: AuthContext = {
    kind: 'apiKey',
    workspaceId: key.workspaceId,
    // Data scopes like "own" are relative to the admin who created the key.
    userId: key.createdBy,
    apiKeyId: key.id,
    sessionId: null,
    csrfToken: null,
    roleIds,
    permissions,
    locale: null,
  };
  const now = deps.now().getTime();
  if (key.lastUsedAt === null || now - Date.parse(key.lastUsedAt) > apiKeyUseInterval) {
    await markApiKeyUsed(deps.db, key.workspaceId, key.id, nowIso(deps));
    await recordAudit(
      deps,
      { workspaceId: key.workspaceId, userId: null, apiKeyId: key.id, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
      { action: 'api_key.used', targetType: 'apiKey', targetId: key.id, detail: { method: request.method, path: request.url.split('?')[0] } },
    );
  }
  return auth;
}

async function authenticateSession(deps: Deps, request: FastifyRequest, token: string): Promise<AuthContext | null> {
  const session = await resolveSession(deps, token);
  if (!session) {
    return null;
  }
  if (!safeMethods.has(request.method)) {
    const header = request.headers['x-csrf-token'];
    if (typeof header !== 'string' || !sameToken(header, session.csrfToken)) {
      throw new AppError('csrf_failed');
    }
  }
  // Read with the session in one statement, stamped with the authorisation version (no extra round trip).
  const roleIds = session.roleIds;
  return {
    kind: 'session',
    workspaceId: session.workspaceId,
    userId: session.userId,
    apiKeyId: null,
    sessionId: session.id,
    csrfToken: session.csrfToken,
    roleIds,
    permissions: await resolvePermissions(deps, session.workspaceId, roleIds),
    locale: asLocale(session.locale),
  };
}

/** Resolves the caller from a bearer key or the session cookie; null when there is neither. */
export async function authenticate(deps: Deps, request: FastifyRequest): Promise<AuthContext | null> {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.length > 0) {
    const match = /^Bearer\s+(\S{10,200})$/i.exec(header);
    if (!match?.[1]) {
      throw new AppError('invalid_api_key');
    }
    return authenticateApiKey(deps, request, match[1]);
  }
  const cookie = request.cookies[sessionCookie];
  if (cookie) {
    return authenticateSession(deps, request, cookie);
  }
  return null;
}

/**
 * The permission guard. Every route must declare `config.access`; the app refuses to start
 * when one does not (checked on ready), and a request to such a route is refused anyway.
 */
export function registerGuard(app: FastifyInstance, deps: Deps): void {
  const routes: RouteOptions[] = [];
  app.decorate('routeTable', routes);
  app.decorateRequest('auth', null);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    const missing = routes.filter((r) => !r.config?.access).map((r) => `${String(r.method)} ${r.url}`);
    if (missing.length > 0) {
      throw new Error(`Routes without an access declaration: ${missing.join(', ')}`);
    }
  });

  app.addHook('onRequest', async (request) => {
    if (request.is404) {
      return;
    }
    const access: RouteAccess | undefined = request.routeOptions.config.access;
    if (!access) {
      throw new AppError('forbidden');
    }
    if ('public' in access) {
      // Public routes still learn who is calling when they can (for example /setup), but a bad
      // or missing credential never blocks them.
      request.auth = await authenticate(deps, request).catch(() => null);
      return;
    }
    const auth = await authenticate(deps, request);
    if (!auth) {
      throw new AppError('unauthenticated');
    }
    request.auth = auth;
    if ('permission' in access && !can(auth.permissions, access.permission)) {
      throw new AppError('forbidden');
    }
  });
}

