import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireAuth } from '../http/auth-context';
import { page, problemResponses } from '../http/schemas';
import { listJobs } from './jobs.service';
import { jobSchema, listJobsQuery } from './jobs.schema';

export const jobsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  app.get(
    '/jobs',
    {
      schema: {
        tags: ['Jobs'],
        summary: 'Background jobs of the workspace (imports, exports, …) with attempts and errors, newest first',
        querystring: listJobsQuery,
        response: { 200: page(jobSchema), ...problemResponses },
      },
      config: { access: { permission: 'job:view' } },
    },
    async (request) => listJobs(deps, requireAuth(request).workspaceId, request.query),
  );
};
