import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../server/config';
import { type Started, startServer } from '../server/start';
import { webRoot } from '../server/http/web';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface E2eEnv {
  server: Started;
  browser: Browser;
  baseUrl: string;
  close: () => Promise<void>;
}

/**
 * The real product: the built web app served by the real server on a real port, over a fresh
 * SQLite database, driven by Debian's Chromium.
 */
export async function startE2e(): Promise<E2eEnv> {
  if (!fs.existsSync(path.join(webRoot(), 'index.html'))) {
    throw new Error('dist/web is missing: run `npm run build` first (npm test does)');
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haoke-e2e-'));
  const config = loadConfig({}, [], { port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', argon2MemoryKib: 4096, serveWeb: true });
  const server = await startServer(config);
  let browser: Browser;
  try {
    // Playwright refuses --user-data-dir in args; launch() already gives each run a fresh
    // temporary profile and removes it on close.
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    });
  } catch (error) {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const baseUrl = server.url.replace('localhost', '127.0.0.1');
  return {
    server,
    browser,
    baseUrl,
    close: async () => {
      await browser.close();
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function newPage(env: E2eEnv, locale = 'en-US'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await env.browser.newContext({ baseURL: env.baseUrl, locale, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/**
 * Collects what must fail a browser test: uncaught page errors and any 5xx answer (with the body it
 * gave). `who` prefixes each entry when several users' pages share one list.
 */
export function watchPageErrors(page: Page, errors: string[], who?: string): void {
  const prefix = who ? `${who}: ` : '';
  page.on('pageerror', (error) => errors.push(`${prefix}${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) {
      void response.text().then((text) => errors.push(`${prefix}${response.status()} ${response.url()}: ${text.slice(0, 500)}`));
    }
  });
}

/** Saves a screenshot under .vitest-tmp/screens for a person to look at when a step fails. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.resolve(import.meta.dirname, '../.vitest-tmp/screens');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
