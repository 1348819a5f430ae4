import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import { recordFollowUpBody, recordFollowUpParams, recordFollowUpsQuery, updateRecordFollowUpBody } from '../follow-ups/follow-ups.schema';
import './leads.permissions';
import {
  createLeadFollowUp,
  deleteLeadFollowUp,
  leadFollowUpPage,
  leadFollowUpSchema,
  listLeadFollowUps,
  updateLeadFollowUp,
} from './leads.follow-ups';

const tags = ['Leads'];

/** Follow-ups 跟进 on a lead (they move to the customer when the lead is converted). */
export const leadFollowUpsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/leads/:id/follow-ups',
    {
      schema: { tags, summary: "A lead's follow-ups, newest first", params: idParams, querystring: recordFollowUpsQuery, response: { 200: leadFollowUpPage, ...problemResponses } },
      config: { access: { permission: 'lead:view' } },
    },
    async (request) => listLeadFollowUps(deps, requireAuth(request), request.params.id, request.query),
  );

  app.post(
    '/leads/:id/follow-ups',
    {
      schema: { tags, summary: 'Log a follow-up on a lead', params: idParams, body: recordFollowUpBody, response: { 201: leadFollowUpSchema, ...problemResponses } },
      config: { access: { permission: 'followUp:create' } },
    },
    async (request, reply) => {
      const followUp = await createLeadFollowUp(deps, requireAuth(request), request.params.id, request.body);
      return reply.status(201).header('Location', `/api/v1/leads/${request.params.id}/follow-ups/${followUp.id}`).send(followUp);
    },
  );

  app.patch(
    '/leads/:id/follow-ups/:followUpId',
    {
      schema: {
        tags,
        summary: 'Edit a follow-up of a lead (author, or followUp:edit scope; If-Match: version)',
        params: recordFollowUpParams,
        body: updateRecordFollowUpBody,
        response: { 200: leadFollowUpSchema, ...problemResponses },
      },
      config: { access: { permission: 'lead:view' }, ifMatch: true },
    },
    async (request) => updateLeadFollowUp(deps, requireAuth(request), auditActorOf(request), request.params.id, request.params.followUpId, request.body, expectedVersion(request)),
  );

  app.delete(
    '/leads/:id/follow-ups/:followUpId',
    {
      schema: { tags, summary: 'Delete a follow-up of a lead (author, or followUp:delete scope)', params: recordFollowUpParams, response: { 204: z.null(), ...problemResponses } },
      config: { access: { permission: 'lead:view' } },
    },
    async (request, reply) => {
      await deleteLeadFollowUp(deps, requireAuth(request), auditActorOf(request), request.params.id, request.params.followUpId);
      return reply.status(204).send(null);
    },
  );
};
