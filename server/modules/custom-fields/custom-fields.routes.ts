import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { problemResponses } from '../../http/schemas';
import { createCustomFieldBody, customFieldSchema, entityFieldParams, entityParams, updateCustomFieldBody } from './custom-fields.schema';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from './custom-fields.service';

const tags = ['Custom fields'];

export const customFieldsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/custom-fields/:entity',
    {
      schema: { tags, summary: 'Custom fields of an entity (customer, contact, …)', params: entityParams, response: { 200: z.object({ data: z.array(customFieldSchema) }), ...problemResponses } },
      // Every signed-in user needs the definitions to render forms and lists.
      config: { access: { authenticated: true } },
    },
    async (request) => ({ data: await listCustomFields(deps, auditActorOf(request).workspaceId, request.params.entity) }),
  );

  app.post(
    '/custom-fields/:entity',
    {
      schema: { tags, summary: 'Add a custom field (indexed for filtering and sorting)', params: entityParams, body: createCustomFieldBody, response: { 201: customFieldSchema, ...problemResponses } },
      config: { access: { permission: 'customField:create' } },
    },
    async (request, reply) => {
      const field = await createCustomField(deps, auditActorOf(request), request.params.entity, request.body);
      return reply.status(201).header('Location', `/api/v1/custom-fields/${request.params.entity}/${field.id}`).send(field);
    },
  );

  app.patch(
    '/custom-fields/:entity/:id',
    {
      schema: { tags, summary: 'Change label, flags, options or order (key and type are fixed; If-Match: version)', params: entityFieldParams, body: updateCustomFieldBody, response: { 200: customFieldSchema, ...problemResponses } },
      config: { access: { permission: 'customField:edit' }, ifMatch: true },
    },
    async (request) => updateCustomField(deps, auditActorOf(request), request.params.entity, request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/custom-fields/:entity/:id',
    {
      schema: { tags, summary: 'Remove a custom field', params: entityFieldParams, response: { 204: z.null(), ...problemResponses } },
      config: { access: { permission: 'customField:delete' } },
    },
    async (request, reply) => {
      await deleteCustomField(deps, auditActorOf(request), request.params.entity, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
