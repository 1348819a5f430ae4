import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { newId } from '../../db/ids';
import { nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { auditActorOf } from '../../http/auth-context';
import { idParams, problemResponses, textSchema } from '../../http/schemas';
import { recordAudit } from '../audit-log/audit-log.service';

const tagSchema = z.object({ id: z.string(), name: z.string(), color: z.string(), usage: z.number().int() });
const colorSchema = z.string().regex(/^[a-z]+$|^#[0-9a-fA-F]{6}$/).max(20);
const createBody = z.strictObject({ name: textSchema(50), color: colorSchema.default('blue') });
const updateBody = z.strictObject({ name: textSchema(50).optional(), color: colorSchema.optional() }).refine((v) => Object.keys(v).length > 0, 'nothing to change');

function nameConflict(error: unknown): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error).code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' ? new AppError('name_taken', { errors: [{ path: 'name', message: 'already in use' }] }) : error;
}

/** Tags (标签) are small shared data: the thin-route exception, SQL kept to one statement each. */
export const tagsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const list = async (workspaceId: string) =>
    (
      await deps.db
        .selectFrom('tags as t')
        .select((eb) => [
          't.id',
          't.name',
          't.color',
          eb.selectFrom('recordTags as rt').select((e) => e.fn.countAll<number>().as('n')).whereRef('rt.tagId', '=', 't.id').where('rt.workspaceId', '=', workspaceId).as('usage'),
        ])
        .where('t.workspaceId', '=', workspaceId)
        .orderBy('t.name')
        .execute()
    ).map((t) => ({ ...t, usage: Number(t.usage ?? 0) }));

  app.get(
    '/tags',
    { schema: { tags: ['Tags'], summary: 'All tags with usage counts', response: { 200: z.object({ data: z.array(tagSchema) }), ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => ({ data: await list(auditActorOf(request).workspaceId) }),
  );

  app.post(
    '/tags',
    { schema: { tags: ['Tags'], summary: 'Create a tag', body: createBody, response: { 201: tagSchema, ...problemResponses } }, config: { access: { permission: 'tag:create' } } },
    async (request, reply) => {
      const actor = auditActorOf(request);
      const id = newId();
      try {
        await deps.db.insertInto('tags').values({ id, workspaceId: actor.workspaceId, name: request.body.name, color: request.body.color, createdAt: nowIso(deps) }).execute();
      } catch (error) {
        throw nameConflict(error);
      }
      await recordAudit(deps, actor, { action: 'tag.created', targetType: 'tag', targetId: id, detail: { name: request.body.name } });
      return reply.status(201).send({ id, name: request.body.name, color: request.body.color, usage: 0 });
    },
  );

  app.patch(
    '/tags/:id',
    { schema: { tags: ['Tags'], summary: 'Rename or recolour a tag', params: idParams, body: updateBody, response: { 200: tagSchema, ...problemResponses } }, config: { access: { permission: 'tag:edit' } } },
    async (request) => {
      const actor = auditActorOf(request);
      let updated;
      try {
        updated = await deps.db.updateTable('tags').set(request.body).where('workspaceId', '=', actor.workspaceId).where('id', '=', request.params.id).executeTakeFirst();
      } catch (error) {
        throw nameConflict(error);
      }
      const tag = (await list(actor.workspaceId)).find((t) => t.id === request.params.id);
      if (Number(updated.numUpdatedRows) === 0 || !tag) {
        throw new AppError('not_found');
      }
      return tag;
    },
  );

  app.delete(
    '/tags/:id',
    { schema: { tags: ['Tags'], summary: 'Delete a tag (removed from every record)', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'tag:delete' } } },
    async (request, reply) => {
      const actor = auditActorOf(request);
      const result = await deps.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('recordTags').where('workspaceId', '=', actor.workspaceId).where('tagId', '=', request.params.id).execute();
        return trx.deleteFrom('tags').where('workspaceId', '=', actor.workspaceId).where('id', '=', request.params.id).executeTakeFirst();
      });
      if (Number(result.numDeletedRows) === 0) {
        throw new AppError('not_found');
      }
      await recordAudit(deps, actor, { action: 'tag.deleted', targetType: 'tag', targetId: request.params.id });
      return reply.status(204).send(null);
    },
  );
};
