import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error';

/**
 * api.md: what a request asks for is never silently ignored. A route that declares a querystring
 * schema checks its own parameters (lists refuse unknown filters); on an API route that takes none
 * (`GET /tags`, `GET /customers/:id`, …) any parameter is a 400, so `?limit=1` cannot look as if it
 * worked. Public routes (health checks, set-up) stay lenient: probes add their own parameters.
 */
export function registerStrictQuery(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const options = request.routeOptions;
    if (request.is404 || !options.url?.startsWith('/api/') || options.schema?.querystring !== undefined) {
      return;
    }
    const access = options.config.access;
    if (access === undefined || 'public' in access) {
      return;
    }
    const keys = Object.keys((request.query ?? {}));
    if (keys.length > 0) {
      throw new AppError('validation_failed', { errors: keys.map((key) => ({ path: `querystring.${key}`, message: 'unknown query parameter' })) });
    }
  });
}
