import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import '../customers/customers.permissions';
import './follow-ups.export';
import { mineFollowUps } from './follow-ups.mine';
import { createFollowUpBody, followUpPage, followUpSchema, listFollowUpsQuery, minePage, mineQuery, updateFollowUpBody } from './follow-ups.schema';
import { createFollowUp, deleteFollowUp, getFollowUp, listFollowUps, updateFollowUp } from './follow-ups.service';

const tags = ['Follow-ups'];

export const followUpsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/follow-ups',
    {
      schema: { tags, summary: 'List follow-ups, newest first (keyset-paged)', querystring: listFollowUpsQuery, response: { 200: followUpPage, ...problemResponses } },
      config: { access: { permission: 'followUp:view' } },
    },
    async (request) => listFollowUps(deps, requireAuth(request), request.query),
  );

  app.get(
    '/follow-ups/mine',
    {
      schema: {
        tags,
        summary: 'My customers and contacts due for a follow-up: overdue, today (workspace time zone) or upcoming, with counts',
        querystring: mineQuery,
        response: { 200: minePage, ...problemResponses },
      },
      config: { access: { permission: 'followUp:view' } },
    },
    async (request) => mineFollowUps(deps, requireAuth(request), request.query),
  );

  app.get(
    '/follow-ups/:id',
    { schema: { tags, summary: 'Get a follow-up', params: idParams, response: { 200: followUpSchema, ...problemResponses } }, config: { access: { permission: 'followUp:view' } } },
    async (request) => getFollowUp(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/follow-ups',
    {
      schema: { tags, summary: 'Log a follow-up on a customer or contact', body: createFollowUpBody, response: { 201: followUpSchema, ...problemResponses } },
      config: { access: { permission: 'followUp:create' } },
    },
    async (request, reply) => {
      const followUp = await createFollowUp(deps, requireAuth(request), request.body);
      return reply.status(201).header('Location', `/api/v1/follow-ups/${followUp.id}`).send(followUp);
    },
  );

  app.patch(
    '/follow-ups/:id',
    {
      schema: { tags, summary: 'Edit a follow-up (author, or followUp:edit scope; If-Match: version)', params: idParams, body: updateFollowUpBody, response: { 200: followUpSchema, ...problemResponses } },
      // The author may always edit their own; the service checks the scope for everyone else.
      config: { access: { permission: 'followUp:view' }, ifMatch: true },
    },
    async (request) => updateFollowUp(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/follow-ups/:id',
    {
      schema: { tags, summary: 'Delete a follow-up (author, or followUp:delete scope)', params: idParams, response: { 204: z.null(), ...problemResponses } },
      config: { access: { permission: 'followUp:view' } },
    },
    async (request, reply) => {
      await deleteFollowUp(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
