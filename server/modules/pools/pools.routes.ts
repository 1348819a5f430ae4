import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import './pools.permissions';
import './pools.todo';
import { assignCustomers, claimCustomer, claimCustomers, releaseCustomers } from './pools.actions';
import { ownershipHistoryOf } from './pools.history';
import { deleteOwnershipLimit, listOwnershipLimits, myUsage, putOwnershipLimit } from './pools.limits';
import {
  assignBody,
  bulkResult,
  claimBody,
  createPoolBody,
  expiringList,
  myUsageSchema,
  ownershipHistory,
  ownershipLimitBody,
  ownershipLimitList,
  poolCustomerPage,
  poolCustomerParams,
  poolCustomersQuery,
  poolList,
  poolParams,
  poolSchema,
  recyclePreviewBody,
  recyclePreviewSchema,
  recycleRunList,
  recycleRunSchema,
  recycleRunsQuery,
  releaseBody,
  updatePoolBody,
} from './pools.schema';
import { previewRecycle } from './pools.preview';
import { listRecycleRuns, startRecycleRun } from './pools.runs';
import { createPool, deletePool, getPool, listCustomersOfPool, listPools, updatePool } from './pools.service';
import { listExpiring } from './pools.warnings';

const tags = ['Public pools'];
const view = { access: { permission: 'pool:view' as const } };

export const poolsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get('/pools', { schema: { tags, summary: 'Pools I belong to (all pools for pool managers)', response: { 200: poolList, ...problemResponses } }, config: view }, async (request) => ({
    data: await listPools(deps, requireAuth(request)),
  }));

  app.post(
    '/pools',
    { schema: { tags, summary: 'Create a pool', body: createPoolBody, response: { 201: poolSchema, ...problemResponses } }, config: { access: { permission: 'pool:create' } } },
    async (request, reply) => {
      const pool = await createPool(deps, requireAuth(request), request.body);
      return reply.status(201).header('Location', `/api/v1/pools/${pool.id}`).send(pool);
    },
  );

  // Static paths before /pools/:id so they are not read as ids.
  app.get(
    '/pools/expiring',
    { schema: { tags, summary: 'My customers about to be recycled to a pool, with date and rule', response: { 200: expiringList, ...problemResponses } }, config: { access: { permission: 'customer:view' } } },
    async (request) => {
      const auth = requireAuth(request);
      return { data: await listExpiring(deps, auth.workspaceId, auth.userId) };
    },
  );

  app.post(
    '/pools/release',
    { schema: { tags, summary: 'Put customers into a pool (放入公海), with a reason', body: releaseBody, response: { 200: bulkResult, ...problemResponses } }, config: { access: { permission: 'customer:view' } } },
    async (request) => releaseCustomers(deps, requireAuth(request), auditActorOf(request), request.body),
  );

  app.get(
    '/pools/recycle-runs',
    {
      schema: { tags, summary: 'Runs of the recycling job (nightly or started by an admin), newest first, with customers taken back per rule', querystring: recycleRunsQuery, response: { 200: recycleRunList, ...problemResponses } },
      config: { access: { permission: 'pool:edit' } },
    },
    async (request) => ({ data: await listRecycleRuns(deps, requireAuth(request), request.query.limit) }),
  );

  app.post(
    '/pools/recycle-runs',
    { schema: { tags, summary: 'Run the recycling job now (one run at a time per workspace)', response: { 202: recycleRunSchema, ...problemResponses } }, config: { access: { permission: 'pool:edit' } } },
    async (request, reply) => reply.status(202).send(await startRecycleRun(deps, requireAuth(request))),
  );

  app.get(
    '/pools/my-usage',
    { schema: { tags, summary: 'How many customers I own and lock against my limits', response: { 200: myUsageSchema, ...problemResponses } }, config: { access: { permission: 'customer:view' } } },
    async (request) => myUsage(deps, requireAuth(request)),
  );

  app.get('/ownership-limits', { schema: { tags, summary: 'Ownership and lock limits', response: { 200: ownershipLimitList, ...problemResponses } }, config: { access: { permission: 'pool:edit' } } }, async (request) => ({
    data: await listOwnershipLimits(deps, requireAuth(request)),
  }));

  app.put(
    '/ownership-limits',
    { schema: { tags, summary: 'Set the limit of a user, a department or the workspace', body: ownershipLimitBody, response: { 200: ownershipLimitList, ...problemResponses } }, config: { access: { permission: 'pool:edit' } } },
    async (request) => ({ data: await putOwnershipLimit(deps, requireAuth(request), request.body) }),
  );

  app.delete(
    '/ownership-limits/:id',
    { schema: { tags, summary: 'Remove a limit', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'pool:edit' } } },
    async (request, reply) => {
      await deleteOwnershipLimit(deps, requireAuth(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/customers/:id/ownership-history',
    { schema: { tags, summary: 'Every change of owner of a customer (who, when, why)', params: idParams, response: { 200: ownershipHistory, ...problemResponses } }, config: { access: { permission: 'customer:view' } } },
    async (request) => ({ data: await ownershipHistoryOf(deps, requireAuth(request), request.params.id) }),
  );

  app.get('/pools/:id', { schema: { tags, summary: 'A pool with its settings', params: poolParams, response: { 200: poolSchema, ...problemResponses } }, config: view }, async (request) =>
    getPool(deps, requireAuth(request), request.params.id),
  );

  app.patch(
    '/pools/:id',
    {
      schema: { tags, summary: 'Edit a pool: members, admins, rules, quota, cool-down (If-Match: version)', params: poolParams, body: updatePoolBody, response: { 200: poolSchema, ...problemResponses } },
      config: { ...view, ifMatch: true },
    },
    async (request) => updatePool(deps, requireAuth(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/pools/:id',
    { schema: { tags, summary: 'Delete a pool (its customers move to the default pool)', params: poolParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'pool:delete' } } },
    async (request, reply) => {
      await deletePool(deps, requireAuth(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/pools/:id/recycle-preview',
    {
      schema: {
        tags,
        summary: 'How many customers the recycling job would take back now with these rules and exemptions (nothing is changed)',
        params: poolParams,
        body: recyclePreviewBody,
        response: { 200: recyclePreviewSchema, ...problemResponses },
      },
      config: view,
    },
    async (request) => previewRecycle(deps, requireAuth(request), request.params.id, request.body),
  );

  app.get(
    '/pools/:id/customers',
    { schema: { tags, summary: 'Customers waiting in a pool (filters, keyset pages)', params: poolParams, querystring: poolCustomersQuery, response: { 200: poolCustomerPage, ...problemResponses } }, config: view },
    async (request) => listCustomersOfPool(deps, requireAuth(request), request.params.id, request.query),
  );

  app.post(
    '/pools/:id/customers/:customerId/claim',
    { schema: { tags, summary: 'Claim one customer (领取)', params: poolCustomerParams, response: { 204: z.null(), ...problemResponses } }, config: view },
    async (request, reply) => {
      await claimCustomer(deps, requireAuth(request), auditActorOf(request), request.params.id, request.params.customerId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/pools/:id/claim',
    { schema: { tags, summary: 'Claim several customers; each succeeds or fails on its own', params: poolParams, body: claimBody, response: { 200: bulkResult, ...problemResponses } }, config: view },
    async (request) => claimCustomers(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body.customerIds),
  );

  app.post(
    '/pools/:id/assign',
    { schema: { tags, summary: 'Assign pool customers to someone (分配)', params: poolParams, body: assignBody, response: { 200: bulkResult, ...problemResponses } }, config: view },
    async (request) => assignCustomers(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body),
  );
};
