import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import { createRoleBody, roleSchema, roleSummarySchema, updateRoleBody } from './roles.schema';
import { createRole, getRole, listRoleSummaries, removeRole, updateRole } from './roles.service';

const tags = ['Roles'];

export const rolesRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/roles',
    {
      schema: { tags, summary: 'List roles', response: { 200: z.object({ data: z.array(roleSummarySchema) }), ...problemResponses } },
      config: { access: { permission: 'role:view' } },
    },
    async (request) => ({ data: await listRoleSummaries(deps, auditActorOf(request).workspaceId) }),
  );

  app.get(
    '/roles/:id',
    {
      schema: { tags, summary: 'A role with its permission matrix and field rules', params: idParams, response: { 200: roleSchema, ...problemResponses } },
      config: { access: { permission: 'role:view' } },
    },
    async (request) => getRole(deps, auditActorOf(request).workspaceId, request.params.id),
  );

  app.post(
    '/roles',
    {
      schema: { tags, summary: 'Create a role', body: createRoleBody, response: { 201: roleSchema, ...problemResponses } },
      config: { access: { permission: 'role:create' } },
    },
    async (request, reply) => {
      const role = await createRole(deps, auditActorOf(request), requireAuth(request).permissions, request.body);
      return reply.status(201).header('Location', `/api/v1/roles/${role.id}`).send(role);
    },
  );

  app.patch(
    '/roles/:id',
    {
      schema: { tags, summary: 'Edit a role (permissions and fieldRules are replaced as a whole when given)', params: idParams, body: updateRoleBody, response: { 200: roleSchema, ...problemResponses } },
      config: { access: { permission: 'role:edit' }, ifMatch: true },
    },
    async (request) => updateRole(deps, auditActorOf(request), requireAuth(request).permissions, request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/roles/:id',
    {
      schema: { tags, summary: 'Delete an unused role', params: idParams, response: { 204: z.null(), ...problemResponses } },
      config: { access: { permission: 'role:delete' } },
    },
    async (request, reply) => {
      await removeRole(deps, auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
