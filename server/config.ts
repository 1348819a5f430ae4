import path from 'node:path';
import { z } from 'zod';

const boolFromEnv = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes'),
]);

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().min(1).default('0.0.0.0'),
  /** postgres://… switches to PostgreSQL; otherwise SQLite under dataDir. */
  databaseUrl: z.string().optional(),
  dataDir: z.string().min(1).default('./data'),
  /** Public base URL, used for links and to decide whether cookies are Secure. */
  publicUrl: z.string().url().optional(),
  cookieSecure: boolFromEnv.optional(),
  sessionIdleMinutes: z.coerce.number().int().min(1).default(12 * 60),
  sessionAbsoluteHours: z.coerce.number().int().min(1).default(7 * 24),
  loginMaxFailures: z.coerce.number().int().min(1).default(5),
  loginLockMinutes: z.coerce.number().int().min(1).default(15),
  loginIpPerMinute: z.coerce.number().int().min(1).default(20),
  /** argon2id memory cost in KiB (OWASP: ≥ 19 MiB). Tests lower it to stay fast. */
  argon2MemoryKib: z.coerce.number().int().min(1024).default(19456),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Serve the built web app from dist/web. */
  serveWeb: boolFromEnv.default(true),
  trustProxy: boolFromEnv.default(false),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

const envNames: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  dataDir: 'DATA_DIR',
  publicUrl: 'PUBLIC_URL',
  cookieSecure: 'COOKIE_SECURE',
  sessionIdleMinutes: 'SESSION_IDLE_MINUTES',
  sessionAbsoluteHours: 'SESSION_ABSOLUTE_HOURS',
  loginMaxFailures: 'LOGIN_MAX_FAILURES',
  loginLockMinutes: 'LOGIN_LOCK_MINUTES',
  loginIpPerMinute: 'LOGIN_IP_PER_MINUTE',
  argon2MemoryKib: 'ARGON2_MEMORY_KIB',
  logLevel: 'LOG_LEVEL',
  serveWeb: 'SERVE_WEB',
  trustProxy: 'TRUST_PROXY',
};

/** The configuration table for the README: env var, CLI flag, meaning. */
export const configDocs = envNames;

/** Settings that may be given as a bare switch on the command line. */
const booleanKeys = new Set<string>(['cookieSecure', 'serveWeb', 'trustProxy']);

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Reads env vars, then CLI flags (`--port 3001`, `--data-dir=/x`), flags winning. Parsed once at
 * start-up; a bad value stops the process with a clear message instead of failing later.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = [], overrides: ConfigInput = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(envNames)) {
    const value = env[envName];
    if (value !== undefined && value !== '') {
      raw[key] = value;
    }
  }
  const flagProblems: string[] = [];
  for (const key of Object.keys(envNames)) {
    const flag = flagName(key);
    const index = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (index >= 0) {
      const arg = argv[index] ?? '';
      const next = argv[index + 1];
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : next === undefined || next.startsWith('--') ? undefined : next;
      if (value !== undefined && value !== '') {
        raw[key] = value;
      } else if (booleanKeys.has(key) && !arg.includes('=')) {
        // A bare switch (`--cookie-secure`) means on; ignoring it would silently weaken the setup.
        raw[key] = 'true';
      } else {
        flagProblems.push(`  ${envNames[key as keyof Config]} / ${flag}: needs a value`);
      }
    }
  }
  const parsed = configSchema.safeParse({ ...raw, ...overrides });
  if (!parsed.success || flagProblems.length > 0) {
    const lines = (parsed.error?.issues ?? []).map((i) => {
      const key = String(i.path[0]);
      return `  ${envNames[key as keyof Config] ?? key} / ${flagName(key)}: ${i.message}`;
    });
    throw new Error(`Invalid configuration:\n${[...flagProblems, ...lines].join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
}

export function configFlag(key: keyof Config): string {
  return flagName(key);
}
