import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export function webRoot(): string {
  return path.resolve(import.meta.dirname, '../../dist/web');
}

/**
 * Serves the built single-page app. Hashed assets are cached for a year; index.html never,
 * so a new release is picked up on the next navigation. Unknown non-API paths get index.html.
 */
export async function registerWeb(app: FastifyInstance): Promise<boolean> {
  const root = webRoot();
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    return false;
  }
  await app.register(async (web) => {
    web.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: { public: true } };
    });
    await web.register(fastifyStatic, {
      root,
      // `/` is a directory: without an index it would answer 403 instead of the app.
      index: 'index.html',
      setHeaders: (res, file) => {
        void res.header('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  });
  return true;
}
