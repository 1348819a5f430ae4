import { defineConfig } from 'vitest/config';

// Integration tests run once per database: always SQLite, and PostgreSQL too when
// TEST_DATABASE_URL is set (CI sets it). Unit tests (*.unit.test.ts) run once.
const integration = ['server/**/*.test.ts', 'common/**/*.test.ts'];
const unitOnly = ['**/*.unit.test.ts', 'node_modules/**'];

const projects = [
  { test: { name: 'unit', include: ['server/**/*.unit.test.ts', 'common/**/*.unit.test.ts', 'web/**/*.unit.test.ts'] } },
  {
    test: {
      name: 'sqlite',
      include: integration,
      exclude: unitOnly,
      env: { TEST_DIALECT: 'sqlite' },
      testTimeout: 30_000,
      // Walks that set up one record of every resource need more than the default 10 s on a busy 2-core machine.
      hookTimeout: 90_000,
    },
  },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    test: {
      name: 'postgres',
      include: integration,
      exclude: unitOnly,
      env: { TEST_DIALECT: 'postgres' },
      testTimeout: 30_000,
      hookTimeout: 90_000,
    },
  });
}
if (process.env.SKIP_E2E !== '1') {
  projects.push({
    test: { name: 'e2e', include: ['e2e/**/*.test.ts'], exclude: ['node_modules/**'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } as never,
  });
}

export default defineConfig({
  test: {
    projects,
    reporters: ['default'],
  },
});
