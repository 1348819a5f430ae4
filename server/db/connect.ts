import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect';
import type { Database } from './types';

// PostgreSQL returns timestamptz as Date and bigint as string; the app works with ISO strings
// and numbers on both dialects, so convert at the driver.
pg.types.setTypeParser(1184, (value: string) => new Date(value).toISOString());
pg.types.setTypeParser(1114, (value: string) => new Date(`${value}Z`).toISOString());
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, for log lines (never contains a password). */
  description: string;
  close: () => Promise<void>;
}

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** SQLite file name inside dataDir (default haoke.db). */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests use one schema per test file). */
  pgSchema?: string;
  poolSize?: number;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
}

export function connectDatabase(options: ConnectOptions): DatabaseHandle {
  if (isPostgresUrl(options.databaseUrl)) {
    return connectPostgres(options.databaseUrl, options);
  }
  if (options.databaseUrl && options.databaseUrl !== '') {
    throw new Error('DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)');
  }
  return connectSqlite(options);
}

function connectSqlite(options: ConnectOptions): DatabaseHandle {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.sqliteFile ?? 'haoke.db');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
  return {
    db,
    dialect: 'sqlite',
    description: `SQLite ${file}`,
    close: () => db.destroy(),
  };
}

/** Prepared statements kept per SQL text (most recently used last). */
const statementCacheSize = 200;

/**
 * Kysely's SQLite driver prepares every query anew; preparing is parsing and planning, and for the
 * bulk paths (an import's 500-row INSERTs of 34 columns, dedupe look-ups with 1000 keys) it cost as
 * much as a tenth of the run. Statements are reused per SQL text; one still being iterated
 * (`busy`, a streamed query) is never handed out twice — a fresh one is prepared instead.
 */
function withStatementCache(sqlite: SQLite.Database): { prepare: (sql: string) => SQLite.Statement; close: () => void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      cache.delete(text);
      cache.set(text, statement);
      if (cache.size > statementCacheSize) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) {
          cache.delete(oldest);
        }
      }
      return statement;
    },
    close: () => {
      cache.clear();
      sqlite.close();
    },
  };
}

function connectPostgres(url: string, options: ConnectOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
  const safe = new URL(url);
  safe.password = '';
  return {
    db,
    dialect: 'postgres',
    description: `PostgreSQL ${safe.host}${safe.pathname}${options.pgSchema ? ` (schema ${options.pgSchema})` : ''}`,
    close: () => db.destroy(),
  };
}

/** Readiness probe: the database answers a trivial query. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
