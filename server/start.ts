import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { Config } from './config';
import { connectDatabase, type DatabaseHandle } from './db/connect';
import { migrateToLatest } from './db/migrate';
import type { Deps } from './deps';
import { startJobRunner } from './jobs/runner';
import { syncPicklists } from './modules/picklists/picklists.service';
import { syncGrants } from './modules/setup/seed-roles';

export interface Started {
  app: FastifyInstance;
  handle: DatabaseHandle;
  url: string;
  stop: () => Promise<void>;
}

/** Opens the database, migrates it, and builds the app: the shared start-up of `serve` and tests. */
export async function prepare(config: Config, options: { now?: () => Date; pgSchema?: string; serveWeb?: boolean } = {}) {
  const handle = connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}) });
  await migrateToLatest(handle.db, options.pgSchema);
  await syncGrants(handle.db);
  await syncPicklists(handle.db);
  const deps: Deps = { db: handle.db, dialect: handle.dialect, config, now: options.now ?? (() => new Date()) };
  const app = await buildApp({ deps, ...(options.serveWeb === undefined ? {} : { serveWeb: options.serveWeb }) });
  return { app, handle, deps };
}

export async function startServer(config: Config): Promise<Started> {
  const { app, handle, deps } = await prepare(config);
  await app.listen({ port: config.port, host: config.host });
  // Background jobs (imports, exports, …) run beside the server; API tests run them explicitly.
  const runner = startJobRunner(deps, { log: app.log });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  return {
    app,
    handle,
    url,
    stop: async () => {
      await runner.stop();
      await app.close();
      await handle.close();
    },
  };
}
