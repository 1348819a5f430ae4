import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import { createUserBody, listUsersQuery, resetPasswordBody, updateUserBody, userPage, userSchema } from './users.schema';
import { createUser, getUser, listUsersPage, resetUserPassword, setUserStatus, updateUserProfile } from './users.service';

const tags = ['Users'];

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/users',
    {
      schema: { tags, summary: 'List users (data-scoped)', querystring: listUsersQuery, response: { 200: userPage, ...problemResponses } },
      config: { access: { permission: 'user:view' } },
    },
    async (request) => listUsersPage(deps, requireAuth(request), request.query),
  );

  app.get(
    '/users/:id',
    {
      schema: { tags, summary: 'Get a user', params: idParams, response: { 200: userSchema, ...problemResponses } },
      config: { access: { permission: 'user:view' } },
    },
    async (request) => getUser(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/users',
    {
      schema: { tags, summary: 'Create a user', body: createUserBody, response: { 201: userSchema, ...problemResponses } },
      config: { access: { permission: 'user:create' } },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const user = await createUser(deps, auth, auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/users/${user.id}`).send(user);
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Update a user (If-Match: version for optimistic concurrency)',
        params: idParams,
        body: updateUserBody,
        response: { 200: userSchema, ...problemResponses },
      },
      config: { access: { permission: 'user:edit' }, ifMatch: true },
    },
    async (request) => {
      const auth = requireAuth(request);
      return updateUserProfile(deps, auth, auditActorOf(request), request.params.id, request.body, expectedVersion(request));
    },
  );

  app.post(
    '/users/:id/deactivate',
    {
      schema: { tags, summary: 'Deactivate a user (cannot sign in; records stay)', params: idParams, response: { 200: userSchema, ...problemResponses } },
      config: { access: { permission: 'user:delete' } },
    },
    async (request) => setUserStatus(deps, requireAuth(request), auditActorOf(request), request.params.id, 'inactive'),
  );

  app.post(
    '/users/:id/activate',
    {
      schema: { tags, summary: 'Re-activate a user', params: idParams, response: { 200: userSchema, ...problemResponses } },
      config: { access: { permission: 'user:delete' } },
    },
    async (request) => setUserStatus(deps, requireAuth(request), auditActorOf(request), request.params.id, 'active'),
  );

  app.post(
    '/users/:id/reset-password',
    {
      schema: { tags, summary: "Set a user's password (signs them out)", params: idParams, body: resetPasswordBody, response: { 204: z.null(), ...problemResponses } },
      config: { access: { permission: 'user:edit' } },
    },
    async (request, reply) => {
      await resetUserPassword(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body.password);
      return reply.status(204).send(null);
    },
  );
};
