import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { type Insertable, type Kysely, sql } from 'kysely';
import pg from 'pg';
import { recreatePgSchema } from './pg-schema';
import { companyKey, emailKey, phoneKey } from '../common/normalize';
import { loadConfig } from '../server/config';
import { connectDatabase } from '../server/db/connect';
import type { DialectName } from '../server/db/dialect';
import type { Database, DepartmentsTable, UsersTable } from '../server/db/types';
import { hashPassword } from '../server/modules/auth/passwords';
import { createCustomField } from '../server/modules/custom-fields/custom-fields.service';
import { createWorkspace } from '../server/modules/setup/setup.service';
import { prepare } from '../server/start';
import {
  type BulkWriter,
  type Cell,
  type ColumnInfo,
  dropPgIndexes,
  dropSqliteIndexes,
  fitColumns,
  PgBulkWriter,
  pgColumns,
  SqliteBulkWriter,
  sqliteColumns,
  type TableShape,
} from './bulk';
import {
  address,
  companyEmail,
  companyName,
  contactDepartment,
  email,
  followUpContent,
  formattedMobile,
  jobTitle,
  personName,
  placeWeights,
  places,
  Random,
  regionOptions,
  uuidV7At,
  Weighted,
} from './data';
import { type BenchMeta, type BenchTarget, writeMeta } from './target';

export interface GenerateOptions {
  customers: number;
  contacts: number;
  followUps: number;
  seed: number;
  /** Fill the search module's index over the loaded rows (its bulk path: ~3M docs in a few minutes). */
  searchIndex: boolean;
  log: (line: string) => void;
}

const password = 'Bench-password-2024';
const day = 86_400_000;

// The columns the generator fills, per table; a column the schema has dropped is left out, one it
// has added is left to its default (bulk.ts fitColumns).
const customerColumns = [
  'id', 'workspace_id', 'name', 'name_key', 'kind', 'phone', 'phone_key', 'email', 'email_key', 'website', 'level', 'source', 'industry',
  'lifecycle_stage', 'deal_status', 'owner_id', 'locked', 'province', 'city', 'district', 'address', 'primary_contact_id', 'remark',
  'last_followup_at', 'last_followup_content', 'next_followup_at', 'owner_since', 'custom', 'created_by', 'created_at', 'updated_at',
  'deleted_at', 'deleted_by', 'version',
] as const;
const contactColumns = [
  'id', 'workspace_id', 'customer_id', 'owner_id', 'name', 'phone', 'phone_key', 'email', 'email_key', 'title', 'department', 'wechat',
  'is_primary', 'is_decision_maker', 'remark', 'last_followup_at', 'last_followup_content', 'next_followup_at', 'custom', 'created_by',
  'created_at', 'updated_at', 'deleted_at', 'version',
] as const;
const followUpColumns = [
  'id', 'workspace_id', 'entity', 'record_id', 'customer_id', 'contact_id', 'type', 'content', 'next_followup_at', 'attachments', 'owner_id',
  'created_at', 'updated_at', 'deleted_at',
] as const;
const collaboratorColumns = ['workspace_id', 'customer_id', 'user_id', 'access', 'expires_at', 'created_at'] as const;

const bulkTables = ['customers', 'contacts', 'follow_ups', 'customer_collaborators'] as const;
const madeColumns: Record<(typeof bulkTables)[number], readonly string[]> = {
  customers: customerColumns,
  contacts: contactColumns,
  follow_ups: followUpColumns,
  customer_collaborators: collaboratorColumns,
};

const levels = new Weighted(['A', 'B', 'C', 'D', null], [10, 30, 35, 15, 10]);
const sources = new Weighted(['phone', 'web', 'referral', 'exhibition', 'ads', 'cold_call', 'other', null], [20, 25, 15, 10, 12, 8, 5, 5]);
const industries = new Weighted(['it', 'manufacturing', 'finance', 'education', 'retail', 'healthcare', 'real_estate', 'government', 'other', null], [18, 22, 8, 8, 14, 8, 6, 4, 7, 5]);
const stages = new Weighted(['prospect', 'intent', 'customer', 'loyal', 'churned'], [40, 20, 25, 8, 7]);
const followUpTypes = new Weighted(['call', 'wechat', 'visit', 'email', 'meeting', 'sms', 'note'], [40, 20, 15, 10, 5, 5, 5]);
const placeDraw = new Weighted(
  places.map((_, i) => i),
  placeWeights,
);

