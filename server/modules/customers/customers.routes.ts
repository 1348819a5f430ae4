import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import type { RawQuery } from '../../list/parse-list';
import { presentedSerializer } from '../../list/list-response';
import './customers.permissions';
import {
  changeCustomerTags,
  deleteCustomer,
  listCustomerCollaborators,
  restoreCustomer,
  restoreCustomers,
  setCustomerCollaborators,
  setCustomerLock,
  transferCustomers,
} from './customers.actions';
import { runBulkAction } from './customers.bulk';
import { purgeCustomer } from './customers.purge';
import {
  bulkBody,
  bulkRestoreBody,
  collaboratorSchema,
  collaboratorsBody,
  createCustomerBody,
  customerPage,
  customerSchema,
  listCustomersQuery,
  tagsBody,
  transferBody,
  updateCustomerBody,
} from './customers.schema';
import { createCustomer, getCustomer, listCustomersPage, updateCustomer } from './customers.service';

const tags = ['Customers'];

export const customersRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/customers',
    {
      schema: { tags, summary: 'List customers (data-scoped, filtered, keyset-paged)', querystring: listCustomersQuery, response: { 200: customerPage, ...problemResponses } },
      config: { access: { permission: 'customer:view' } },
      serializerCompiler: presentedSerializer,
    },
    async (request) => listCustomersPage(deps, requireAuth(request), request.query as RawQuery),
  );

  app.get(
    '/customers/:id',
    {
      schema: { tags, summary: 'Get a customer', params: idParams, response: { 200: customerSchema, ...problemResponses } },
      config: { access: { permission: 'customer:view' } },
      serializerCompiler: presentedSerializer,
    },
    async (request) => getCustomer(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/customers',
    { schema: { tags, summary: 'Create a customer', body: createCustomerBody, response: { 201: customerSchema, ...problemResponses } }, config: { access: { permission: 'customer:create' } } },
    async (request, reply) => {
      const customer = await createCustomer(deps, requireAuth(request), auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/customers/${customer.id}`).send(customer);
    },
  );

  app.patch(
    '/customers/:id',
    {
      schema: { tags, summary: 'Edit a customer (If-Match: version)', params: idParams, body: updateCustomerBody, response: { 200: customerSchema, ...problemResponses } },
      config: { access: { permission: 'customer:view' }, ifMatch: true },
    },
    async (request) => updateCustomer(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/customers/:id',
    { schema: { tags, summary: 'Move a customer to the recycle bin', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'customer:delete' } } },
    async (request, reply) => {
      await deleteCustomer(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/customers/:id/restore',
    { schema: { tags, summary: 'Restore from the recycle bin', params: idParams, response: { 200: customerSchema, ...problemResponses } }, config: { access: { permission: 'customer:delete' } } },
    async (request) => restoreCustomer(deps, requireAuth(request), auditActorOf(request), request.params.id),
  );

  app.post(
    '/customers/restore',
    {
      schema: {
        tags,
        summary: 'Restore several customers from the recycle bin, all or nothing',
        body: bulkRestoreBody,
        response: { 200: z.object({ action: z.string(), matched: z.number().int(), changed: z.number().int() }), ...problemResponses },
      },
      config: { access: { permission: 'customer:delete' } },
    },
    async (request) => {
      const changed = await restoreCustomers(deps, requireAuth(request), auditActorOf(request), request.body.ids);
      return { action: 'restore', matched: changed, changed };
    },
  );

  app.delete(
    '/customers/:id/purge',
    { schema: { tags, summary: 'Delete for good from the recycle bin', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'customer:delete' } } },
    async (request, reply) => {
      await purgeCustomer(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  for (const [path, locked] of [
    ['lock', true],
    ['unlock', false],
  ] as const) {
    app.post(
      `/customers/:id/${path}`,
      { schema: { tags, summary: locked ? 'Lock (锁定)' : 'Unlock', params: idParams, response: { 200: customerSchema, ...problemResponses } }, config: { access: { permission: 'customer:view' } } },
      async (request) => setCustomerLock(deps, requireAuth(request), auditActorOf(request), request.params.id, locked),
    );
  }

  app.post(
    '/customers/:id/transfer',
    {
      schema: { tags, summary: 'Transfer to another owner (转移)', params: idParams, body: transferBody, response: { 200: customerSchema, ...problemResponses } },
      config: { access: { permission: 'customer:transfer' } },
    },
    async (request) => {
      const auth = requireAuth(request);
      await transferCustomers(deps, auth, auditActorOf(request), [request.params.id], request.body);
      return getCustomer(deps, auth, request.params.id);
    },
  );

  app.post(
    '/customers/:id/tags',
    { schema: { tags, summary: 'Add and remove tags', params: idParams, body: tagsBody, response: { 200: customerSchema, ...problemResponses } }, config: { access: { permission: 'customer:view' } } },
    async (request) => {
      const auth = requireAuth(request);
      await changeCustomerTags(deps, auth, [request.params.id], request.body);
      return getCustomer(deps, auth, request.params.id);
    },
  );

  app.get(
    '/customers/:id/collaborators',
    { schema: { tags, summary: 'Collaborators (团队成员)', params: idParams, response: { 200: z.object({ data: z.array(collaboratorSchema) }), ...problemResponses } }, config: { access: { permission: 'customer:view' } } },
    async (request) => ({ data: await listCustomerCollaborators(deps, requireAuth(request), request.params.id) }),
  );

  app.put(
    '/customers/:id/collaborators',
    {
      schema: { tags, summary: 'Replace the collaborators', params: idParams, body: collaboratorsBody, response: { 200: z.object({ data: z.array(collaboratorSchema) }), ...problemResponses } },
      config: { access: { permission: 'customer:edit' } },
    },
    async (request) => ({ data: await setCustomerCollaborators(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body.collaborators) }),
  );

  app.post(
    '/customers/bulk',
    {
      schema: {
        tags,
        summary: 'Bulk action over a selection (ids) or the whole filtered set (filter)',
        body: bulkBody,
        response: { 200: z.object({ action: z.string(), matched: z.number().int(), changed: z.number().int() }), ...problemResponses },
      },
      config: { access: { permission: 'customer:view' } },
    },
    async (request) => runBulkAction(deps, requireAuth(request), auditActorOf(request), request.body),
  );
};
