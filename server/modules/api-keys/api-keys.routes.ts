import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { idParams, problemResponses } from '../../http/schemas';
import { apiKeySchema, createApiKeyBody, createdApiKeySchema } from './api-keys.schema';
import { createKey, listKeys, revokeKey } from './api-keys.service';

const tags = ['API keys'];

export const apiKeysRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/api-keys',
    {
      schema: { tags, summary: 'List API keys (never their secrets)', response: { 200: z.object({ data: z.array(apiKeySchema) }), ...problemResponses } },
      config: { access: { permission: 'apiKey:view' } },
    },
    async (request) => ({ data: await listKeys(deps, auditActorOf(request).workspaceId) }),
  );

  app.post(
    '/api-keys',
    {
      schema: { tags, summary: 'Create an API key; the secret is in this response only', body: createApiKeyBody, response: { 201: createdApiKeySchema, ...problemResponses } },
      // The answer carries the secret: never stored for Idempotency-Key replays (secrets are stored hashed only).
      config: { access: { permission: 'apiKey:create' }, idempotent: false },
    },
    async (request, reply) => {
      const key = await createKey(deps, auditActorOf(request), requireAuth(request).permissions, request.body);
      return reply.status(201).header('Location', `/api/v1/api-keys/${key.id}`).send(key);
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      schema: { tags, summary: 'Revoke an API key', params: idParams, response: { 204: z.null(), ...problemResponses } },
      config: { access: { permission: 'apiKey:delete' } },
    },
    async (request, reply) => {
      await revokeKey(deps, auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
