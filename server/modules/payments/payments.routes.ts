import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import './payments.approval';
import './payments.export';
import './payments.job';
import './payments.permissions';
import './payments.todo';
import { createPlan, deletePlan, getPlan, listPlans, updatePlan } from './payment-plans.service';
import {
  contractPaymentSummary,
  createPaymentBody,
  createPlanBody,
  customerPaymentSummary,
  listPaymentsQuery,
  listPlansQuery,
  paymentPage,
  paymentPlanPage,
  paymentPlanSchema,
  paymentSchema,
  updatePaymentBody,
  updatePlanBody,
} from './payments.schema';
import { contractPaymentSummary as summaryOf, createPayment, customerPaymentSummary as customerSummaryOf, deletePayment, getPayment, listPayments, resubmitPayment, updatePayment, withdrawPayment } from './payments.service';

const tags = ['Payments'];
const withdrawBody = z.strictObject({ comment: z.string().trim().max(2000).nullish() }).nullish();

export const paymentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const view = { access: { permission: 'payment:view' as const } };

  app.get(
    '/payment-plans',
    { schema: { tags, summary: 'List payment plans (instalments), soonest due first', querystring: listPlansQuery, response: { 200: paymentPlanPage, ...problemResponses } }, config: view },
    async (request) => listPlans(deps, requireAuth(request), request.query),
  );
  app.get(
    '/payment-plans/:id',
    { schema: { tags, summary: 'Get a payment plan', params: idParams, response: { 200: paymentPlanSchema, ...problemResponses } }, config: view },
    async (request) => getPlan(deps, requireAuth(request), request.params.id),
  );
  app.post(
    '/payment-plans',
    { schema: { tags, summary: 'Add an instalment to a contract', body: createPlanBody, response: { 201: paymentPlanSchema, ...problemResponses } }, config: { access: { permission: 'payment:edit' } } },
    async (request, reply) => {
      const plan = await createPlan(deps, requireAuth(request), request.body);
      return reply.status(201).header('Location', `/api/v1/payment-plans/${plan.id}`).send(plan);
    },
  );
  app.patch(
    '/payment-plans/:id',
    { schema: { tags, summary: 'Edit an instalment (If-Match: version)', params: idParams, body: updatePlanBody, response: { 200: paymentPlanSchema, ...problemResponses } }, config: { access: { permission: 'payment:edit' }, ifMatch: true } },
    async (request) => updatePlan(deps, requireAuth(request), request.params.id, request.body, expectedVersion(request)),
  );
  app.delete(
    '/payment-plans/:id',
    { schema: { tags, summary: 'Delete an instalment without payments', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'payment:edit' } } },
    async (request, reply) => {
      await deletePlan(deps, requireAuth(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/payments',
    { schema: { tags, summary: 'List payments, newest first (data-scoped, keyset-paged)', querystring: listPaymentsQuery, response: { 200: paymentPage, ...problemResponses } }, config: view },
    async (request) => listPayments(deps, requireAuth(request), request.query),
  );
  app.get(
    '/payments/:id',
    { schema: { tags, summary: 'Get a payment', params: idParams, response: { 200: paymentSchema, ...problemResponses } }, config: view },
    async (request) => getPayment(deps, requireAuth(request), request.params.id),
  );
  app.post(
    '/payments',
    {
      schema: { tags, summary: 'Record a payment against an approved contract and submit it for approval', body: createPaymentBody, response: { 201: paymentSchema, ...problemResponses } },
      config: { access: { permission: 'payment:create' } },
    },
    async (request, reply) => {
      const payment = await createPayment(deps, requireAuth(request), auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/payments/${payment.id}`).send(payment);
    },
  );
  app.patch(
    '/payments/:id',
    { schema: { tags, summary: 'Edit a rejected or withdrawn payment', params: idParams, body: updatePaymentBody, response: { 200: paymentSchema, ...problemResponses } }, config: { access: { permission: 'payment:edit' }, ifMatch: true } },
    async (request) => updatePayment(deps, requireAuth(request), request.params.id, request.body, expectedVersion(request)),
  );
  app.post(
    '/payments/:id/submit',
    { schema: { tags, summary: 'Submit a rejected or withdrawn payment for approval again', params: idParams, response: { 200: paymentSchema, ...problemResponses } }, config: { access: { permission: 'payment:edit' } } },
    async (request) => resubmitPayment(deps, requireAuth(request), request.params.id),
  );
  app.post(
    '/payments/:id/withdraw',
    { schema: { tags, summary: 'Withdraw a payment from approval (its submitter)', params: idParams, body: withdrawBody, response: { 200: paymentSchema, ...problemResponses } }, config: view },
    async (request) => withdrawPayment(deps, requireAuth(request), request.params.id, request.body?.comment ?? null),
  );
  app.delete(
    '/payments/:id',
    { schema: { tags, summary: 'Delete a payment (an approved one gives its amount back to the contract)', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'payment:delete' } } },
    async (request, reply) => {
      await deletePayment(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/contracts/:id/payment-summary',
    { schema: { tags, summary: "A contract's total, received, pending, outstanding and planned amounts", params: idParams, response: { 200: contractPaymentSummary, ...problemResponses } }, config: view },
    async (request) => summaryOf(deps, requireAuth(request), request.params.id),
  );
  app.get(
    '/customers/:id/payment-summary',
    { schema: { tags, summary: "A customer's total, received, pending, outstanding and overdue amounts over its approved contracts", params: idParams, response: { 200: customerPaymentSummary, ...problemResponses } }, config: view },
    async (request) => customerSummaryOf(deps, requireAuth(request), request.params.id),
  );
};
