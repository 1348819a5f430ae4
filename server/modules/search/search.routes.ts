import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireAuth } from '../../http/auth-context';
import { problemResponses } from '../../http/schemas';
import { searchQuery, searchResult } from './search.schema';
import { globalSearch } from './search.service';

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/search',
    {
      schema: {
        tags: ['Search'],
        summary: 'Global search over customers and contacts (1 character and up, data-scoped, masked)',
        querystring: searchQuery,
        response: { 200: searchResult, ...problemResponses },
      },
      // Spans several entities: each group is searched only with that entity's view permission.
      config: { access: { authenticated: true } },
    },
    async (request) => globalSearch(deps, requireAuth(request), request.query.q, request.query.limit),
  );
};
