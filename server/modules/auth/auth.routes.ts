import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { AppError } from '../../http/app-error';
import { expectedVersion } from '../../http/preconditions';
import { problemResponses } from '../../http/schemas';
import { recordAudit } from '../audit-log/audit-log.service';
import { serializePermissions } from '../permissions/permissions.service';
import { getOwnUser } from '../users/users.service';
import { findWorkspace } from './auth.repo';
import { changePasswordBody, loginBody, loginResponse, meResponse, updateMeBody } from './auth.schema';
import { changeOwnPassword, login, updateOwnProfile } from './auth.service';
import { clearSessionCookies, setSessionCookies } from './cookies';
import { sessionCookie } from './sessions.service';
import { deleteSession } from './sessions.repo';

const tags = ['Auth'];

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.post(
    '/auth/login',
    {
      schema: { tags, summary: 'Sign in with email and password (sets the session cookie)', body: loginBody, response: { 200: loginResponse, ...problemResponses } },
      config: {
        access: { public: true },
        rateLimit: { max: deps.config.loginIpPerMinute, timeWindow: 60_000 },
      },
    },
    async (request, reply) => {
      const result = await login(deps, {
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        previousToken: request.cookies[sessionCookie],
      });
      setSessionCookies(deps, reply, result.token, result.csrfToken);
      return { user: await getOwnUser(deps, result.workspaceId, result.userId), csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: { tags, summary: 'Sign out (ends this session)', response: { 204: z.null(), ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      if (auth.sessionId) {
        await deleteSession(deps.db, auth.workspaceId, auth.sessionId);
        await recordAudit(deps, auditActorOf(request), { action: 'auth.logout', targetType: 'user', targetId: auth.userId ?? undefined });
      }
      clearSessionCookies(deps, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: { tags, summary: 'The signed-in user, workspace, effective permissions and CSRF token', response: { 200: meResponse, ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request) => {
      const auth = requireAuth(request);
      if (!auth.userId) {
        throw new AppError('not_found');
      }
      return {
        user: await getOwnUser(deps, auth.workspaceId, auth.userId),
        workspace: await findWorkspace(deps.db, auth.workspaceId),
        permissions: serializePermissions(auth.permissions),
        csrfToken: auth.csrfToken,
        via: auth.kind,
      };
    },
  );

  app.patch(
    '/auth/me',
    {
      schema: {
        tags,
        summary: 'Update own name, phone or language (If-Match: the user version)',
        body: updateMeBody,
        response: { 200: z.object({ user: meResponse.shape.user }), ...problemResponses },
      },
      config: { access: { authenticated: true }, ifMatch: true },
    },
    async (request) => {
      const auth = requireAuth(request);
      if (auth.kind !== 'session' || !auth.userId) {
        throw new AppError('forbidden');
      }
      await updateOwnProfile(deps, auth.workspaceId, auth.userId, request.body, expectedVersion(request));
      return { user: await getOwnUser(deps, auth.workspaceId, auth.userId) };
    },
  );

  app.post(
    '/auth/password',
    {
      schema: { tags, summary: 'Change own password (signs out other sessions)', body: changePasswordBody, response: { 204: z.null(), ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      if (auth.kind !== 'session' || !auth.userId) {
        throw new AppError('forbidden');
      }
      const actor = { ...auditActorOf(request), userId: auth.userId };
      await changeOwnPassword(deps, actor, auth.sessionId, request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );
};
