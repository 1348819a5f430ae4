import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { problemResponses } from '../../http/schemas';
import { customerSchema } from '../customers/customers.schema';
import { duplicateCheckBody, duplicateCheckResult, duplicateReport, duplicateReportQuery } from './duplicates.schema';
import { checkDuplicates, duplicateReport as buildDuplicateReport } from './duplicates.service';
import { mergeBody, mergePreview, mergePreviewBody } from './merge.schema';
import { mergeCustomers, previewMerge } from './merge.service';

const tags = ['Customers'];

/** 查重 and 合并: static paths under /customers, which Fastify matches before /customers/:id. */
export const duplicatesRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.post(
    '/customers/duplicates/check',
    {
      schema: { tags, summary: 'Possible duplicates of a customer being created or edited', body: duplicateCheckBody, response: { 200: duplicateCheckResult, ...problemResponses } },
      // Needs create or edit (checked in the service): the check is part of both forms.
      config: { access: { permission: 'customer:view' } },
    },
    async (request) => checkDuplicates(deps, requireAuth(request), request.body),
  );

  app.get(
    '/customers/duplicates',
    {
      schema: { tags, summary: 'Groups of customers sharing a company name, phone or email', querystring: duplicateReportQuery, response: { 200: duplicateReport, ...problemResponses } },
      config: { access: { permission: 'customer:edit' } },
    },
    async (request) => buildDuplicateReport(deps, requireAuth(request), request.query),
  );

  app.post(
    '/customers/merge/preview',
    {
      schema: { tags, summary: 'Preview merging customers into one', body: mergePreviewBody, response: { 200: mergePreview, ...problemResponses } },
      config: { access: { permission: 'customer:edit' } },
    },
    async (request) => previewMerge(deps, requireAuth(request), request.body),
  );

  app.post(
    '/customers/merge',
    {
      schema: { tags, summary: 'Merge customers into one (sources are deleted, marked merged)', body: mergeBody, response: { 200: customerSchema, ...problemResponses } },
      config: { access: { permission: 'customer:edit' } },
    },
    async (request) => mergeCustomers(deps, requireAuth(request), auditActorOf(request), request.body),
  );
};
