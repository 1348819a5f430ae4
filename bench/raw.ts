import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../server/config';
import type { DialectName } from '../server/db/dialect';
import type { Database } from '../server/db/types';
import type { Deps } from '../server/deps';
import type { AuthContext } from '../server/http/auth-context';
import { parseListQuery, type RawQuery } from '../server/list/parse-list';
import { customerContext } from '../server/modules/customers/customers.context';
import { customerListSpec } from '../server/modules/customers/customers.list-spec';
import { countCustomers, findCustomerWithTags, listCustomerRows } from '../server/modules/customers/customers.repo';
import { findUserRoleIds } from '../server/modules/permissions/permissions.repo';
import { fieldAccess, resolvePermissions } from '../server/modules/permissions/permissions.service';
import '../server/modules/catalog';
import type { BenchTarget } from './target';

/** One SQL statement as the app sends it to the driver. */
export interface CapturedQuery {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * The "raw" side of the comparison: the same SQL the API runs for a request, captured by running
 * the app's own repo functions through a logging Kysely instance, then replayed straight on the
 * driver (better-sqlite3 / pg). The HTTP/raw ratio is what everything around the query costs.
 */
export class RawDatabase {
  private captured: CapturedQuery[] = [];
  private readonly statements = new Map<string, SQLite.Statement>();
  readonly db: Kysely<Database>;
  readonly deps: Deps;

  private constructor(
    readonly dialect: DialectName,
    private readonly sqlite: SQLite.Database | null,
    private readonly pool: pg.Pool | null,
    private readonly client: pg.PoolClient | null,
    config: Config,
  ) {
    const log = (event: { level: string; query: { sql: string; parameters: readonly unknown[] } }) => {
      if (event.level === 'query') {
        this.captured.push({ sql: event.query.sql, parameters: event.query.parameters });
      }
    };
    const dialectImpl = sqlite ? new SqliteDialect({ database: sqlite }) : new PostgresDialect({ pool: pool as pg.Pool });
    this.db = new Kysely<Database>({ dialect: dialectImpl, plugins: [new CamelCasePlugin()], log });
    this.deps = { db: this.db, dialect, config, now: () => new Date() };
  }

  static async open(target: BenchTarget, config: Config): Promise<RawDatabase> {
    if (target.dialect === 'sqlite') {
      const sqlite = new SQLite(target.sqliteFile);
      sqlite.pragma('busy_timeout = 5000');
      return new RawDatabase('sqlite', sqlite, null, null, config);
    }
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 3 });
    const client = await pool.connect();
    return new RawDatabase('postgres', null, pool, client, config);
  }

  /** Runs `fn` (app code) and returns the statements it sent. */
  async capture(fn: () => Promise<unknown>): Promise<CapturedQuery[]> {
    this.captured = [];
    await fn();
    const out = this.captured;
    this.captured = [];
    return out;
  }

  /** Replays statements on the driver and returns the elapsed milliseconds. */
  async replay(queries: readonly CapturedQuery[]): Promise<number> {
    const start = performance.now();
    for (const q of queries) {
      if (this.sqlite) {
        let statement = this.statements.get(q.sql);
        if (!statement) {
          statement = this.sqlite.prepare(q.sql);
          this.statements.set(q.sql, statement);
        }
        statement.all(q.parameters);
      } else if (this.client) {
        await this.client.query(q.sql, q.parameters as unknown[]);
      }
    }
    return performance.now() - start;
  }

  /** Runs one statement and returns its rows (for sampling ids, EXPLAIN). */
  async rows<T>(sqlText: string, parameters: readonly unknown[] = []): Promise<T[]> {
    if (this.sqlite) {
      return this.sqlite.prepare(sqlText).all(parameters) as T[];
    }
    return (await (this.client as pg.PoolClient).query(sqlText, parameters as unknown[])).rows as T[];
  }

  /** The query plan, as text. */
  async explain(q: CapturedQuery, analyze = true): Promise<string> {
    if (this.sqlite) {
      const rows = this.sqlite.prepare(`explain query plan ${q.sql}`).all(q.parameters) as { id: number; parent: number; detail: string }[];
      const depth = new Map<number, number>();
      return rows
        .map((r) => {
          const d = (depth.get(r.parent) ?? -1) + 1;
          depth.set(r.id, d);
          return `${'  '.repeat(d)}${r.detail}`;
        })
        .join('\n');
    }
    const res = await (this.client as pg.PoolClient).query<{ 'QUERY PLAN': string }>(`explain (${analyze ? 'analyze, buffers' : 'costs'}) ${q.sql}`, q.parameters as unknown[]);
    return res.rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  async close(): Promise<void> {
    this.client?.release();
    await this.db.destroy();
  }
}

/** The same auth context the guard builds for a signed-in user. */
export async function authFor(raw: RawDatabase, workspaceId: string, userId: string): Promise<AuthContext> {
  const roleIds = await findUserRoleIds(raw.db, workspaceId, userId);
  return {
    kind: 'session',
    workspaceId,
    userId,
    apiKeyId: null,
    sessionId: null,
    csrfToken: null,
    roleIds,
    permissions: await resolvePermissions(raw.deps, workspaceId, roleIds),
    locale: null,
  };
}

/** The list query (and the count, when asked) exactly as listCustomersPage builds them. */
export async function captureList(raw: RawDatabase, auth: AuthContext, query: RawQuery): Promise<{ list: CapturedQuery[]; count: CapturedQuery[] }> {
  const ctx = await customerContext(raw.deps, auth);
  const list = parseListQuery(query, customerListSpec, ctx.definitions, (f) => fieldAccess(auth.permissions, 'customer', f));
  // As listCustomersPage: on PostgreSQL the page query reads each row's tags too (withTags).
  const options = { deleted: false, tagIds: [], withTags: true };
  const listQueries = await raw.capture(() => listCustomerRows(raw.db, raw.dialect, auth.workspaceId, ctx.visibility, list, options));
  const countQueries = list.count ? await raw.capture(() => countCustomers(raw.db, raw.dialect, auth.workspaceId, ctx.visibility, list, options)) : [];
  return { list: listQueries, count: countQueries };
}

/** The point lookup of GET /customers/:id (with the caller's visibility). */
export async function captureGet(raw: RawDatabase, auth: AuthContext, id: string): Promise<CapturedQuery[]> {
  const ctx = await customerContext(raw.deps, auth);
  return raw.capture(() => findCustomerWithTags(raw.db, raw.dialect, auth.workspaceId, id, ctx.visibility));
}
