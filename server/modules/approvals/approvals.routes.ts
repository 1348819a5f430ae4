import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { expectedVersion } from '../../http/preconditions';
import { idParams, problemResponses } from '../../http/schemas';
import { recordAudit } from '../audit-log/audit-log.service';
import './approvals.permissions';
import './approvals.todo';
import { decideApproval, withdrawApproval } from './approvals.engine';
import { createFlow, deleteFlow, getFlow, listFlows, updateFlow } from './approvals.flows';
import { approvalSubjectTypes } from './approvals.registry';
import {
  actBody,
  approvalRowPage,
  createFlowBody,
  flowSchema,
  instanceSchema,
  listFlowsQuery,
  listSubmittedQuery,
  listTasksQuery,
  rejectBody,
  updateFlowBody,
} from './approvals.schema';
import { getApproval, listMyTasks, listSubmitted, overseesApprovals } from './approvals.view';

const tags = ['Approvals'];

export const approvalsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/approval-flows',
    { schema: { tags, summary: 'Approval flows (per subject type)', querystring: listFlowsQuery, response: { 200: z.object({ data: z.array(flowSchema), subjectTypes: z.array(z.string()) }), ...problemResponses } }, config: { access: { permission: 'approvalFlow:view' } } },
    async (request) => ({ data: await listFlows(deps, requireAuth(request), request.query.subjectType), subjectTypes: approvalSubjectTypes() }),
  );

  app.get(
    '/approval-flows/:id',
    { schema: { tags, summary: 'An approval flow', params: idParams, response: { 200: flowSchema, ...problemResponses } }, config: { access: { permission: 'approvalFlow:view' } } },
    async (request) => getFlow(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/approval-flows',
    { schema: { tags, summary: 'Create an approval flow', body: createFlowBody, response: { 201: flowSchema, ...problemResponses } }, config: { access: { permission: 'approvalFlow:create' } } },
    async (request, reply) => {
      const flow = await createFlow(deps, requireAuth(request), auditActorOf(request), request.body);
      return reply.status(201).header('Location', `/api/v1/approval-flows/${flow.id}`).send(flow);
    },
  );

  app.patch(
    '/approval-flows/:id',
    { schema: { tags, summary: 'Edit an approval flow (steps replace all steps; If-Match: version)', params: idParams, body: updateFlowBody, response: { 200: flowSchema, ...problemResponses } }, config: { access: { permission: 'approvalFlow:edit' }, ifMatch: true } },
    async (request) => updateFlow(deps, requireAuth(request), auditActorOf(request), request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/approval-flows/:id',
    { schema: { tags, summary: 'Delete an approval flow (running approvals keep their steps)', params: idParams, response: { 204: z.null(), ...problemResponses } }, config: { access: { permission: 'approvalFlow:delete' } } },
    async (request, reply) => {
      await deleteFlow(deps, requireAuth(request), auditActorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/approvals/tasks',
    { schema: { tags, summary: 'My approval tasks: pending = waiting for me, done = decided by me', querystring: listTasksQuery, response: { 200: approvalRowPage, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => listMyTasks(deps, requireAuth(request), request.query),
  );

  app.get(
    '/approvals/submitted',
    { schema: { tags, summary: 'Approvals I submitted', querystring: listSubmittedQuery, response: { 200: approvalRowPage, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => listSubmitted(deps, requireAuth(request), request.query),
  );

  app.get(
    '/approvals/:id',
    { schema: { tags, summary: 'An approval with its steps, tasks and history (participants and overseers)', params: idParams, response: { 200: instanceSchema, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => getApproval(deps, requireAuth(request), request.params.id),
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/approvals/:id/${decision}`,
      {
        schema: { tags, summary: decision === 'approve' ? 'Approve as an approver of the current step' : 'Reject (the whole approval ends)', params: idParams, body: (decision === 'approve' ? actBody : rejectBody).optional(), response: { 200: instanceSchema, ...problemResponses } },
        config: { access: { authenticated: true } },
      },
      async (request) => {
        const auth = requireAuth(request);
        await decideApproval(deps, auth, request.params.id, decision, request.body?.comment ?? null, overseesApprovals(auth));
        await recordAudit(deps, auditActorOf(request), { action: decision === 'approve' ? 'approval.approved' : 'approval.rejected', targetType: 'approval', targetId: request.params.id });
        return getApproval(deps, auth, request.params.id);
      },
    );
  }

  app.post(
    '/approvals/:id/withdraw',
    { schema: { tags, summary: 'Withdraw a pending approval (submitter only)', params: idParams, body: actBody.optional(), response: { 200: instanceSchema, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => {
      const auth = requireAuth(request);
      await withdrawApproval(deps, auth, request.params.id, request.body?.comment ?? null, overseesApprovals(auth));
      await recordAudit(deps, auditActorOf(request), { action: 'approval.withdrawn', targetType: 'approval', targetId: request.params.id });
      return getApproval(deps, auth, request.params.id);
    },
  );
};
