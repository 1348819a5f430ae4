import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import { createSavedViewBody, listSavedViewsQuery, savedViewSchema, updateSavedViewBody } from './saved-views.schema';
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from './saved-views.service';

const tags = ['Saved views'];

/**
 * Saved list views (per user, or shared with the workspace). Access depends on the view's entity
 * (`<entity>:view` to use, `<entity>:edit` to share), so the routes require a signed-in caller and
 * the service checks the entity's permission — failing closed with 403/404.
 */
export const savedViewsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/saved-views',
    {
      schema: { tags, summary: 'My views of a list and the shared ones', querystring: listSavedViewsQuery, response: { 200: z.object({ data: z.array(savedViewSchema) }), ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request) => ({ data: await listSavedViews(deps, requireAuth(request), request.query.entity) }),
  );

  app.post(
    '/saved-views',
    { schema: { tags, summary: 'Save a list view', body: createSavedViewBody, response: { 201: savedViewSchema, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request, reply) => {
      const view = await createSavedView(deps, requireAuth(request), auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/saved-views/${view.id}`).send(view);
    },
  );

  app.patch(
    '/saved-views/:id',
    {
      schema: { tags, summary: 'Rename, share or replace a view (owner only; If-Match: version)', params: idParams, body: updateSavedViewBody, response: { 200: savedViewSchema, ...problemResponses } },
      config: { access: { authenticated: true }, ifMatch: true },
    },
    async (request) => updateSavedView(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/saved-views/:id',
    { schema: { tags, summary: 'Delete a view', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request, reply) => {
      await deleteSavedView(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
