import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { configDocs, loadConfig } from './config';
import { emailSchema } from './http/schemas';
import { connectDatabase } from './db/connect';
import { migrateToLatest } from './db/migrate';
import type { Deps } from './deps';
import { setupBody } from './modules/auth/auth.schema';
import { assertPasswordPolicy, hashPassword } from './modules/auth/passwords';
import { deleteUserSessions } from './modules/auth/sessions.repo';
import { syncGrants } from './modules/setup/seed-roles';
import { createWorkspace } from './modules/setup/setup.service';
import { setPasswordHash } from './modules/users/users.repo';
import { startServer } from './start';
import { ensureWebBuilt } from '../scripts/web-build.mjs';

const help = `Haoke CRM (好客)

Usage: haoke <command> [options]

Commands:
  serve            start the server (default); --port, --host, --data-dir, --database-url …
  migrate          bring the database schema up to date
  create-admin     create a workspace and its admin: --workspace NAME --name NAME --email EMAIL [--password PW]
  reset-password   set a user's password: --email EMAIL [--password PW] [--workspace-id ID]

Every setting is an env var or a flag (flags win):
${Object.entries(configDocs)
  .map(([key, env]) => `  ${env.padEnd(24)} --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)
  .join('\n')}
`;

async function ask(question: string, flag: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new Error(`--${flag} is required (pass it as a flag, or run in a terminal to be asked)`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

async function withDeps<T>(argv: string[], run: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, argv);
  const handle = connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    await syncGrants(handle.db);
    return await run({ db: handle.db, dialect: handle.dialect, config, now: () => new Date() });
  } finally {
    await handle.close();
  }
}

/** The same checks as the first-run page, so the CLI cannot create an admin who can never sign in. */
function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, flagOf: Record<string, string> = {}): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      return `${field ? `--${flagOf[field] ?? field}: ` : ''}${issue.message}`;
    });
    throw new Error(`invalid input: ${problems.join('; ')}`);
  }
  return result.data;
}

function flags(argv: string[], names: string[]): Record<string, string | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    strict: false,
    allowPositionals: true,
  });
  return Object.fromEntries(names.map((n) => [n, typeof values[n] === 'string' ? values[n] : undefined]));
}

async function main(): Promise<void> {
  const [command = 'serve', ...argv] = process.argv.slice(2);
  switch (command) {
    case 'serve': {
      const config = loadConfig(process.env, argv);
      if (config.serveWeb) {
        ensureWebBuilt({ quiet: false });
      }
      const server = await startServer(config);
      server.app.log.info(`database: ${server.handle.description}`);
      process.stdout.write(`\n  Haoke CRM is running at ${server.url}\n\n`);
      const shutdown = () => {
        void server.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return;
    }
    case 'migrate': {
      await withDeps(argv, async (deps) => {
        process.stdout.write(`migrated ${deps.dialect} database\n`);
      });
      return;
    }
    case 'create-admin': {
      const f = flags(argv, ['workspace', 'name', 'email', 'password']);
      const input = parseOrThrow(
        setupBody.omit({ locale: true }),
        {
          workspaceName: f.workspace ?? (await ask('Workspace name: ', 'workspace')),
          name: f.name ?? (await ask('Admin name: ', 'name')),
          email: f.email ?? (await ask('Admin email: ', 'email')),
          password: f.password ?? (await ask('Password (≥ 10 characters): ', 'password')),
        },
        { workspaceName: 'workspace' },
      );
      await withDeps(argv, async (deps) => {
        const others = await deps.db.selectFrom('users').select('workspaceId').where('email', '=', input.email).execute();
        const { workspaceId, userId } = await createWorkspace(deps, input, { allowMore: true });
        process.stdout.write(`created workspace ${workspaceId} with admin ${userId} <${input.email}>\n`);
        if (others.length > 0) {
          process.stderr.write(
            `warning: ${input.email} also belongs to workspace ${others.map((o) => o.workspaceId).join(', ')}; ` +
              'the sign-in page cannot tell them apart (the API takes a workspaceId)\n',
          );
        }
      });
      return;
    }
    case 'reset-password': {
      const f = flags(argv, ['email', 'password', 'workspace-id']);
      const email = parseOrThrow(emailSchema, f.email ?? (await ask('Email: ', 'email')));
      const password = f.password ?? (await ask('New password: ', 'password'));
      await withDeps(argv, async (deps) => {
        let q = deps.db
          .selectFrom('users')
          .innerJoin('workspaces', 'workspaces.id', 'users.workspaceId')
          .select(['users.id', 'users.workspaceId', 'users.email', 'workspaces.name as workspaceName'])
          .where('users.email', '=', email);
        if (f['workspace-id']) {
          q = q.where('users.workspaceId', '=', f['workspace-id']);
        }
        const users = await q.execute();
        if (users.length > 1) {
          const list = users.map((u) => `  ${u.workspaceId}  ${u.workspaceName}`).join('\n');
          throw new Error(`several workspaces have ${email}; pass --workspace-id with one of:\n${list}`);
        }
        if (!users[0]) {
          throw new Error(`no user with email ${email}${f['workspace-id'] ? ` in workspace ${f['workspace-id']}` : ''}`);
        }
        const user = users[0];
        assertPasswordPolicy(password, user.email);
        const hash = await hashPassword(password, { memoryKib: deps.config.argon2MemoryKib });
        await setPasswordHash(deps.db, user.workspaceId, user.id, hash, new Date().toISOString());
        await deleteUserSessions(deps.db, user.workspaceId, user.id);
        process.stdout.write(`password reset for ${email}; their sessions were ended\n`);
      });
      return;
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(help);
      return;
    default:
      process.stderr.write(`unknown command: ${command}\n\n${help}`);
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof Error && 'errors' in error ? ` ${JSON.stringify((error as { errors: unknown }).errors)}` : '';
  process.stderr.write(`error: ${message}${details}\n`);
  process.exit(1);
});
