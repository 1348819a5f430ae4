import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI 3.1 generated from the route schemas; the document and the docs page are public. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Haoke CRM API',
        version: '1',
        description:
          'Conventions: JSON camelCase, keyset pagination (`limit`, `cursor` → `nextCursor`), errors as application/problem+json with stable `code`. ' +
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
    transform: jsonSchemaTransform,
  });

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
    });
    docs.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => docs.swagger());
  });
}
