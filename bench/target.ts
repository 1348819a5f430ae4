import fs from 'node:fs';
import path from 'node:path';
import type { DialectName } from '../server/db/dialect';

/**
 * Where benchmark data lives, kept apart from the app's and the tests' databases: a SQLite file
 * under /tmp (or --data-dir), and the schema `bench` of the PostgreSQL test database.
 */
export interface BenchTarget {
  dialect: DialectName;
  /** The SQLite file's folder, and where both dialects keep their meta JSON. */
  dataDir: string;
  sqliteFile: string;
  /** PostgreSQL URL whose connections use the bench schema (search_path in the URL's options). */
  databaseUrl: string | undefined;
  pgSchema: string;
  pgBaseUrl: string;
  metaPath: string;
}

export const benchPgSchema = 'bench';

export function benchTarget(dialect: DialectName, options: { dataDir: string; pgUrl: string; pgSchema?: string }): BenchTarget {
  const dataDir = path.resolve(options.dataDir, dialect);
  fs.mkdirSync(dataDir, { recursive: true });
  const pgSchema = options.pgSchema ?? benchPgSchema;
  if (!/^[a-z_][a-z0-9_]*$/.test(pgSchema)) {
    throw new Error(`invalid schema name: ${pgSchema}`);
  }
  const url = new URL(options.pgUrl);
  url.searchParams.set('options', `-c search_path=${pgSchema}`);
  return {
    dialect,
    dataDir,
    sqliteFile: path.join(dataDir, 'haoke.db'),
    databaseUrl: dialect === 'postgres' ? url.toString() : undefined,
    pgSchema,
    pgBaseUrl: options.pgUrl,
    metaPath: path.join(dataDir, dialect === 'postgres' && pgSchema !== benchPgSchema ? `meta-${pgSchema}.json` : 'meta.json'),
  };
}

/** What the generator leaves for the runner: who to sign in as and what was made. */
export interface BenchMeta {
  dialect: DialectName;
  workspaceId: string;
  adminId: string;
  adminEmail: string;
  password: string;
  managers: { id: string; email: string; name: string }[];
  counts: { users: number; departments: number; customers: number; contacts: number; followUps: number; collaborators: number };
  generatedAt: string;
  /** Seconds per phase and rows per second of the bulk load. */
  timings: Record<string, number>;
  rowsPerSecond: number;
  /** Whether the search module's index was filled for the loaded rows. */
  searchIndexed: boolean;
}

export function readMeta(target: BenchTarget): BenchMeta | null {
  try {
    return JSON.parse(fs.readFileSync(target.metaPath, 'utf8')) as BenchMeta;
  } catch {
    return null;
  }
}

export function writeMeta(target: BenchTarget, meta: BenchMeta): void {
  fs.writeFileSync(target.metaPath, `${JSON.stringify(meta, null, 2)}\n`);
}
