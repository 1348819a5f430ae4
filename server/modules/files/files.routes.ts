import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../http/app-error';
import { requireAuth } from '../../http/auth-context';
import { idParams, problemResponses } from '../../http/schemas';
import '../customers/customers.permissions';
import { maxFileBytes, openDownload, sendFile, storeUpload } from './files.service';

const tags = ['Files'];
const fileSchema = z.object({ id: z.string(), name: z.string(), size: z.number().int(), mime: z.string() });

export const filesRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.post(
    '/files',
    {
      schema: {
        tags,
        summary: 'Upload an attachment (multipart/form-data, field "file", at most 20 MB)',
        consumes: ['multipart/form-data'],
        response: { 201: fileSchema, 413: problemResponses[400], 415: problemResponses[400], ...problemResponses },
      },
      config: { access: { permission: 'followUp:create' } },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      if (!request.isMultipart()) {
        throw new AppError('unsupported_media_type', { detail: 'Send the file as multipart/form-data' });
      }
      const part = await request.file({ limits: { fileSize: maxFileBytes } });
      if (!part || part.fieldname !== 'file') {
        part?.file.resume();
        throw new AppError('validation_failed', { errors: [{ path: 'file', message: 'send one file in the field "file"' }] });
      }
      const file = await storeUpload(deps, auth, part);
      return reply.status(201).header('Location', `/api/v1/files/${file.id}`).send(file);
    },
  );

  app.get(
    '/files/:id',
    {
      schema: { tags, summary: 'Download a file (yours, or attached to a follow-up you can see)', params: idParams, response: { 200: z.unknown().describe('The file, as an attachment'), ...problemResponses } },
      config: { access: { permission: 'followUp:view' } },
    },
    async (request, reply) => {
      const { file, stream } = await openDownload(deps, requireAuth(request), request.params.id);
      return sendFile(reply, file, stream);
    },
  );
};
