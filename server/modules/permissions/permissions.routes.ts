import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actions, entityCatalog, scopes } from '../../../common/permissions';
import { requireAuth } from '../../http/auth-context';
import { problemResponses } from '../../http/schemas';
import { customCatalogFields } from '../custom-fields/custom-fields.service';

const catalogSchema = z.object({
  scopes: z.array(z.enum(scopes)),
  entities: z.array(
    z.object({
      key: z.string(),
      actions: z.array(z.enum(actions)),
      scoped: z.boolean(),
      /** Custom fields (`cf.<key>`) carry their label; built-in ones are translated by the client. */
      fields: z.array(z.object({ key: z.string(), maskable: z.boolean(), label: z.string().optional() })),
    }),
  ),
});

export const permissionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/permissions/catalog',
    {
      schema: { tags: ['Roles'], summary: 'Every entity with its actions and fields, for the role editor', response: { 200: catalogSchema, ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request) => {
      const custom = await customCatalogFields(app.deps, requireAuth(request).workspaceId);
      return {
        scopes: [...scopes],
        entities: entityCatalog().map((e) => ({
          key: e.key,
          actions: [...e.actions],
          scoped: e.scoped,
          fields: [
            ...e.fields.map((f) => ({ key: f.key, maskable: f.mask !== undefined })),
            ...(custom.get(e.key) ?? []).map((f) => ({ key: f.key, maskable: f.mask !== undefined, label: f.label })),
          ],
        })),
      };
    },
  );
};
