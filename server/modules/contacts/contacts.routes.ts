import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import type { RawQuery } from '../../list/parse-list';
import { presentedSerializer } from '../../list/list-response';
import '../customers/customers.permissions';
import { deleteContact, deleteContacts, restoreContact, restoreContacts } from './contacts.bin';
import { contactBulkBody, contactBulkResult, contactIdsBody, contactPage, contactSchema, createContactBody, listContactsQuery, updateContactBody } from './contacts.schema';
import { createContact, getContact, listContactsPage, listCustomerContacts, updateContact } from './contacts.service';

const tags = ['Contacts'];

export const contactsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/contacts',
    {
      schema: { tags, summary: 'List contacts (scoped through the customer owner and collaborators)', querystring: listContactsQuery, response: { 200: contactPage, ...problemResponses } },
      config: { access: { permission: 'contact:view' } },
      serializerCompiler: presentedSerializer,
    },
    async (request) => listContactsPage(deps, requireAuth(request), request.query as RawQuery),
  );

  app.get(
    '/customers/:id/contacts',
    {
      schema: { tags, summary: "A customer's live contacts, primary first", params: idParams, response: { 200: z.object({ data: z.array(contactSchema) }), ...problemResponses } },
      config: { access: { permission: 'contact:view' } },
      serializerCompiler: presentedSerializer,
    },
    async (request) => ({ data: await listCustomerContacts(deps, requireAuth(request), request.params.id) }),
  );

  app.get(
    '/contacts/:id',
    {
      schema: { tags, summary: 'Get a contact', params: idParams, response: { 200: contactSchema, ...problemResponses } },
      config: { access: { permission: 'contact:view' } },
      serializerCompiler: presentedSerializer,
    },
    async (request) => getContact(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/contacts',
    { schema: { tags, summary: 'Add a contact to a customer', body: createContactBody, response: { 201: contactSchema, ...problemResponses } }, config: { access: { permission: 'contact:create' } } },
    async (request, reply) => {
      const contact = await createContact(deps, requireAuth(request), auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/contacts/${contact.id}`).send(contact);
    },
  );

  app.patch(
    '/contacts/:id',
    {
      schema: { tags, summary: 'Edit a contact (If-Match: version)', params: idParams, body: updateContactBody, response: { 200: contactSchema, ...problemResponses } },
      // Read-write collaborators may edit without contact:edit; the service decides per record.
      config: { access: { permission: 'contact:view' }, ifMatch: true },
    },
    async (request) => updateContact(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/contacts/:id',
    { schema: { tags, summary: 'Delete a contact', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'contact:delete' } } },
    async (request, reply) => {
      await deleteContact(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/contacts/:id/restore',
    {
      schema: { tags, summary: 'Restore a deleted contact (its customer must be live)', params: idParams, response: { 200: contactSchema, ...problemResponses } },
      config: { access: { permission: 'contact:delete' } },
      serializerCompiler: presentedSerializer,
    },
    async (request) => restoreContact(deps, requireAuth(request), auditActorOf(request), request.params.id),
  );

  app.post(
    '/contacts/restore',
    {
      schema: { tags, summary: 'Restore several contacts from the recycle bin, all or nothing', body: contactIdsBody, response: { 200: contactBulkResult, ...problemResponses } },
      config: { access: { permission: 'contact:delete' } },
    },
    async (request) => {
      const changed = await restoreContacts(deps, requireAuth(request), auditActorOf(request), request.body.ids);
      return { action: 'restore', matched: changed, changed };
    },
  );

  app.post(
    '/contacts/bulk',
    {
      schema: { tags, summary: 'Bulk action over selected contacts (delete), all or nothing', body: contactBulkBody, response: { 200: contactBulkResult, ...problemResponses } },
      config: { access: { permission: 'contact:delete' } },
    },
    async (request) => {
      const changed = await deleteContacts(deps, requireAuth(request), auditActorOf(request), request.body.ids);
      return { action: request.body.action, matched: changed, changed };
    },
  );
};
