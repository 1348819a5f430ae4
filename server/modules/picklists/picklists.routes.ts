import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../http/auth-context';
import { problemResponses, textSchema } from '../../http/schemas';
import { picklistKeys } from './picklist-defaults';
import { requestLocale } from '../../http/problem';
import { listPicklists, picklistsIn, replacePicklist } from './picklists.service';

const optionSchema = z.object({ value: z.string(), label: z.string(), color: z.string().nullable(), active: z.boolean() });
const listKeyParams = z.strictObject({ listKey: z.enum(picklistKeys as [string, ...string[]]) });
const replaceBody = z
  .strictObject({
    options: z
      .array(
        z.strictObject({
          value: z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}_.-]+$/u, 'letters, digits, _ . -'),
          label: textSchema(100),
          color: z.string().max(20).regex(/^[a-z]+$|^#[0-9a-fA-F]{6}$/).nullish(),
          active: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(200),
  })
  .refine((b) => new Set(b.options.map((o) => o.value)).size === b.options.length, { message: 'values must be unique', path: ['options'] });

export const picklistsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  app.get(
    '/picklists',
    {
      schema: { tags: ['Options'], summary: 'All option lists (levels, sources, industries, follow-up types)', response: { 200: z.object({ lists: z.record(z.string(), z.array(optionSchema)) }), ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request) => ({ lists: picklistsIn(await listPicklists(deps, auditActorOf(request).workspaceId), requestLocale(request)) }),
  );
  app.put(
    '/picklists/:listKey',
    {
      schema: { tags: ['Options'], summary: 'Replace an option list (removed values are deactivated, not lost)', params: listKeyParams, body: replaceBody, response: { 200: z.object({ options: z.array(optionSchema) }), ...problemResponses } },
      config: { access: { permission: 'picklist:edit' } },
    },
    async (request) => {
      const options = await replacePicklist(deps, auditActorOf(request), request.params.listKey, request.body.options);
      return { options: picklistsIn({ [request.params.listKey]: options }, requestLocale(request))[request.params.listKey] ?? [] };
    },
  );
};
