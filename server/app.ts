import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Deps } from './deps';
import { registerGuard } from './http/guard';
import { registerStrictQuery } from './http/strict-query';
import { registerIdempotency } from './http/idempotency';
import { registerInputChecks } from './http/input';
import { registerOpenApi } from './http/openapi';
import { registerProblemHandlers, sendFrameworkProblem, sendProblem } from './http/problem';
import { registerWeb } from './http/web';
import { jobsRoutes } from './jobs/jobs.routes';
import { leadFollowUpsRoutes } from './modules/leads/leads-follow-ups.routes';
import { dealFollowUpsRoutes } from './modules/deals/deals-follow-ups.routes';
import { leadsRoutes } from './modules/leads/leads.routes';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes';
import { approvalsRoutes } from './modules/approvals/approvals.routes';
import { auditLogRoutes } from './modules/audit-log/audit-log.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { contactsRoutes } from './modules/contacts/contacts.routes';
import { contractsRoutes } from './modules/contracts/contracts.routes';
import { customFieldsRoutes } from './modules/custom-fields/custom-fields.routes';
import { customersRoutes } from './modules/customers/customers.routes';
import { dealsRoutes } from './modules/deals/deals.routes';
import { pipelinesRoutes } from './modules/pipelines/pipelines.routes';
import { productsRoutes } from './modules/products/products.routes';
import { exportsRoutes } from './modules/exports/exports.routes';
import { importsRoutes } from './modules/imports/imports.routes';
import { departmentsRoutes } from './modules/departments/departments.routes';
import { duplicatesRoutes } from './modules/duplicates/duplicates.routes';
import { filesRoutes } from './modules/files/files.routes';
import { followUpsRoutes } from './modules/follow-ups/follow-ups.routes';
import { healthRoutes } from './modules/health/health.routes';
import { permissionsRoutes } from './modules/permissions/permissions.routes';
import { picklistsRoutes } from './modules/picklists/picklists.routes';
import { poolsRoutes } from './modules/pools/pools.routes';
import { rolesRoutes } from './modules/roles/roles.routes';
import { savedViewsRoutes } from './modules/saved-views/saved-views.routes';
import { searchRoutes } from './modules/search/search.routes';
import { setupRoutes } from './modules/setup/setup.routes';
import { tagsRoutes } from './modules/tags/tags.routes';
import { timelineRoutes } from './modules/timeline/timeline.routes';
import { todoRoutes } from './modules/todo/todo.routes';
import { paymentsRoutes } from './modules/payments/payments.routes';
import { targetsRoutes } from './modules/targets/targets.routes';
import { usersRoutes } from './modules/users/users.routes';
import { workspaceRoutes } from './modules/workspace/workspace.routes';

export interface BuildAppOptions {
  deps: Deps;
  /** Serve dist/web (the built SPA). Off in API tests. */
  serveWeb?: boolean;
}

/** Feature route plugins, mounted under /api/v1. A new module adds its plugin here. */
const apiModules = [
  healthRoutes,
  setupRoutes,
  authRoutes,
  permissionsRoutes,
  usersRoutes,
  departmentsRoutes,
  rolesRoutes,
  apiKeysRoutes,
  auditLogRoutes,
  workspaceRoutes,
  picklistsRoutes,
  tagsRoutes,
  customFieldsRoutes,
  customersRoutes,
  pipelinesRoutes,
  dealsRoutes,
  dealFollowUpsRoutes,
  productsRoutes,
  searchRoutes,
  duplicatesRoutes,
  contactsRoutes,
  followUpsRoutes,
  filesRoutes,
  timelineRoutes,
  savedViewsRoutes,
  importsRoutes,
  exportsRoutes,
  jobsRoutes,
  leadsRoutes,
  leadFollowUpsRoutes,
  todoRoutes,
  paymentsRoutes,
  targetsRoutes,
  approvalsRoutes,
  contractsRoutes,
  poolsRoutes,
];

/** Builds the Fastify instance. No side effects at import; nothing listens until the caller says so. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { deps } = options;
  const app = Fastify({
    logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel },
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: sendFrameworkProblem,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);

  registerProblemHandlers(app);
  // Cookies are parsed in an onRequest hook: it must run before the guard's. Security headers are
  // set in one too, also before the guard's, so that its 401/403 answers carry them as well.
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its styles at run time (CSS-in-JS), so inline styles are allowed; scripts are not.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Self-hosted installs often run on plain http inside a LAN: never force https here.
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: deps.config.publicUrl?.startsWith('https://') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  registerGuard(app, deps);
  registerInputChecks(app);
  registerStrictQuery(app);
  await app.register(rateLimit, { global: false });
  // Uploads (attachments, import files) stream to disk; routes pick their own smaller limits.
  await app.register(multipart, { limits: { fileSize: 2 * 1024 ** 3, files: 1, fields: 20, fieldSize: 100_000 } });

  await registerOpenApi(app);

  await app.register(
    async (api) => {
      api.addHook('onSend', async (_request, reply, payload) => {
        // API answers carry personal data: never cache them in shared caches or the browser.
        if (!reply.hasHeader('Cache-Control')) {
          void reply.header('Cache-Control', 'no-store');
        }
        return payload;
      });
      registerIdempotency(api, deps);
      for (const module of apiModules) {
        await api.register(module);
      }
    },
    { prefix: '/api/v1' },
  );

  const hasWeb = (options.serveWeb ?? deps.config.serveWeb) ? await registerWeb(app) : false;
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes get the app; a missing asset (a path with a file extension) stays a 404.
    const pathname = request.url.split('?')[0] ?? '';
    const isPage = request.method === 'GET' && !pathname.startsWith('/api/') && pathname !== '/api' && !/\.[a-z0-9]+$/i.test(pathname);
    if (hasWeb && isPage) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(request, reply, 'not_found');
  });

  return app;
}
