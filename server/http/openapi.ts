import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { conventionsTransform, conventionsTransformObject } from './openapi-conventions';
import { workspaceDocument } from './openapi-custom-fields';

/**
 * OpenAPI 3.1 generated from the route schemas; the document and the docs page are public. A
 * signed-in caller (session or API key) gets the document with their workspace's custom fields
 * described (openapi-custom-fields.ts); anonymous callers get the generic one.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Haoke CRM API',
        version: '1',
        description:
          'Conventions: JSON camelCase, keyset pagination (`limit`, `cursor` → `nextCursor`), errors as application/problem+json (the `Problem` schema) with a stable `code`. ' +
          'Writes take `Idempotency-Key` (retry safely); edits of versioned records take `If-Match: <version>` (412 when someone changed it meanwhile). ' +
          'Lists that filter describe the query grammar on the operation; unknown parameters are a 400, never ignored. ' +
          'Authenticate with `Authorization: Bearer <api key>` or the session cookie plus `X-CSRF-Token` for writes.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key created under Settings → API keys' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'haoke_session' },
        },
      },
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    },
    transform: conventionsTransform,
    transformObject: conventionsTransformObject,
  });

  // The docs page's /api/docs/json for a signed-in caller: built before the handler (the plugin's
  // transform is synchronous), handed over per request.
  const pageDocuments = new WeakMap<FastifyRequest, string>();
  const isPageJson = (request: FastifyRequest) => request.routeOptions.url === '/api/docs/json';

  await app.register(async (docs) => {
    // Everything the docs plugin registers is public by declaration, not by omission.
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: { public: true } };
    });
    await docs.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: true,
      // The plugin's own policy replaces ours on these pages: keep them unframeable like every other
      // page, and usable over plain http on a LAN (no upgrade-insecure-requests).
      transformStaticCSP: (header) =>
        header
          .replace(/frame-ancestors [^;]*;/, "frame-ancestors 'none';")
          .replace(/\s*upgrade-insecure-requests;?/, ''),
      uiConfig: { docExpansion: 'list', deepLinking: true },
      uiHooks: {
        preHandler: (request, _reply, done) => {
          if (!request.auth || !isPageJson(request)) {
            done();
            return;
          }
          workspaceDocument(app.deps, request.auth, docs.swagger() as unknown as Record<string, unknown>).then(
            (document) => {
              pageDocuments.set(request, document);
              done();
            },
            (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
          );
        },
      },
      // Without cloning: the generic document is never changed, and a workspace's is a string.
      transformSpecificationClone: false,
      transformSpecification: (generic, request, reply) => {
        const personal = isPageJson(request) ? pageDocuments.get(request) : undefined;
        if (personal === undefined) {
          return generic;
        }
        reply.header('cache-control', 'private, no-store').header('vary', 'Cookie, Authorization').type('application/json; charset=utf-8');
        return personal as unknown as typeof generic;
      },
    });
    docs.get('/api/v1/openapi.json', { schema: { hide: true } }, async (request, reply) => {
      const generic = docs.swagger() as unknown as Record<string, unknown>;
      if (!request.auth) {
        return generic;
      }
      // Per workspace: never kept by a shared cache.
      return reply
        .header('cache-control', 'private, no-store')
        .header('vary', 'Cookie, Authorization')
        .type('application/json; charset=utf-8')
        .send(await workspaceDocument(app.deps, request.auth, generic));
    });
  });
}
