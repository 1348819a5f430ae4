import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type fs from 'node:fs';
import { z } from 'zod';
import type { PermissionKey } from '../../../common/permissions';
import type { Deps } from '../../deps';
import type { AuditActor } from '../audit-log/audit-log.service';
import { type AuthContext, auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import { sendFile } from '../files/files.service';
import { recordFollowUpBody, recordFollowUpFileParams, recordFollowUpParams, recordFollowUpsQuery, updateRecordFollowUpBody } from './follow-ups.schema';

type Body = z.infer<typeof recordFollowUpBody>;
type Patch = z.infer<typeof updateRecordFollowUpBody>;

/** What a record (a lead, a deal) does with its follow-ups; the routes are the same for each. */
export interface RecordFollowUpService<T> {
  list(deps: Deps, auth: AuthContext, recordId: string, query: z.infer<typeof recordFollowUpsQuery>): Promise<{ data: T[]; nextCursor: string | null }>;
  create(deps: Deps, auth: AuthContext, recordId: string, body: Body): Promise<T>;
  update(deps: Deps, auth: AuthContext, actor: AuditActor, recordId: string, followUpId: string, body: Patch, expectedVersion?: number): Promise<T>;
  remove(deps: Deps, auth: AuthContext, actor: AuditActor, recordId: string, followUpId: string): Promise<void>;
  openFile(deps: Deps, auth: AuthContext, recordId: string, followUpId: string, fileId: string): Promise<{ file: { name: string; mime: string; size: number | string }; stream: fs.ReadStream }>;
}

/** A follow-up as the API answers it: its record's own schema (a dealId or a leadId beside the shared fields). */
type FollowUpSchema = z.ZodObject<z.ZodRawShape>;

interface Options {
  /** `/leads`, `/deals` */
  base: string;
  /** what the summaries call the record: "a lead", "a deal" */
  noun: string;
  tags: string[];
  /** who may see the record sees its follow-ups (and may try to change one: the service checks the author and scopes) */
  view: PermissionKey;
  schema: FollowUpSchema;
  service: RecordFollowUpService<z.infer<FollowUpSchema>>;
}

/** `GET|POST <base>/:id/follow-ups`, `PATCH|DELETE …/:followUpId`, `GET …/:followUpId/files/:fileId`. */
export function recordFollowUpRoutes({ base, noun, tags, view, schema, service }: Options): FastifyPluginAsyncZod {
  return async (app) => {
    const deps = app.deps;
    const path = `${base}/:id/follow-ups`;

    app.get(
      path,
      {
        schema: { tags, summary: `Follow-ups of ${noun}, newest first (keyset pages: limit, cursor)`, params: idParams, querystring: recordFollowUpsQuery, response: { 200: z.object({ data: z.array(schema), nextCursor: z.string().nullable() }), ...problemResponses } },
        config: { access: { permission: view } },
      },
      async (request) => service.list(deps, requireAuth(request), request.params.id, request.query),
    );

    app.post(
      path,
      {
        schema: { tags, summary: `Log a follow-up on ${noun} (attachmentIds: files uploaded through POST /files)`, params: idParams, body: recordFollowUpBody, response: { 201: schema, ...problemResponses } },
        config: { access: { permission: 'followUp:create' } },
      },
      async (request, reply) => {
        const followUp = await service.create(deps, requireAuth(request), request.params.id, request.body);
        return reply.status(201).header('Location', `/api/v1${base}/${request.params.id}/follow-ups/${String(followUp.id)}`).send(followUp);
      },
    );

    app.patch(
      `${path}/:followUpId`,
      {
        schema: { tags, summary: `Edit a follow-up of ${noun} (author, or followUp:edit scope; If-Match: version)`, params: recordFollowUpParams, body: updateRecordFollowUpBody, response: { 200: schema, ...problemResponses } },
        config: { access: { permission: view }, ifMatch: true },
      },
      async (request) => service.update(deps, requireAuth(request), auditActorOf(request), request.params.id, request.params.followUpId, request.body, expectedVersion(request)),
    );

    app.delete(
      `${path}/:followUpId`,
      {
        schema: { tags, summary: `Delete a follow-up of ${noun} (author, or followUp:delete scope)`, params: recordFollowUpParams, response: { 204: z.null(), ...problemResponses } },
        config: { access: { permission: view } },
      },
      async (request, reply) => {
        await service.remove(deps, requireAuth(request), auditActorOf(request), request.params.id, request.params.followUpId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      `${path}/:followUpId/files/:fileId`,
      {
        schema: { tags, summary: `Download an attachment of a follow-up of ${noun}`, params: recordFollowUpFileParams, response: { 200: z.unknown().describe('The file, as an attachment'), ...problemResponses } },
        config: { access: { permission: view } },
      },
      async (request, reply) => {
        const { file, stream } = await service.openFile(deps, requireAuth(request), request.params.id, request.params.followUpId, request.params.fileId);
        return sendFile(reply, file, stream);
      },
    );
  };
}
