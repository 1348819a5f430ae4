import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { idParams, page, problemResponses } from '../../http/schemas';
import { attachment } from '../imports/download';
import { createExportBody, exportSchema, listExportsQuery } from './exports.schema';
import { createExport, exportDownload, getExport, listExports } from './exports.service';

const tags = ['Exports'];

// Exports are the requester's own: the services check customer:export (contact:export) for the
// entity and answer 404 for anyone else's export.
export const exportsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.post(
    '/exports',
    {
      schema: { tags, summary: 'Export the records the list would show (filter, or a selection of ids) as CSV or XLSX, in the background', body: createExportBody, response: { 202: exportSchema, ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request, reply) => {
      const created = await createExport(deps, requireAuth(request), auditActorOf(request), request.body);
      return reply.status(202).header('Location', `/api/v1/exports/${created.id}`).send(created);
    },
  );

  app.get(
    '/exports',
    { schema: { tags, summary: 'My exports, newest first', querystring: listExportsQuery, response: { 200: page(exportSchema), ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => listExports(deps, requireAuth(request), request.query),
  );

  app.get(
    '/exports/:id',
    { schema: { tags, summary: 'Progress of an export', params: idParams, response: { 200: exportSchema, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => getExport(deps, requireAuth(request), request.params.id),
  );

  app.get(
    '/exports/:id/download',
    { schema: { tags, summary: 'The exported file (CSV with BOM or XLSX)', params: idParams, response: { 200: z.unknown(), ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request, reply) => {
      const file = await exportDownload(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.type(file.mime).header('Content-Length', String(file.size)).header('Content-Disposition', attachment(file.fileName)).send(file.stream);
    },
  );
};
