import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf, requireAuth } from '../../http/auth-context';
import { problemResponses } from '../../http/schemas';
import './targets.permissions';
import { achievement, targetReport, targetSummary } from './targets.achievement';
import { achievementQuery, achievementSchema, listTargetsQuery, reportQuery, reportSchema, setTargetsBody, summarySchema, targetSchema } from './targets.schema';
import { listTargets, setTargets } from './targets.service';

const tags = ['Targets'];
const targetList = z.object({ data: z.array(targetSchema) });

export const targetsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/targets',
    { schema: { tags, summary: 'Targets of a year (users and departments the caller may see)', querystring: listTargetsQuery, response: { 200: targetList, ...problemResponses } }, config: { access: { permission: 'target:view' } } },
    async (request) => listTargets(deps, requireAuth(request), request.query),
  );
  app.put(
    '/targets',
    {
      schema: { tags, summary: 'Set targets of a year in bulk: 12 monthly values or a year total per user/department', body: setTargetsBody, response: { 200: targetList, ...problemResponses } },
      config: { access: { permission: 'target:edit' } },
    },
    async (request) => setTargets(deps, requireAuth(request), auditActorOf(request), request.body),
  );
  app.get(
    '/targets/achievement',
    {
      schema: { tags, summary: 'Target, actual and percent of me, a user or a department for a month, quarter, year or custom range', querystring: achievementQuery, response: { 200: achievementSchema, ...problemResponses } },
      config: { access: { permission: 'target:view' } },
    },
    async (request) => achievement(deps, requireAuth(request), request.query),
  );
  app.get(
    '/targets/report',
    { schema: { tags, summary: 'Users or departments × months of a year: target, actual, percent', querystring: reportQuery, response: { 200: reportSchema, ...problemResponses } }, config: { access: { permission: 'target:view' } } },
    async (request) => targetReport(deps, requireAuth(request), request.query),
  );
  app.get(
    '/targets/summary',
    { schema: { tags, summary: "Home-page widget: my and my department's achievement this month and year", response: { 200: summarySchema, ...problemResponses } }, config: { access: { authenticated: true } } },
    async (request) => targetSummary(deps, requireAuth(request)),
  );
};
