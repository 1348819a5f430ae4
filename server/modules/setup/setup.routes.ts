import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../http/schemas';
import { findWorkspace } from '../auth/auth.repo';
import { setupBody, setupResponse } from '../auth/auth.schema';
import { setSessionCookies } from '../auth/cookies';
import { createSession } from '../auth/sessions.service';
import { getOwnUser } from '../users/users.service';
import { createWorkspace, needsSetup } from './setup.service';

const tags = ['Setup'];

export const setupRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/setup',
    {
      schema: { tags, summary: 'Whether the first-run setup is still needed', response: { 200: z.object({ needsSetup: z.boolean() }), ...problemResponses } },
      config: { access: { public: true } },
    },
    async () => ({ needsSetup: await needsSetup(deps) }),
  );

  app.post(
    '/setup',
    {
      schema: {
        tags,
        summary: 'First run: create the workspace and its admin (409 once a workspace exists)',
        body: setupBody,
        response: { 201: setupResponse, ...problemResponses },
      },
      config: { access: { public: true }, rateLimit: { max: 10, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const ip = request.ip;
      const userAgent = request.headers['user-agent'] ?? null;
      const { workspaceId, userId } = await createWorkspace(deps, request.body, { ip, userAgent });
      const session = await createSession(deps, { workspaceId, userId, ip, userAgent });
      setSessionCookies(deps, reply, session.token, session.csrfToken);
      return reply.status(201).send({
        user: await getOwnUser(deps, workspaceId, userId),
        workspace: await findWorkspace(deps.db, workspaceId),
        csrfToken: session.csrfToken,
      });
    },
  );
};
