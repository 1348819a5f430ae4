import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { idParams, page, problemResponses } from '../../http/schemas';
import { requestLocale } from '../../http/problem';
import { importSchema, listImportsQuery, mappingBody, previewResultSchema, templateQuery, uploadResultSchema } from './imports.schema';
import { cancelImport, createImport, getImport, importErrorsCsv, listImports, previewImport, startImport, uploadDir } from './imports.service';
import { importTemplate } from './imports.template';
import { receiveUpload } from './imports.upload';
import { attachment } from './download';

const tags = ['Imports'];

// Imports are the importer's own: every route is for any signed-in caller, and the services
// check customer:import / contact:import for the entity and answer 404 for others' imports.
export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.post(
    '/imports',
    {
      schema: {
        tags,
        summary: 'Upload a CSV or XLSX file (multipart: file, entity=customer|contact): headers, samples, encoding, guessed mapping',
        consumes: ['multipart/form-data'],
        response: { 201: uploadResultSchema, 413: problemResponses[400], 415: problemResponses[400], ...problemResponses },
      },
      // The body is a stream, not JSON: an Idempotency-Key could not tell two uploads apart.
      config: { access: { authenticated: true }, idempotent: false },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const upload = await receiveUpload(request, uploadDir(deps, auth));
      const result = await createImport(deps, auth, auditActorOf(request), upload);
      return reply.status(201).header('Location', `/api/v1/imports/${result.id}`).send(result);
    },
  );

  app.get(
    '/imports',
    { schema: { tags, summary: 'My imports, newest first', querystring: listImportsQuery, response: { 200: page(importSchema), ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => listImports(deps, requireAuth(request), request.query),
  );

  app.get(
    '/imports/template',
    {
      schema: {
        tags,
        summary: 'An empty import file for an entity (下载导入模板): its columns as the mapping step recognises them; xlsx adds an instructions sheet',
        querystring: templateQuery,
        response: { 200: z.unknown(), ...problemResponses },
      },
      config: { access: { authenticated: true } },
    },
    async (request, reply) => {
      const { fileName, contentType, body } = await importTemplate(deps, requireAuth(request), request.query.entity, request.query.format, requestLocale(request));
      return reply.type(contentType).header('Content-Disposition', attachment(fileName)).send(body);
    },
  );

  app.get(
    '/imports/:id',
    { schema: { tags, summary: 'An import and its progress (rows/s, ETA)', params: idParams, response: { 200: importSchema, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => getImport(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/imports/:id/preview',
    {
      schema: { tags, summary: 'The first 100 rows with the mapping applied: values, errors, duplicates', params: idParams, body: mappingBody, response: { 200: previewResultSchema, ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request) => previewImport(deps, requireAuth(request), request.params.id, request.body, requestLocale(request)),
  );

  app.post(
    '/imports/:id/start',
    {
      schema: { tags, summary: 'Start the import as a background job', params: idParams, body: mappingBody, response: { 202: importSchema, ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request, reply) => reply.status(202).send(await startImport(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/imports/:id/cancel',
    { schema: { tags, summary: 'Cancel (rows already imported stay)', params: idParams, response: { 200: importSchema, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => cancelImport(deps, requireAuth(request), auditActorOf(request), request.params.id),
  );

  app.get(
    '/imports/:id/errors',
    {
      schema: { tags, summary: 'Failed rows as CSV (text/csv): row number, reason, original cells', params: idParams, response: { 200: z.unknown(), ...problemResponses } },
      config: { access: { authenticated: true } },
    },
    async (request, reply) => {
      const { fileName, stream } = await importErrorsCsv(deps, requireAuth(request), request.params.id, requestLocale(request));
      return reply.type('text/csv; charset=utf-8').header('Content-Disposition', attachment(fileName)).send(stream);
    },
  );
};
