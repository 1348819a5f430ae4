import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pingDatabase } from '../../db/connect';
import { AppError } from '../../http/app-error';
import { problemResponses, problemSchema } from '../../http/schemas';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: { tags: ['Health'], summary: 'Readiness: the database answers', response: { 200: z.object({ status: z.literal('ok') }), ...problemResponses, 503: problemSchema } },
      config: { access: { public: true } },
    },
    async () => {
      try {
        await pingDatabase(app.deps.db);
      } catch {
        throw new AppError('unavailable', { retryAfter: 5 });
      }
      return { status: 'ok' as const };
    },
  );
};
