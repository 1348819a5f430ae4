import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses, textSchema } from '../../http/schemas';
import { createTag, editTag, listAllTags, removeTag } from './tags.service';

// version: send it back as If-Match on PATCH; a tag changed meanwhile answers 412.
const tagSchema = z.object({ id: z.string(), name: z.string(), color: z.string(), usage: z.number().int(), version: z.number().int() });
const colorSchema = z.string().regex(/^[a-z]+$|^#[0-9a-fA-F]{6}$/).max(20);
const createBody = z.strictObject({ name: textSchema(50), color: colorSchema.default('blue') });
const updateBody = z.strictObject({ name: textSchema(50).optional(), color: colorSchema.optional() }).refine((v) => Object.keys(v).length > 0, 'nothing to change');
const tags = ['Tags'];

export const tagsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/tags',
    { schema: { tags, summary: 'All tags with usage counts', response: { 200: z.object({ data: z.array(tagSchema) }), ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => ({ data: await listAllTags(deps, auditActorOf(request).workspaceId) }),
  );

  app.post(
    '/tags',
    { schema: { tags, summary: 'Create a tag', body: createBody, response: { 201: tagSchema, ...problemResponses } }, config: { access: { permission: 'tag:create' } } },
    async (request, reply) => {
      const tag = await createTag(deps, auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/tags/${tag.id}`).send(tag);
    },
  );

  app.patch(
    '/tags/:id',
    { schema: { tags, summary: 'Rename or recolour a tag (If-Match: version)', params: idParams, body: updateBody, response: { 200: tagSchema, ...problemResponses } }, config: { access: { permission: 'tag:edit' }, ifMatch: true } },
    async (request) => editTag(deps, auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/tags/:id',
    { schema: { tags, summary: 'Delete a tag (removed from every record)', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'tag:delete' } } },
    async (request, reply) => {
      await removeTag(deps, auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
