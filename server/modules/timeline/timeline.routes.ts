import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireAuth } from '../../http/auth-context';
import { idParams, problemResponses } from '../../http/schemas';
import '../customers/customers.permissions';
import { commentBody, overviewQuery, overviewSchema, timelineItemSchema, timelinePage, timelineQuery } from './timeline.schema';
import { addComment, customerOverview, customerTimeline } from './timeline.service';

const tags = ['Timeline'];

export const timelineRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/customers/:id/timeline',
    {
      schema: { tags, summary: "A customer's 360° timeline, newest first (keyset-paged)", params: idParams, querystring: timelineQuery, response: { 200: timelinePage, ...problemResponses } },
      config: { access: { permission: 'customer:view' } },
    },
    async (request) => customerTimeline(deps, requireAuth(request), request.params.id, request.query),
  );

  app.post(
    '/customers/:id/comments',
    {
      schema: { tags, summary: 'Comment on a customer (@mentions by user id)', params: idParams, body: commentBody, response: { 201: timelineItemSchema, ...problemResponses } },
      config: { access: { permission: 'customer:view' } },
    },
    async (request, reply) => reply.status(201).send(await addComment(deps, requireAuth(request), request.params.id, request.body)),
  );

  app.get(
    '/customers/:id/overview',
    {
      schema: { tags, summary: 'The 360° view in one call: customer, contacts, first timeline page', params: idParams, querystring: overviewQuery, response: { 200: overviewSchema, ...problemResponses } },
      config: { access: { permission: 'customer:view' } },
    },
    async (request) => customerOverview(deps, requireAuth(request), request.params.id, request.query.limit),
  );
};
