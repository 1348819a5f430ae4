import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import type { RawQuery } from '../../list/parse-list';
import '../deals/deals.permissions';
import './products.export';
import './products.import';
import { createCategory, deleteCategory, listCategories, updateCategory } from './products.categories';
import { categoryBody, categorySchema, createProductBody, listProductsQuery, productPage, productSchema, updateProductBody } from './products.schema';
import { createProduct, deleteProduct, getProduct, listProductsPage, updateProduct } from './products.service';

const tags = ['Products'];

export const productsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/products',
    { schema: { tags, summary: 'List products (filtered, keyset-paged)', querystring: listProductsQuery, response: { 200: productPage, ...problemResponses } }, config: { access: { permission: 'product:view' } } },
    async (request) => listProductsPage(deps, requireAuth(request), request.query as RawQuery),
  );

  app.get(
    '/products/:id',
    { schema: { tags, summary: 'Get a product', params: idParams, response: { 200: productSchema, ...problemResponses } }, config: { access: { permission: 'product:view' } } },
    async (request) => getProduct(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/products',
    { schema: { tags, summary: 'Create a product', body: createProductBody, response: { 201: productSchema, ...problemResponses } }, config: { access: { permission: 'product:create' } } },
    async (request, reply) => {
      const product = await createProduct(deps, requireAuth(request), auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/products/${product.id}`).send(product);
    },
  );

  app.patch(
    '/products/:id',
    { schema: { tags, summary: 'Edit a product (If-Match: version)', params: idParams, body: updateProductBody, response: { 200: productSchema, ...problemResponses } }, config: { access: { permission: 'product:edit' }, ifMatch: true } },
    async (request) => updateProduct(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/products/:id',
    { schema: { tags, summary: 'Delete a product (lines keep their copy)', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'product:delete' } } },
    async (request, reply) => {
      await deleteProduct(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/product-categories',
    { schema: { tags, summary: 'Product categories', response: { 200: z.object({ data: z.array(categorySchema) }), ...problemResponses } }, config: { access: { permission: 'product:view' } } },
    async (request) => ({ data: await listCategories(deps, requireAuth(request).workspaceId) }),
  );

  app.post(
    '/product-categories',
    { schema: { tags, summary: 'Create a category', body: categoryBody, response: { 201: categorySchema, ...problemResponses } }, config: { access: { permission: 'product:edit' } } },
    async (request, reply) => {
      const category = await createCategory(deps, auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/product-categories/${category.id}`).send(category);
    },
  );

  app.put(
    '/product-categories/:id',
    { schema: { tags, summary: 'Rename or move a category', params: idParams, body: categoryBody, response: { 200: categorySchema, ...problemResponses } }, config: { access: { permission: 'product:edit' } } },
    async (request) => updateCategory(deps, auditActorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/product-categories/:id',
    { schema: { tags, summary: 'Delete an empty category', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'product:edit' } } },
    async (request, reply) => {
      await deleteCategory(deps, auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