/** A count per record that adds up exactly to `total` over `n` records, with some spread. */
class Spread {
  private made = 0;

  constructor(
    private readonly total: number,
    private readonly n: number,
    private readonly jitter: number,
  ) {}

  next(i: number, random: Random): number {
    const due = Math.round(((i + 1) * this.total) / this.n) - this.made;
    const count = i === this.n - 1 ? due : Math.max(0, due + random.int(2 * this.jitter + 1) - this.jitter);
    this.made += count;
    return count;
  }
}

interface Org {
  adminId: string;
  managers: { id: string; email: string; name: string }[];
  sales: string[];
  users: number;
  departments: number;
}

/** 20 departments (root → 4 regions → 15 teams), 20 managers each with 9 reps: 200 sales users. */
async function createOrg(
  db: Awaited<ReturnType<typeof prepare>>['deps']['db'],
  workspaceId: string,
  adminId: string,
  random: Random,
  hash: string,
  now: string,
): Promise<Org> {
  const roles = await db.selectFrom('roles').select(['id', 'key']).where('workspaceId', '=', workspaceId).execute();
  const roleId = (key: string) => roles.find((r) => r.key === key)?.id ?? '';
  const departments: Insertable<DepartmentsTable>[] = [];
  const department = (name: string, parentId: string | null, leaderId: string | null, sort: number) => {
    const id = uuidV7At(Date.now(), random);
    departments.push({ id, workspaceId, name, parentId, leaderId, sort, createdAt: now, updatedAt: now });
    return id;
  };
  const root = department('销售中心', null, adminId, 0);
  const regions = ['华东大区', '华北大区', '华南大区', '西部大区'].map((name, i) => department(name, root, null, i));
  const users: Insertable<UsersTable>[] = [];
  const user = (emailAddress: string, departmentId: string, managerId: string) => {
    const id = uuidV7At(Date.now(), random);
    users.push({
      id,
      workspaceId,
      email: emailAddress,
      name: personName(random),
      phone: formattedMobile(random),
      passwordHash: hash,
      departmentId,
      managerId,
      status: 'active',
      locale: null,
      lockedUntil: null,
      lastLoginAt: null,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  };
  const managers: Org['managers'] = [];
  const sales: string[] = [];
  const regionNames = ['华东', '华北', '华南', '西部'];
  for (let m = 0; m < 20; m += 1) {
    const managerEmail = `manager${String(m + 1).padStart(2, '0')}@bench.haoke.test`;
    const managerId = user(managerEmail, '', adminId);
    const managerRow = users.at(-1) as Insertable<UsersTable>;
    // Managers 1–15 lead a team department of their own (made once the leader's id exists);
    // 16–20 sit in a region department without leading it. Either way they see ~10 owners.
    const departmentId =
      m < 15
        ? department(`${regionNames[m % 4] ?? ''}销售${Math.floor(m / 4) + 1}部`, regions[m % 4] as string, managerId, m)
        : (regions[(m - 15) % regions.length] as string);
    managerRow.departmentId = departmentId;
    managers.push({ id: managerId, email: managerEmail, name: String(managerRow.name) });
    sales.push(managerId);
    for (let r = 0; r < 9; r += 1) {
      sales.push(user(`rep${String(m * 9 + r + 1).padStart(3, '0')}@bench.haoke.test`, departmentId, managerId));
    }
  }
  await db.transaction().execute(async (trx) => {
    // Departments before users (users.department_id references them; leader_id has no foreign key).
    await trx.insertInto('departments').values(departments).execute();
    for (let i = 0; i < users.length; i += 50) {
      await trx.insertInto('users').values(users.slice(i, i + 50)).execute();
    }
    const managerIds = new Set(managers.map((m) => m.id));
    await trx
      .insertInto('userRoles')
      .values(users.map((u) => ({ workspaceId, userId: String(u.id), roleId: roleId(managerIds.has(String(u.id)) ? 'sales_manager' : 'sales') })))
      .execute();
  });
  return { adminId, managers, sales, users: users.length + 1, departments: departments.length };
}

interface FillOptions {
  onProgress?: (done: number) => void;
  onStage?: (stage: string, ms: number) => void;
}
type Fill = (db: Kysely<Database>, dialect: DialectName, workspaceId: string, options?: FillOptions) => Promise<number>;

/**
 * Rows loaded behind the app's back are not in the search index (server/modules/search keeps it
 * on every write path): when that module is there, fill the workspace's index with its bulk path
 * (fillWorkspaceIndex — what reindexWorkspace does for a workspace without docs), as an operator
 * would after a bulk import. Each stage is timed into the meta file. Looked up at run time, so the
 * generator still runs on a build without search.
 */
async function fillSearchIndex(target: BenchTarget, workspaceId: string, log: (line: string) => void, lap: (name: string, since: number) => void, timings: Record<string, number>): Promise<boolean> {
  const modulePath = '../server/modules/search/search.rebuild';
  const loaded = (await import(modulePath).catch(() => null)) as { fillWorkspaceIndex?: Fill } | null;
  if (!loaded?.fillWorkspaceIndex) {
    log('  (no search index module: skipped)');
    return false;
  }
  const t = performance.now();
  const handle = connectDatabase({
    databaseUrl: target.databaseUrl,
    dataDir: target.dataDir,
    ...(target.dialect === 'postgres' ? { pgSchema: target.pgSchema } : {}),
  });
  let last = performance.now();
  let docs: number;
  try {
    if (handle.dialect === 'sqlite') {
      // FTS5 and the index builds want a big page cache (the connection's default is 2 MB).
      await sql`pragma cache_size = -1000000`.execute(handle.db);
    }
    docs = await loaded.fillWorkspaceIndex(handle.db, handle.dialect, workspaceId, {
      onProgress: (done) => {
        if (performance.now() - last > 10_000) {
          last = performance.now();
          log(`  … search index: ${done} records`);
        }
      },
      onStage: (stage, ms) => {
        timings[`search index: ${stage}`] = Math.round(ms / 10) / 100;
        log(`  search index: ${stage}: ${timings[`search index: ${stage}`]} s`);
      },
    });
  } finally {
    await handle.close();
  }
  lap('search index (bulk fill, server/modules/search/search.rebuild.ts)', t);
  log(`  ${docs} search docs, ${Math.round(docs / ((performance.now() - t) / 1000))} docs/s`);
  return true;
}

/** Fresh bench database: the SQLite file removed, or the bench schema dropped and made anew. */
async function resetTarget(target: BenchTarget): Promise<void> {
  if (target.dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      fs.rmSync(`${target.sqliteFile}${suffix}`, { force: true });
    }
    return;
  }
  await recreatePgSchema(target.pgBaseUrl, target.pgSchema);
}

/**
 * Makes the bench workspace: through the app's own code for the small parts (workspace, roles,
 * custom fields with their expression indexes), directly in the database for the millions of
 * customers, contacts and follow-ups.
 */
export async function generate(target: BenchTarget, options: GenerateOptions): Promise<BenchMeta> {
  const timings: Record<string, number> = {};
  const started = performance.now();
  const lap = (name: string, since: number) => {
    timings[name] = Math.round((performance.now() - since) / 10) / 100;
    options.log(`  ${name}: ${timings[name]} s`);
  };
  const random = new Random(options.seed);
  await resetTarget(target);

  let t = performance.now();
  const config = loadConfig({}, [], {
    dataDir: target.dataDir,
    ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}),
    logLevel: 'silent',
    serveWeb: false,
  });
  const { app, handle, deps } = await prepare(config, target.dialect === 'postgres' ? { pgSchema: target.pgSchema } : {});
  const now = new Date();
  const nowIso = now.toISOString();
  const adminEmail = 'admin@bench.haoke.test';
  const { workspaceId, userId: adminId } = await createWorkspace(
    deps,
    { workspaceName: '好客基准测试有限公司', name: '系统管理员', email: adminEmail, password, locale: 'zh-CN' },
    { allowMore: true },
  );
  const hash = await hashPassword(password, { memoryKib: config.argon2MemoryKib });
  const org = await createOrg(deps.db, workspaceId, adminId, random, hash, nowIso);
  const actor = { workspaceId, userId: adminId, apiKeyId: null, ip: null, userAgent: null };
  await createCustomField(deps, actor, 'customer', { key: 'region', label: '区域', type: 'singleSelect', required: false, unique: false, options: regionOptions });
  await createCustomField(deps, actor, 'customer', { key: 'employees', label: '员工人数', type: 'number', required: false, unique: false, options: [] });
  await app.close();
  await handle.close();
  lap('setup (migrate, workspace, 200 users, custom fields)', t);

  // ---- bulk load
  t = performance.now();
  let writer: BulkWriter;
  let indexDdl: string[];
  const fitted = new Map<string, number[]>();
  const shapes = async (columnsOf: (table: string) => Promise<ColumnInfo[]> | ColumnInfo[]): Promise<TableShape[]> => {
    const list: TableShape[] = [];
    for (const table of bulkTables) {
      const { columns, keep } = fitColumns(table, madeColumns[table], await columnsOf(table));
      fitted.set(table, keep.length === madeColumns[table].length ? [] : keep);
      list.push({ name: table, columns });
    }
    return list;
  };
  let sqlite: SQLite.Database | null = null;
  let pgClient: pg.Client | null = null;
  if (target.dialect === 'sqlite') {
    sqlite = new SQLite(target.sqliteFile);
    // Load-only settings: no journal, no fsync, a big page cache; WAL is set back at the end.
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.pragma('cache_size = -1000000');
    sqlite.pragma('temp_store = MEMORY');
    sqlite.pragma('foreign_keys = OFF');
    indexDdl = dropSqliteIndexes(sqlite, bulkTables);
    const db = sqlite;
    writer = new SqliteBulkWriter(db, await shapes((table) => sqliteColumns(db, table)));
  } else {
    pgClient = new pg.Client({ connectionString: target.databaseUrl });
    await pgClient.connect();
    indexDdl = await dropPgIndexes(pgClient, target.pgSchema, bulkTables);
    const client = pgClient;
    writer = await PgBulkWriter.open(String(target.databaseUrl), target.pgSchema, await shapes((table) => pgColumns(client, target.pgSchema, table)));
  }
  const write = (table: string, row: Cell[]) => {
    const keep = fitted.get(table);
    writer.write(table, keep && keep.length > 0 ? keep.map((i) => row[i] ?? null) : row);
  };

  // Owners: 200 sales users with uneven books (the best reps hold ~4× the weakest); 5% in the pool.
  const ownerWeights = org.sales.map((_, i) => (i % 10 === 0 ? 0.4 : 0.5 + random.next() * 1.5));
  const owners = new Weighted<string | null>([...org.sales, null], [...ownerWeights, (ownerWeights.reduce((a, b) => a + b, 0) * 5) / 95]);
  const nowMs = now.getTime();
  const startMs = nowMs - 3 * 365 * day;
  const span = nowMs - startMs;
  const contactSpread = new Spread(options.contacts, options.customers, 1);
  const followUpSpread = new Spread(options.followUps, options.customers, 4);
  const iso = (ms: number) => new Date(ms).toISOString();
  let collaborators = 0;
  let lastReport = performance.now();
  const fuTimes: number[] = [];

  for (let i = 0; i < options.customers; i += 1) {
    // More customers lately than three years ago (a growing company): density rises linearly.
    const createdMs = Math.floor(startMs + span * Math.sqrt((i + random.next()) / options.customers));
    const id = uuidV7At(createdMs, random);
    const place = places[placeDraw.draw(random)] ?? places[0];
    if (!place) {
      throw new Error('no places');
    }
    const city = random.pick(place.cities);
    const person = random.chance(0.1);
    const name = person ? personName(random) : companyName(random, city);
    const phone = random.chance(0.9) ? formattedMobile(random) : null;
    const mail = random.chance(0.7) ? (person ? email(random, i) : companyEmail(random, i)) : null;
    const ownerId = owners.draw(random);
    const createdBy = ownerId ?? adminId;

    // Contacts.
    const contactCount = contactSpread.next(i, random);
    const contactIds: string[] = [];
    for (let c = 0; c < contactCount; c += 1) {
      contactIds.push(uuidV7At(createdMs + c * 60_000, random));
    }
    const contactLast = new Map<string, { at: number; content: string }>();

    // Follow-ups, in time order between the customer's creation and now.
    const fuCount = followUpSpread.next(i, random);
    fuTimes.length = 0;
    for (let f = 0; f < fuCount; f += 1) {
      fuTimes.push(createdMs + Math.floor(random.next() * (nowMs - createdMs)));
    }
    fuTimes.sort((a, b) => a - b);
    let lastAt: number | null = null;
    let lastContent: string | null = null;
    let nextAt: number | null = null;
    for (const at of fuTimes) {
      const content = followUpContent(random);
      const next = random.chance(0.3) ? at + (1 + random.int(14)) * day : null;
      const contactId = contactIds.length > 0 && random.chance(0.5) ? random.pick(contactIds) : null;
      if (contactId) {
        contactLast.set(contactId, { at, content });
      }
      const fuOwner = ownerId ?? random.pick(org.sales);
      write('follow_ups', [uuidV7At(at, random), workspaceId, 'customer', id, id, contactId, followUpTypes.draw(random), content, next === null ? null : iso(next), null, fuOwner, iso(at), iso(at), null]);
      lastAt = at;
      lastContent = content;
      nextAt = next;
    }
    if (nextAt === null && random.chance(0.2)) {
      nextAt = nowMs + Math.floor((random.next() * 60 - 30) * day);
    }

    contactIds.forEach((contactId, c) => {
      const contactCreated = createdMs + c * 60_000;
      const last = contactLast.get(contactId);
      const contactPhone = random.chance(0.85) ? formattedMobile(random) : null;
      const contactMail = random.chance(0.6) ? email(random, i * 4 + c) : null;
      write('contacts', [
        contactId, workspaceId, id, ownerId, personName(random), contactPhone, phoneKey(contactPhone), contactMail, emailKey(contactMail),
        random.chance(0.7) ? jobTitle(random) : null, random.chance(0.5) ? contactDepartment(random) : null,
        random.chance(0.3) ? `wx_${random.u32().toString(36)}` : null, c === 0 ? 1 : 0, random.chance(0.2) ? 1 : 0, null,
        last ? iso(last.at) : null, last ? last.content : null, null, '{}', createdBy, iso(contactCreated), iso(last ? last.at : contactCreated), null, 1,
      ]);
    });

    let updatedMs = random.chance(0.7) ? createdMs + Math.floor(random.next() * (nowMs - createdMs)) : createdMs;
    if (lastAt !== null && lastAt > updatedMs) {
      updatedMs = lastAt;
    }
    // Deleted within the last week: older ones are past the recycle-bin retention, and the purge job
    // would delete them (for minutes, at 1M rows) while the bench server starts.
    const deleted = random.chance(0.01);
    const custom: Record<string, string | number> = {};
    if (random.chance(0.92)) {
      custom.region = place.region;
    }
    if (!person && random.chance(0.8)) {
      custom.employees = Math.floor(Math.exp(random.next() * 9)) + 1;
    }
    write('customers', [
      id, workspaceId, name, companyKey(name), person ? 'person' : 'company', phone, phoneKey(phone), mail, emailKey(mail),
      !person && random.chance(0.4) ? `https://www.${random.u32().toString(36)}.com.cn` : null,
      levels.draw(random), sources.draw(random), person ? null : industries.draw(random), stages.draw(random),
      random.chance(0.25) ? 'dealt' : 'none', ownerId, random.chance(0.02) ? 1 : 0, place.province, city,
      null, random.chance(0.6) ? address(random) : null, contactIds[0] ?? null, random.chance(0.2) ? '老客户介绍，重点跟进' : null,
      lastAt === null ? null : iso(lastAt), lastContent, nextAt === null ? null : iso(nextAt), ownerId ? iso(createdMs) : null,
      JSON.stringify(custom), createdBy, iso(createdMs), iso(updatedMs), deleted ? iso(Math.max(updatedMs, nowMs - 7 * day)) : null, deleted ? adminId : null,
      1 + random.int(5),
    ]);

    if (random.chance(0.02)) {
      collaborators += 1;
      write('customer_collaborators', [workspaceId, id, random.pick(org.sales), random.chance(0.5) ? 'write' : 'read', random.chance(0.2) ? iso(nowMs + 30 * day) : null, iso(createdMs)]);
    }

    if ((i & 1023) === 1023) {
      const wait = writer.ready();
      if (wait) {
        await wait;
      }
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        const rows = bulkTables.reduce((sum, table) => sum + writer.rows(table), 0);
        const seconds = (performance.now() - t) / 1000;
        options.log(`  … ${i + 1} customers, ${rows} rows, ${Math.round(rows / seconds)} rows/s`);
      }
    }
  }
  await writer.finish();
  const loaded = bulkTables.reduce((sum, table) => sum + writer.rows(table), 0);
  const loadSeconds = (performance.now() - t) / 1000;
  lap('bulk load (no secondary indexes)', t);
  options.log(`  ${loaded} rows, ${Math.round(loaded / loadSeconds)} rows/s`);

  // ---- indexes back, statistics, normal settings
  t = performance.now();
  if (sqlite) {
    sqlite.pragma('threads = 2');
    for (const ddl of indexDdl) {
      sqlite.exec(ddl);
    }
    lap(`rebuild ${indexDdl.length} indexes`, t);
    sqlite.pragma('journal_mode = WAL');
    sqlite.close();
  } else if (pgClient) {
    await pgClient.query(`set maintenance_work_mem = '512MB'; set max_parallel_maintenance_workers = 2`);
    for (const ddl of indexDdl) {
      await pgClient.query(ddl);
    }
    lap(`rebuild ${indexDdl.length} indexes`, t);
    t = performance.now();
    // What autovacuum would do soon after a load like this: statistics and the visibility map.
    for (const table of bulkTables) {
      await pgClient.query(`vacuum (analyze) ${pg.escapeIdentifier(target.pgSchema)}.${pg.escapeIdentifier(table)}`);
    }
    lap('vacuum analyze', t);
    await pgClient.end();
  }
  let searchIndexed = false;
  if (options.searchIndex) {
    searchIndexed = await fillSearchIndex(target, workspaceId, options.log, lap, timings);
  } else {
    options.log('  search index: not filled (--search-index off)');
  }
  timings.total = Math.round((performance.now() - started) / 10) / 100;
  const meta: BenchMeta = {
    dialect: target.dialect,
    workspaceId,
    adminId,
    adminEmail,
    password,
    managers: org.managers,
    counts: {
      users: org.users,
      departments: org.departments,
      customers: writer.rows('customers'),
      contacts: writer.rows('contacts'),
      followUps: writer.rows('follow_ups'),
      collaborators,
    },
    generatedAt: nowIso,
    timings,
    rowsPerSecond: Math.round(loaded / loadSeconds),
    searchIndexed,
  };
  writeMeta(target, meta);
  options.log(`  total: ${timings.total} s`);
  return meta;
}
