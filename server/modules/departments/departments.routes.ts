import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import { createDepartmentBody, departmentSchema, updateDepartmentBody } from './departments.schema';
import { createDepartment, deleteDepartmentById, listAllDepartments, updateDepartmentById } from './departments.service';

const tags = ['Departments'];

export const departmentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/departments',
    {
      schema: { tags, summary: 'All departments (flat, ordered; build the tree from parentId)', response: { 200: z.object({ data: z.array(departmentSchema) }), ...problemResponses } },
      config: { access: { permission: 'department:view' } },
    },
    async (request) => ({ data: await listAllDepartments(deps, auditActorOf(request).workspaceId) }),
  );

  app.post(
    '/departments',
    {
      schema: { tags, summary: 'Create a department', body: createDepartmentBody, response: { 201: departmentSchema, ...problemResponses } },
      config: { access: { permission: 'department:create' } },
    },
    async (request, reply) => {
      const department = await createDepartment(deps, auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/departments/${department.id}`).send(department);
    },
  );

  app.patch(
    '/departments/:id',
    {
      schema: { tags, summary: 'Rename, move, set leader or order (If-Match: version)', params: idParams, body: updateDepartmentBody, response: { 200: departmentSchema, ...problemResponses } },
      config: { access: { permission: 'department:edit' }, ifMatch: true },
    },
    async (request) => updateDepartmentById(deps, auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/departments/:id',
    {
      schema: { tags, summary: 'Delete an empty department', params: idParams, response: { 204: z.null(), ...problemResponses } },
      config: { access: { permission: 'department:delete' } },
    },
    async (request, reply) => {
      await deleteDepartmentById(deps, auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
