import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { type ConfigInput, loadConfig } from '../config';
import type { Deps } from '../deps';
import { prepare } from '../start';

/** Which database the integration tests run on: set per vitest project (see vitest.config.ts). */
export function testDialect(): 'sqlite' | 'postgres' {
  return process.env.TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Kysely's migrator introspects every schema of the database; on PostgreSQL another test file
 * dropping its schema at that moment can make the introspection fail. That is a test-harness
 * race, not an app fault: try again.
 */
async function prepareWithRetry<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await run();
    } catch (error) {
      if (i >= attempts) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * i));
    }
  }
}

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  /** A settable clock for time-dependent rules (sessions, lockouts, schedules). */
  clock: { now: Date; advance: (ms: number) => void };
  close: () => Promise<void>;
}

/**
 * A real app on a real, private database: a fresh SQLite file, or a fresh PostgreSQL schema when
 * TEST_DIALECT=postgres (TEST_DATABASE_URL). Tests create their own workspaces, so files run in parallel.
 */
export async function createTestApp(overrides: ConfigInput = {}): Promise<TestApp> {
  const clock = {
    now: new Date(),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const base: ConfigInput = { argon2MemoryKib: 1024, logLevel: 'silent', serveWeb: false, loginIpPerMinute: 1000, ...overrides };
  let cleanup: () => Promise<void>;
  let pgSchema: string | undefined;
  let config;
  if (testDialect() === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) {
      throw new Error('TEST_DIALECT=postgres needs TEST_DATABASE_URL');
    }
    pgSchema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${pgSchema}`);
    await admin.end();
    config = loadConfig({}, [], { ...base, databaseUrl: url });
    const schema = pgSchema;
    cleanup = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haoke-test-'));
    config = loadConfig({}, [], { ...base, dataDir: dir });
    cleanup = async () => {
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const { app, handle, deps } = await prepareWithRetry(() => prepare(config, { now: () => clock.now, ...(pgSchema ? { pgSchema } : {}) }));
  await app.ready();
  return {
    app,
    deps,
    clock,
    close: async () => {
      await app.close();
      await handle.close();
      await cleanup();
    },
  };
}

export type Json = Record<string, unknown>;

export interface Response<T = Json> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  raw: LightMyRequestResponse;
}

function parse<T>(res: LightMyRequestResponse): Response<T> {
  let body: unknown = null;
  if (res.body.length > 0) {
    try {
      body = JSON.parse(res.body);
    } catch {
      body = res.body;
    }
  }
  return { status: res.statusCode, body: body as T, headers: res.headers, raw: res };
}

/** An HTTP client bound to one identity: a session (cookie + CSRF token), an API key, or nobody. */
export class Client {
  constructor(
    readonly app: FastifyInstance,
    readonly auth: { cookie?: string; csrfToken?: string; bearer?: string } = {},
  ) {}

  async request<T = Json>(method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.auth.cookie) {
      h.cookie = this.auth.cookie;
    }
    if (this.auth.csrfToken && !('x-csrf-token' in h)) {
      h['x-csrf-token'] = this.auth.csrfToken;
    }
    if (this.auth.bearer) {
      h.authorization = `Bearer ${this.auth.bearer}`;
    }
    const res = await this.app.inject({
      method,
      url,
      headers: h,
      ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as Json }),
    });
    return parse<T>(res);
  }

  get<T = Json>(url: string, headers?: Record<string, string>) {
    return this.request<T>('GET', url, undefined, headers);
  }
  post<T = Json>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', url, body, headers);
  }
  patch<T = Json>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', url, body, headers);
  }
  delete<T = Json>(url: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', url, undefined, headers);
  }
}

export function anonymous(app: FastifyInstance): Client {
  return new Client(app);
}

/** Signs in through the real login endpoint and returns a client carrying that session. */
export async function signIn(app: FastifyInstance, email: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) {
    throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  }
  const session = res.cookies.find((c) => c.name === 'haoke_session');
  const body = JSON.parse(res.body) as { csrfToken: string };
  return new Client(app, { cookie: `haoke_session=${session?.value ?? ''}`, csrfToken: body.csrfToken });
}

export const testPassword = 'Test-password-123';

let counter = 0;
/** A unique email for this test run (emails are unique per workspace, sign-in finds them globally). */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${randomBytes(4).toString('hex')}-${counter}@example.com`;
}
