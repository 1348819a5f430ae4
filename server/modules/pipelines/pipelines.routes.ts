import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import '../deals/deals.permissions';
import { createPipelineBody, pipelineSchema, replaceStagesBody, updatePipelineBody } from './pipelines.schema';
import { createPipeline, deletePipeline, getPipeline, listPipelines, replaceStages, updatePipeline } from './pipelines.service';

const tags = ['Pipelines'];

export const pipelinesRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/pipelines',
    { schema: { tags, summary: 'Pipelines 商机组 with their ordered stages', response: { 200: z.object({ data: z.array(pipelineSchema) }), ...problemResponses } }, config: { access: { permission: 'deal:view' } } },
    async (request) => ({ data: await listPipelines(deps, requireAuth(request).workspaceId) }),
  );

  app.get(
    '/pipelines/:id',
    { schema: { tags, summary: 'A pipeline with its stages', params: idParams, response: { 200: pipelineSchema, ...problemResponses } }, config: { access: { permission: 'deal:view' } } },
    async (request) => getPipeline(deps, requireAuth(request).workspaceId, request.params.id),
  );

  app.post(
    '/pipelines',
    { schema: { tags, summary: 'Create a pipeline', body: createPipelineBody, response: { 201: pipelineSchema, ...problemResponses } }, config: { access: { permission: 'pipeline:edit' } } },
    async (request, reply) => {
      const pipeline = await createPipeline(deps, auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/pipelines/${pipeline.id}`).send(pipeline);
    },
  );

  app.patch(
    '/pipelines/:id',
    {
      schema: { tags, summary: 'Rename, make default, (de)activate, reorder (If-Match: version)', params: idParams, body: updatePipelineBody, response: { 200: pipelineSchema, ...problemResponses } },
      config: { access: { permission: 'pipeline:edit' }, ifMatch: true },
    },
    async (request) => updatePipeline(deps, auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.put(
    '/pipelines/:id/stages',
    {
      schema: { tags, summary: 'Set the ordered stages (stages with deals cannot be removed)', params: idParams, body: replaceStagesBody, response: { 200: pipelineSchema, ...problemResponses } },
      config: { access: { permission: 'pipeline:edit' } },
    },
    async (request) => replaceStages(deps, auditActorOf(request), request.params.id, request.body.stages),
  );

  app.delete(
    '/pipelines/:id',
    { schema: { tags, summary: 'Delete a pipeline without deals', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'pipeline:edit' } } },
    async (request, reply) => {
      await deletePipeline(deps, auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
