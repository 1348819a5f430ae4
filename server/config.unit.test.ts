import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDocs, configFlag, loadConfig } from './config';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('has safe defaults', () => {
    const config = loadConfig({}, []);
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      sessionIdleMinutes: 720,
      sessionAbsoluteHours: 168,
      loginMaxFailures: 5,
      loginLockMinutes: 15,
      loginIpPerMinute: 20,
      argon2MemoryKib: 19456,
      logLevel: 'info',
      serveWeb: true,
      trustProxy: false,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBeUndefined();
    expect(config.cookieSecure).toBeUndefined();
  });

  it('reads env vars, converting numbers and booleans', () => {
    const config = loadConfig(
      {
        PORT: '4000',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://u@db/crm',
        DATA_DIR: '/var/lib/haoke',
        PUBLIC_URL: 'https://crm.example.com',
        COOKIE_SECURE: 'yes',
        TRUST_PROXY: '1',
        SERVE_WEB: 'false',
        LOGIN_MAX_FAILURES: '3',
        LOG_LEVEL: 'warn',
      },
      [],
    );
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: 'postgres://u@db/crm',
      dataDir: '/var/lib/haoke',
      publicUrl: 'https://crm.example.com',
      cookieSecure: true,
      trustProxy: true,
      serveWeb: false,
      loginMaxFailures: 3,
      logLevel: 'warn',
    });
  });

  it('accepts every documented boolean spelling', () => {
    for (const [value, expected] of [
      ['true', true],
      ['1', true],
      ['yes', true],
      ['false', false],
      ['0', false],
      ['no', false],
    ] as const) {
      expect(loadConfig({ TRUST_PROXY: value }, []).trustProxy, value).toBe(expected);
    }
  });

  it('ignores empty env vars', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '' }, []);
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
  });

  it('lets flags win over env vars, in both flag spellings', () => {
    const env = { PORT: '4000', DATA_DIR: '/from/env', LOG_LEVEL: 'warn' };
    const config = loadConfig(env, ['--port', '5000', '--data-dir=/from/flag', '--log-level=debug']);
    expect(config).toMatchObject({ port: 5000, dataDir: '/from/flag', logLevel: 'debug' });
  });

  it('lets programmatic overrides win over flags and env', () => {
    const config = loadConfig({ PORT: '4000' }, ['--port', '5000'], { port: 6000, serveWeb: false });
    expect(config).toMatchObject({ port: 6000, serveWeb: false });
  });

  it('treats a bare boolean switch as on', () => {
    expect(loadConfig({}, ['--cookie-secure']).cookieSecure).toBe(true);
    expect(loadConfig({}, ['--trust-proxy', '--port', '3001'])).toMatchObject({ trustProxy: true, port: 3001 });
    expect(loadConfig({ COOKIE_SECURE: 'false' }, ['--cookie-secure']).cookieSecure).toBe(true);
    expect(loadConfig({}, ['--serve-web', 'false']).serveWeb).toBe(false);
  });

  it('refuses a value flag without its value instead of guessing', () => {
    expect(errorOf(() => loadConfig({}, ['--port']))).toMatch(/PORT \/ --port: needs a value/);
    expect(errorOf(() => loadConfig({}, ['--port', '--host', 'x']))).toMatch(/PORT \/ --port: needs a value/);
    expect(errorOf(() => loadConfig({}, ['--port=']))).toMatch(/PORT \/ --port: needs a value/);
  });

  it('ignores flags it does not know (commands have their own)', () => {
    expect(loadConfig({}, ['--email', 'a@b.c', '--workspace', 'Acme']).port).toBe(3000);
  });

  it('names the env var and the flag of every bad value', () => {
    const message = errorOf(() =>
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'verbose', COOKIE_SECURE: 'maybe', ARGON2_MEMORY_KIB: '512', PUBLIC_URL: 'not a url' }, []),
    );
    expect(message).toMatch(/^Invalid configuration:/);
    for (const name of ['PORT / --port', 'LOG_LEVEL / --log-level', 'COOKIE_SECURE / --cookie-secure', 'ARGON2_MEMORY_KIB / --argon2-memory-kib', 'PUBLIC_URL / --public-url']) {
      expect(message).toContain(name);
    }
  });

  it('rejects out-of-range numbers', () => {
    expect(errorOf(() => loadConfig({ PORT: '70000' }, []))).toContain('PORT / --port');
    expect(errorOf(() => loadConfig({ PORT: '-1' }, []))).toContain('PORT / --port');
    expect(errorOf(() => loadConfig({ LOGIN_MAX_FAILURES: '0' }, []))).toContain('LOGIN_MAX_FAILURES');
    expect(errorOf(() => loadConfig({ SESSION_IDLE_MINUTES: '1.5' }, []))).toContain('SESSION_IDLE_MINUTES');
    expect(errorOf(() => loadConfig({}, ['--login-ip-per-minute', 'lots']))).toContain('LOGIN_IP_PER_MINUTE / --login-ip-per-minute');
  });

  it('resolves the data directory to an absolute path', () => {
    expect(path.isAbsolute(loadConfig({ DATA_DIR: 'relative/dir' }, []).dataDir)).toBe(true);
  });

  it('documents an env var and a flag for every setting', () => {
    const defaults = loadConfig({}, []);
    for (const key of Object.keys(defaults)) {
      expect(configDocs).toHaveProperty(key);
    }
    expect(configFlag('argon2MemoryKib')).toBe('--argon2-memory-kib');
    expect(configFlag('publicUrl')).toBe('--public-url');
  });
});
