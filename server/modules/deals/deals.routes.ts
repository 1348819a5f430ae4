import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import type { RawQuery } from '../../list/parse-list';
import './deals.export';
import './deals.permissions';
import './deals.search';
import { closeDeal, deleteDeal, moveDeal, reopenDeal, restoreDeal, transferDeal } from './deals.actions';
import { dealBoard, listDealsPage } from './deals.list';
import {
  boardQuery,
  boardSchema,
  closeDealBody,
  createDealBody,
  dealDetailSchema,
  dealPage,
  listDealsQuery,
  moveDealBody,
  transferDealBody,
  updateDealBody,
} from './deals.schema';
import { createDeal, getDeal, updateDeal } from './deals.service';

const tags = ['Deals'];

export const dealsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/deals',
    {
      schema: { tags, summary: 'List deals (data-scoped, filtered, keyset-paged)', querystring: listDealsQuery, response: { 200: dealPage, ...problemResponses } },
      config: { access: { permission: 'deal:view' } },
    },
    async (request) => listDealsPage(deps, requireAuth(request), request.query as RawQuery),
  );

  app.get(
    '/deals/board',
    {
      schema: { tags, summary: 'Kanban of a pipeline: per stage the first open deals, count and amount', querystring: boardQuery, response: { 200: boardSchema, ...problemResponses } },
      config: { access: { permission: 'deal:view' } },
    },
    async (request) => dealBoard(deps, requireAuth(request), request.query),
  );

  app.get(
    '/deals/:id',
    { schema: { tags, summary: 'Get a deal with lines and stage history', params: idParams, response: { 200: dealDetailSchema, ...problemResponses } }, config: { access: { permission: 'deal:view' } } },
    async (request) => getDeal(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/deals',
    { schema: { tags, summary: 'Create a deal', body: createDealBody, response: { 201: dealDetailSchema, ...problemResponses } }, config: { access: { permission: 'deal:create' } } },
    async (request, reply) => {
      const auth = requireAuth(request);
      const created = await createDeal(deps, { ...auth, actor: auditActorOf(request) }, request.body);
      const deal = await getDeal(deps, auth, created.id, { unscoped: true });
      return reply.status(201).header('Location', `/api/v1/deals/${created.id}`).send(deal);
    },
  );

  app.patch(
    '/deals/:id',
    {
      schema: { tags, summary: 'Edit a deal and its lines (If-Match: version)', params: idParams, body: updateDealBody, response: { 200: dealDetailSchema, ...problemResponses } },
      config: { access: { permission: 'deal:edit' }, ifMatch: true },
    },
    async (request) => updateDeal(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.post(
    '/deals/:id/move',
    {
      schema: { tags, summary: 'Move to another stage (If-Match: version)', params: idParams, body: moveDealBody, response: { 200: dealDetailSchema, ...problemResponses } },
      config: { access: { permission: 'deal:edit' }, ifMatch: true },
    },
    async (request) => moveDeal(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.post(
    '/deals/:id/close',
    {
      schema: { tags, summary: 'Won 赢单 / lost 输单 / invalid 无效 (reason required for lost and invalid)', params: idParams, body: closeDealBody, response: { 200: dealDetailSchema, ...problemResponses } },
      config: { access: { permission: 'deal:edit' }, ifMatch: true },
    },
    async (request) => closeDeal(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.post(
    '/deals/:id/reopen',
    { schema: { tags, summary: 'Reopen a closed deal', params: idParams, response: { 200: dealDetailSchema, ...problemResponses } }, config: { access: { permission: 'deal:edit' }, ifMatch: true } },
    async (request) => reopenDeal(deps, requireAuth(request), auditActorOf(request), request.params.id, expectedVersion(request)),
  );

  app.post(
    '/deals/:id/transfer',
    {
      schema: { tags, summary: 'Give the deal to another owner', params: idParams, body: transferDealBody, response: { 200: dealDetailSchema, 204: z.null(), ...problemResponses } },
      config: { access: { permission: 'deal:transfer' }, ifMatch: true },
    },
    async (request, reply) => {
      const deal = await transferDeal(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body.ownerId, expectedVersion(request));
      return deal ? deal : reply.status(204).send(null);
    },
  );

  app.delete(
    '/deals/:id',
    { schema: { tags, summary: 'Move a deal to the recycle bin', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'deal:delete' } } },
    async (request, reply) => {
      await deleteDeal(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/deals/:id/restore',
    { schema: { tags, summary: 'Restore from the recycle bin', params: idParams, response: { 200: dealDetailSchema, ...problemResponses } }, config: { access: { permission: 'deal:delete' } } },
    async (request) => restoreDeal(deps, requireAuth(request), auditActorOf(request), request.params.id),
  );
};
