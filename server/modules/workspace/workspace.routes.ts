import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerEntity } from '../../../common/permissions';
import { parseJson } from '../../db/dialect';
import { nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { auditActorOf } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { problemResponses, textSchema } from '../../http/schemas';
import { recordAudit } from '../audit-log/audit-log.service';
import { recycleBinDays } from '../customers/customers.purge';

registerEntity({ key: 'workspace', actions: ['edit'], scoped: false, fields: [] });

const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  locale: z.string(),
  timezone: z.string(),
  settings: z.object({ recycleBinDays: z.number().int() }),
  /** Send it back as `If-Match` on PATCH: settings another admin changed meanwhile answer 412. */
  version: z.number().int(),
});
const updateBody = z
  .strictObject({
    name: textSchema(100).optional(),
    locale: z.enum(['zh-CN', 'en']).optional(),
    timezone: z.string().max(64).refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'unknown time zone').optional(),
    settings: z.strictObject({ recycleBinDays: z.number().int().min(1).max(3650).optional() }).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

/** Workspace-wide settings (name, language, time zone, recycle-bin retention). Small enough to keep its SQL here. */
export const workspaceRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const load = async (workspaceId: string) => {
    const w = await deps.db.selectFrom('workspaces').select(['id', 'name', 'currency', 'locale', 'timezone', 'settings', 'version']).where('id', '=', workspaceId).executeTakeFirstOrThrow();
    return { ...w, settings: { recycleBinDays: recycleBinDays(w.settings) } };
  };

  app.get(
    '/workspace',
    { schema: { tags: ['Workspace'], summary: 'Workspace settings', response: { 200: workspaceSchema, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => load(auditActorOf(request).workspaceId),
  );

  app.patch(
    '/workspace',
    {
      schema: { tags: ['Workspace'], summary: 'Change workspace settings (If-Match: version)', body: updateBody, response: { 200: workspaceSchema, ...problemResponses } },
      config: { access: { permission: 'workspace:edit' }, ifMatch: true },
    },
    async (request) => {
      const actor = auditActorOf(request);
      const expected = expectedVersion(request);
      const current = await deps.db.selectFrom('workspaces').select('settings').where('id', '=', actor.workspaceId).executeTakeFirstOrThrow();
      const { settings, ...rest } = request.body;
      const stored = parseJson(current.settings);
      const merged = { ...(typeof stored === 'object' && stored !== null ? stored : {}), ...(settings ?? {}) };
      let update = deps.db
        .updateTable('workspaces')
        .set((eb) => ({ ...rest, settings: JSON.stringify(merged), updatedAt: nowIso(deps), version: eb('version', '+', 1) }))
        .where('id', '=', actor.workspaceId);
      if (expected !== undefined) {
        update = update.where('version', '=', expected);
      }
      // The caller's own workspace always exists: no row changed means another version.
      if (Number((await update.executeTakeFirst()).numUpdatedRows) === 0) {
        throw new AppError('version_mismatch');
      }
      await recordAudit(deps, actor, { action: 'workspace.updated', targetType: 'workspace', targetId: actor.workspaceId, detail: request.body });
      return load(actor.workspaceId);
    },
  );
};
