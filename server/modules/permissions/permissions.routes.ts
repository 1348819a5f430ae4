import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actions, entityCatalog, scopes } from '../../../common/permissions';
import { problemResponses } from '../../http/schemas';

const catalogSchema = z.object({
  scopes: z.array(z.enum(scopes)),
  entities: z.array(
    z.object({
      key: z.string(),
      actions: z.array(z.enum(actions)),
      scoped: z.boolean(),
      fields: z.array(z.object({ key: z.string(), maskable: z.boolean() })),
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
    async () => ({
      scopes: [...scopes],
      entities: entityCatalog().map((e) => ({
        key: e.key,
        actions: [...e.actions],
        scoped: e.scoped,
        fields: e.fields.map((f) => ({ key: f.key, maskable: f.mask !== undefined })),
      })),
    }),
  );
};
