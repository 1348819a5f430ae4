import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireAuth } from '../../http/auth-context';
import { problemResponses } from '../../http/schemas';
import './todo.sources';
import { todoListSchema } from './todo.schema';
import { listTodo } from './todo.service';

const tags = ['To-do'];

export const todoRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/todo',
    {
      schema: { tags, summary: "The caller's to-do counts (待办): one count per registered source, each data-scoped", response: { 200: todoListSchema, ...problemResponses } },
      // Each source checks its own permission (and scopes its count); the list itself is personal.
      config: { access: { authenticated: true } },
    },
    async (request) => listTodo(deps, requireAuth(request)),
  );
};
