import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import type { RawQuery } from '../../list/parse-list';
import './leads.permissions';
import './leads.export';
import './leads.search';
import './leads.todo';
import { assignLeads, getLeadSettings, updateLeadSettings } from './leads.assign';
import { convertLead, previewConversion } from './leads.convert';
import { convertLeadBody, convertPreview, convertResult } from './leads.convert.schema';
import {
  assignBody,
  assignResult,
  bulkAssignBody,
  createLeadBody,
  leadHistory,
  leadPage,
  leadSchema,
  leadSettingsBody,
  leadSettingsSchema,
  listLeadsQuery,
  updateLeadBody,
} from './leads.schema';
import { bySourceQuery, bySourceResult, conversionBySource } from './leads.stats';
import { createLead, deleteLead, getLead, leadHistoryOf, listLeadsPage, presentLeadById, restoreLead, updateLead } from './leads.service';

const tags = ['Leads'];

export const leadsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/leads',
    {
      schema: { tags, summary: 'List leads (data-scoped, filtered, keyset-paged)', querystring: listLeadsQuery, response: { 200: leadPage, ...problemResponses } },
      config: { access: { permission: 'lead:view' } },
    },
    async (request) => listLeadsPage(deps, requireAuth(request), request.query as RawQuery),
  );

  app.post(
    '/leads',
    { schema: { tags, summary: 'Create a lead (owner: given, round-robin, or the caller)', body: createLeadBody, response: { 201: leadSchema, ...problemResponses } }, config: { access: { permission: 'lead:create' } } },
    async (request, reply) => {
      const lead = await createLead(deps, requireAuth(request), auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/leads/${lead.id}`).send(lead);
    },
  );

  app.get(
    '/leads/settings',
    { schema: { tags, summary: 'Automatic assignment (round-robin within a department)', response: { 200: leadSettingsSchema, ...problemResponses } }, config: { access: { permission: 'lead:view' } } },
    async (request) => getLeadSettings(deps, requireAuth(request).workspaceId),
  );

  app.put(
    '/leads/settings',
    {
      schema: { tags, summary: 'Change automatic assignment (lead:assign over everyone)', body: leadSettingsBody, response: { 200: leadSettingsSchema, ...problemResponses } },
      config: { access: { permission: 'lead:assign' } },
    },
    async (request) => updateLeadSettings(deps, requireAuth(request), auditActorOf(request), request.body),
  );

  app.get(
    '/leads/conversion-by-source',
    {
      schema: { tags, summary: 'Leads and conversions per source (data-scoped), for reports', querystring: bySourceQuery, response: { 200: bySourceResult, ...problemResponses } },
      config: { access: { permission: 'lead:view' } },
    },
    async (request) => conversionBySource(deps, requireAuth(request), request.query),
  );

  app.post(
    '/leads/assign',
    {
      schema: { tags, summary: 'Assign several leads to one user, or distribute them round-robin over a department', body: bulkAssignBody, response: { 200: assignResult, ...problemResponses } },
      config: { access: { permission: 'lead:assign' } },
    },
    async (request) => {
      const { ids, ...input } = request.body;
      return assignLeads(deps, requireAuth(request), auditActorOf(request), ids, input);
    },
  );

  app.get(
    '/leads/:id',
    { schema: { tags, summary: 'Get a lead', params: idParams, response: { 200: leadSchema, ...problemResponses } }, config: { access: { permission: 'lead:view' } } },
    async (request) => getLead(deps, requireAuth(request), request.params.id),
  );

  app.patch(
    '/leads/:id',
    { schema: { tags, summary: 'Edit a lead (If-Match: version)', params: idParams, body: updateLeadBody, response: { 200: leadSchema, ...problemResponses } }, config: { access: { permission: 'lead:edit' }, ifMatch: true } },
    async (request) => updateLead(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/leads/:id',
    { schema: { tags, summary: 'Move a lead to the recycle bin', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'lead:delete' } } },
    async (request, reply) => {
      await deleteLead(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/leads/:id/restore',
    { schema: { tags, summary: 'Restore from the recycle bin', params: idParams, response: { 200: leadSchema, ...problemResponses } }, config: { access: { permission: 'lead:delete' } } },
    async (request) => restoreLead(deps, requireAuth(request), auditActorOf(request), request.params.id),
  );

  app.post(
    '/leads/:id/assign',
    { schema: { tags, summary: 'Assign to a user, or round-robin within a department', params: idParams, body: assignBody, response: { 200: leadSchema, ...problemResponses } }, config: { access: { permission: 'lead:assign' } } },
    async (request) => {
      const auth = requireAuth(request);
      await assignLeads(deps, auth, auditActorOf(request), [request.params.id], request.body);
      // The assigner may have given it out of their own view: answer what it now is.
      return presentLeadById(deps, auth, request.params.id);
    },
  );

  app.get(
    '/leads/:id/history',
    { schema: { tags, summary: "The lead's history: creation, edits, assignments, conversion", params: idParams, response: { 200: leadHistory, ...problemResponses } }, config: { access: { permission: 'lead:view' } } },
    async (request) => ({ data: await leadHistoryOf(deps, requireAuth(request), request.params.id) }),
  );

  app.get(
    '/leads/:id/convert-preview',
    {
      schema: { tags, summary: 'What converting would create, with matching customers (duplicate check)', params: idParams, response: { 200: convertPreview, ...problemResponses } },
      config: { access: { permission: 'lead:edit' } },
    },
    async (request) => previewConversion(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/leads/:id/convert',
    {
      schema: { tags, summary: 'Convert (转化) to customer + contact (+ deal); follow-ups move along', params: idParams, body: convertLeadBody, response: { 200: convertResult, ...problemResponses } },
      config: { access: { permission: 'lead:edit' } },
    },
    async (request) => convertLead(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body),
  );
};
