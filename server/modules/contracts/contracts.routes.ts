import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, idSchema, problemResponses } from '../../http/schemas';
import type { RawQuery } from '../../list/parse-list';
import { sendFile } from '../files/files.service';
import './contracts.export';
import './contracts.permissions';
import './contracts.search';
import './contracts.todo';
import { openContractFile } from './contracts.files';
import { submitContract, voidContract } from './contracts.lifecycle';
import { getNumberingRule, setNumberingRule } from './contracts.numbering';
import {
  contractDetailSchema,
  contractPage,
  createContractBody,
  numberingRuleBody,
  numberingRuleSchema,
  prefillQuery,
  prefillSchema,
  updateContractBody,
  voidBody,
} from './contracts.schema';
import { contractPrefill, createContract, deleteContract, getContract, listContractsPage, updateContract } from './contracts.service';

const tags = ['Contracts'];
// The list grammar's own parameters are declared so the OpenAPI document shows them; any other key is a filter.
const listQuery = z
  .object({
    limit: z.string().optional(),
    cursor: z.string().max(2000).optional(),
    sort: z.string().max(80).optional().describe('e.g. -signDate, total, cf.po_number'),
    q: z.string().max(100).optional().describe('number or name contains'),
    count: z.enum(['true', 'false', '1', '0']).optional(),
    expiringWithin: z.string().max(10).optional().describe('approved contracts whose end date is within the next N days'),
  })
  .catchall(z.union([z.string().max(2000), z.array(z.string().max(2000)).max(100)]))
  .describe('field=…, field[op]=…, cf.<key>[op]=…, expiringWithin=N');

export const contractsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/contracts',
    { schema: { tags, summary: 'List contracts (data-scoped, filtered, keyset-paged)', querystring: listQuery, response: { 200: contractPage, ...problemResponses } }, config: { access: { permission: 'contract:view' } } },
    async (request) => listContractsPage(deps, requireAuth(request), request.query as RawQuery),
  );

  app.get(
    '/contracts/prefill',
    { schema: { tags, summary: 'What a new contract starts from: a deal (customer, name, lines) or a customer', querystring: prefillQuery, response: { 200: prefillSchema, ...problemResponses } }, config: { access: { permission: 'contract:create' } } },
    async (request) => contractPrefill(deps, requireAuth(request), request.query),
  );

  app.get(
    '/contracts/numbering',
    { schema: { tags, summary: 'The contract numbering rule and the next number', response: { 200: numberingRuleSchema, ...problemResponses } }, config: { access: { permission: 'contract:create' } } },
    async (request) => getNumberingRule(deps, requireAuth(request)),
  );

  app.put(
    '/contracts/numbering',
    { schema: { tags, summary: 'Change the numbering rule ({yyyy} {yy} {MM} {dd} {yyyyMMdd} {yyyyMM} {seq} {seq:N}; reset day/month/year/never)', body: numberingRuleBody, response: { 200: numberingRuleSchema, ...problemResponses } }, config: { access: { permission: 'contractNumbering:edit' } } },
    async (request) => setNumberingRule(deps, requireAuth(request), auditActorOf(request), request.body),
  );

  app.get(
    '/contracts/:id',
    { schema: { tags, summary: 'A contract with lines, attachments and approval progress', params: idParams, response: { 200: contractDetailSchema, ...problemResponses } }, config: { access: { permission: 'contract:view' } } },
    async (request) => getContract(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/contracts',
    { schema: { tags, summary: 'Create a draft contract (from a customer or a deal)', body: createContractBody, response: { 201: contractDetailSchema, ...problemResponses } }, config: { access: { permission: 'contract:create' } } },
    async (request, reply) => {
      const contract = await createContract(deps, requireAuth(request), auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/contracts/${contract.id}`).send(contract);
    },
  );

  app.patch(
    '/contracts/:id',
    { schema: { tags, summary: 'Edit a draft or rejected contract (If-Match: version)', params: idParams, body: updateContractBody, response: { 200: contractDetailSchema, ...problemResponses } }, config: { access: { permission: 'contract:edit' }, ifMatch: true } },
    async (request) => updateContract(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/contracts/:id',
    { schema: { tags, summary: 'Delete a draft or rejected contract', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'contract:delete' } } },
    async (request, reply) => {
      await deleteContract(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/contracts/:id/submit',
    { schema: { tags, summary: 'Submit for approval (draft or rejected → pending, or approved when no flow applies)', params: idParams, response: { 200: contractDetailSchema, ...problemResponses } }, config: { access: { permission: 'contract:edit' } } },
    async (request) => submitContract(deps, requireAuth(request), auditActorOf(request), request.params.id),
  );

  app.post(
    '/contracts/:id/void',
    { schema: { tags, summary: 'Void (作废) a draft, rejected or approved contract', params: idParams, body: voidBody, response: { 200: contractDetailSchema, ...problemResponses } }, config: { access: { permission: 'contract:delete' } } },
    async (request) => voidContract(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body.reason),
  );

  app.get(
    '/contracts/:id/files/:fileId',
    {
      schema: { tags, summary: 'Download an attachment of a contract', params: z.strictObject({ id: idSchema, fileId: idSchema }), response: { 200: z.unknown().describe('The file, as an attachment'), ...problemResponses } },
      config: { access: { permission: 'contract:view' } },
    },
    async (request, reply) => {
      const { file, stream } = await openContractFile(deps, requireAuth(request), request.params.id, request.params.fileId);
      return sendFile(reply, file, stream);
    },
  );
};
