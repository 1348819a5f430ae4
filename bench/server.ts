import { loadConfig } from '../server/config';
import { startServer } from '../server/start';

/**
 * The real server for the benchmark, in its own process (as in production: the load generator
 * must not share the server's event loop). Configured by the runner through BENCH_SERVER (JSON);
 * reports its URL over the IPC channel and stops when told.
 */
interface ServerSettings {
  dataDir: string;
  databaseUrl?: string;
}

const settings = JSON.parse(process.env.BENCH_SERVER ?? '{}') as ServerSettings;
const config = loadConfig({}, [], {
  port: 0,
  host: '127.0.0.1',
  dataDir: settings.dataDir,
  ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}),
  // Request logging off: the benchmark measures the API, not pino writing to a pipe.
  logLevel: 'warn',
  serveWeb: false,
  loginIpPerMinute: 10_000,
});
const started = await startServer(config);
const address = started.app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.send?.({ type: 'listening', url: `http://127.0.0.1:${port}` });
const stop = () => {
  void started.stop().then(() => process.exit(0));
};
process.on('message', (message: unknown) => {
  if (message === 'stop') {
    stop();
  }
});
// The runner died without saying stop: do not linger.
process.on('disconnect', stop);
