import { type Expression, type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import type { DialectName } from '../../db/dialect';
import { filtersExpression, keyset } from '../../list/build-list';
import { type CountResult, countCapped } from '../../list/list-page';
import type { ParsedFilter, ParsedList } from '../../list/list-spec';
import { followUpListSpec } from './follow-ups.list-spec';
import type { Database, FollowUpsTable } from '../../db/types';
import { type FollowUpContext, followUpVisibleCondition } from './follow-ups.policy';
import { followUpEntities, listedFollowUpEntities } from './follow-ups.schema';
import { updateVersioned } from '../../db/versioned-update';

const columns = [
  'f.id',
  'f.entity',
  'f.recordId',
  'f.customerId',
  'c.name as customerName',
  'f.contactId',
  'ct.name as contactName',
  'f.type',
  'f.content',
  'f.nextFollowupAt',
  'f.attachments',
  'f.ownerId',
  'u.name as ownerName',
  'f.createdAt',
  'f.updatedAt',
  'f.version',
] as const;

/**
 * Follow-ups with their customer, contact, author and — for a lead's or a deal's — that record.
 * `entities`: single follow-ups (GET, PATCH, DELETE /follow-ups/:id) are customers' and contacts'
 * only: leads and deals own theirs through their own routes, which keep the record's summary right;
 * the list shows all of them.
 */
function base(db: Kysely<Database>, workspaceId: string, entities: readonly string[] = followUpEntities) {
  return db
    .selectFrom('followUps as f')
    .leftJoin('customers as c', 'c.id', 'f.customerId')
    .leftJoin('contacts as ct', 'ct.id', 'f.contactId')
    .leftJoin('users as u', 'u.id', 'f.ownerId')
    .select(columns)
    // In the select list, read for the page's rows only. Joined (or checked in the WHERE, to leave
    // out a binned deal's follow-ups), they changed PostgreSQL's plans at 5M follow-ups: 1.2 s
    // instead of 0.5 s for a content search's slice (no parallel scan under a correlated subplan),
    // 0.5–1.9 s instead of 10–160 ms for the time-ordered pages and counts (bench cases h1–h6).
    .select(
      sql<string | null>`case f.entity when 'deal' then (select d.name from deals d where d.workspace_id = f.workspace_id and d.id = f.record_id)
        when 'lead' then (select l.name from leads l where l.workspace_id = f.workspace_id and l.id = f.record_id) end`.as('recordName'),
    )
    .where('f.workspaceId', '=', workspaceId)
    .where('f.entity', 'in', entities);
}

export type FollowUpRow = Awaited<ReturnType<typeof findFollowUp>> & object;

/** A live follow-up the caller may see (or any, right after its author wrote it). */
export async function findFollowUp(db: Kysely<Database>, ctx: FollowUpContext, id: string, options: { visibleOnly?: boolean } = {}) {
  const q = base(db, ctx.auth.workspaceId).where('f.id', '=', id);
  return (options.visibleOnly === false ? q : q.where(followUpVisibleCondition(ctx))).executeTakeFirst();
}

/** What a follow-up list asks for besides its scope: the parsed query, or these ids (a timeline page's). */
export interface FollowUpListOptions {
  ids?: readonly string[] | undefined;
  /**
   * Read no further than this row in the list's order (scanSlice): a content search's slice. On
   * PostgreSQL it runs without sequential scans: a substring nobody wrote is estimated at one row,
   * and for one row the planner prefers a parallel scan of the whole table (2.4 s at 5M follow-ups)
   * to the slice's index range (0.5 s) — only a plan that reads the slice keeps the request bounded.
   */
  through?: SlicePosition | null | undefined;
}

/** A row's place in the list's (created_at, id) order. */
export interface SlicePosition {
  createdAt: string;
  id: string;
}

/**
 * A content search reads this many follow-ups at most per request. `content[contains]` has no
 * index: on SQLite a term nobody wrote read all 5M rows of the benchmark for 13 s, with every row's
 * visibility checked on the way. So a search page reads one slice of the (created_at, id) order —
 * ≈ 0.7 s there — and when the slice ends before the page fills, its cursor continues from the
 * slice's end ("search older follow-ups").
 */
export const followUpTuning = { scanRows: 250_000 };

function listConditions(dialect: DialectName, ctx: FollowUpContext, list: ParsedList, options: FollowUpListOptions): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [followUpVisibleCondition(ctx), filtersExpression(dialect, followUpListSpec.customColumn, list.filters)];
  if (options.ids) {
    parts.push(options.ids.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`f.id in (${sql.join([...options.ids])})`);
  }
  if (options.through) {
    const { createdAt, id } = options.through;
    const [cmp, bound] = list.sort.direction === 'desc' ? [sql.raw('>'), sql.raw('>=')] : [sql.raw('<'), sql.raw('<=')];
    parts.push(sql<SqlBool>`(f.created_at ${bound} ${createdAt} and (f.created_at ${cmp} ${createdAt} or f.id ${bound} ${id}))`);
  }
  return parts;
}

/**
 * Where a slice of `rows` follow-ups after the list's cursor ends: the last row's position, read off
 * the (workspace_id, created_at, id) index alone; null when fewer rows are left (the slice is the rest).
 */
export async function scanSlice(db: Kysely<Database>, dialect: DialectName, workspaceId: string, list: ParsedList, rows: number): Promise<SlicePosition | null> {
  const { orderBy, condition } = keyset(dialect, followUpListSpec.customColumn, followUpListSpec.idColumn, list);
  let q = db.selectFrom('followUps as f').select(['f.createdAt', 'f.id']).where('f.workspaceId', '=', workspaceId);
  if (condition) {
    q = q.where(condition);
  }
  const row = await q.orderBy(orderBy).offset(rows - 1).limit(1).executeTakeFirst();
  return row ? { createdAt: row.createdAt, id: row.id } : null;
}

/** One keyset page in the list's sort (newest first unless asked otherwise). */
export async function listFollowUpRows(db: Kysely<Database>, dialect: DialectName, ctx: FollowUpContext, list: ParsedList, options: FollowUpListOptions = {}): Promise<FollowUpRow[]> {
  if (options.through && dialect === 'postgres' && !db.isTransaction) {
    return db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return listFollowUpRows(trx, dialect, ctx, list, options);
    });
  }
  const authors = authorsOf(list);
  if (authors) {
    return mergeByAuthor(authors, list.limit + 1, (author) => pageQuery(db, dialect, ctx, { ...authors.rest, filters: [...authors.rest.filters, author] }, options));
  }
  return pageQuery(db, dialect, ctx, list, options);
}

function pageQuery(db: Kysely<Database>, dialect: DialectName, ctx: FollowUpContext, list: ParsedList, options: FollowUpListOptions) {
  const { orderBy, condition } = keyset(dialect, followUpListSpec.customColumn, followUpListSpec.idColumn, list);
  let q = base(db, ctx.auth.workspaceId, listedFollowUpEntities);
  for (const part of listConditions(dialect, ctx, list, options)) {
    q = q.where(part);
  }
  if (condition) {
    q = q.where(condition);
  }
  return q.orderBy(orderBy).limit(list.limit + 1).execute();
}

/** Read one author at a time up to this many authors; more read the time index once. */
const authorWalksMax = 20;

/**
 * A filter on a few authors (`ownerId=` / `ownerId[in]=`), split into one equality per author: each
 * is a walk of the (workspace_id, owner_id, created_at, id) index in the list's order (migration
 * 0023), and their pages merge into the list's page. One query with `owner_id in (a, b)` has no
 * index in that order, so SQLite sorted every follow-up of the authors (≈ 400 ms for two at 5M).
 */
function authorsOf(list: ParsedList): { rest: ParsedList; each: ParsedFilter[] } | null {
  const index = list.filters.findIndex((f) => f.target.kind === 'field' && f.target.field.name === 'ownerId' && (f.op === 'eq' || f.op === 'in'));
  const filter = list.filters[index];
  if (!filter || filter.values.length > authorWalksMax) {
    return null;
  }
  const values = [...new Set(filter.values)];
  return { rest: { ...list, filters: list.filters.filter((_, i) => i !== index) }, each: values.map((v) => ({ ...filter, op: 'eq' as const, values: [v] })) };
}

async function mergeByAuthor<Row extends { createdAt: string; id: string }>(
  authors: { rest: ParsedList; each: ParsedFilter[] },
  want: number,
  page: (author: ParsedFilter) => Promise<Row[]>,
): Promise<Row[]> {
  const rows = (await Promise.all(authors.each.map(page))).flat();
  // (created_at, id) in byte order, as the databases compare the ISO times and ids.
  const keys = new Map(rows.map((r) => [r, `${new Date(r.createdAt).toISOString()} ${r.id}`]));
  const sign = authors.rest.sort.direction === 'desc' ? -1 : 1;
  const order = (a: Row, b: Row) => {
    const [x, y] = [keys.get(a) ?? '', keys.get(b) ?? ''];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return rows.sort((a, b) => sign * order(a, b)).slice(0, want);
}

/**
 * The list's count is exact up to this many and says "more" above it. Follow-ups are the biggest
 * table (5M in the benchmark): a team's visible ones cannot be counted through one index (the
 * author or the customer's owner may put them in scope), so the count walks the list's own order
 * and stops at the cap — a week of a team's follow-ups is counted exactly, "all of them" is not.
 */
export const followUpCountCap = 1000;

/**
 * How many follow-ups the list's filters match, exact up to `cap`. `walk`: read them in the list's
 * order (the index the page walks), so a small cap stops early instead of joining every row first.
 */
export async function countFollowUps(
  db: Kysely<Database>,
  dialect: DialectName,
  ctx: FollowUpContext,
  list: ParsedList,
  options: FollowUpListOptions & { walk?: boolean } = {},
  cap = followUpCountCap,
): Promise<CountResult> {
  let q = db
    .selectFrom('followUps as f')
    .leftJoin('customers as c', 'c.id', 'f.customerId')
    .select(sql`1`.as('one'))
    .where('f.workspaceId', '=', ctx.auth.workspaceId)
    .where('f.entity', 'in', listedFollowUpEntities);
  for (const part of listConditions(dialect, ctx, list, options)) {
    q = q.where(part);
  }
  // Authors' follow-ups are found through their own index, capped as they come; walking the time
  // order for them would sort all of them first (authorsOf).
  if (options.walk !== false && !authorsOf(list)) {
    q = q.orderBy(keyset(dialect, followUpListSpec.customColumn, followUpListSpec.idColumn, { sort: list.sort, cursor: null }).orderBy);
  }
  return countCapped(db, q, cap);
}

export async function insertFollowUp(db: Kysely<Database>, row: Insertable<FollowUpsTable>): Promise<void> {
  await db.insertInto('followUps').values(row).execute();
}

/** Bumps the version; with `expectedVersion` only that version is changed. Answers how many rows changed (0 or 1). */
export async function updateFollowUpRow(db: Kysely<Database>, workspaceId: string, id: string, patch: Updateable<FollowUpsTable>, expectedVersion?: number): Promise<number> {
  return updateVersioned(db, 'followUps', workspaceId, id, patch, expectedVersion);
}

/** Replaces the set of files a follow-up carries (the link that lets its viewers download them). */
export async function setFollowUpFiles(db: Kysely<Database>, workspaceId: string, followUpId: string, fileIds: readonly string[], at: string): Promise<void> {
  await db.deleteFrom('followUpFiles').where('workspaceId', '=', workspaceId).where('followUpId', '=', followUpId).execute();
  if (fileIds.length > 0) {
    await db
      .insertInto('followUpFiles')
      .values(fileIds.map((fileId) => ({ workspaceId, followUpId, fileId, createdAt: at })))
      .execute();
  }
}

/**
 * Files a follow-up may carry: ones the caller uploaded, or already on that follow-up. Anything
 * else would let a user attach a file they cannot see and then download it through their own record.
 */
export async function findAttachableFiles(db: Kysely<Database>, workspaceId: string, ids: readonly string[], userId: string, followUpId: string | null) {
  if (ids.length === 0) {
    return [];
  }
  return db
    .selectFrom('files as fl')
    .select(['fl.id', 'fl.name', 'fl.size', 'fl.mime'])
    .where('fl.workspaceId', '=', workspaceId)
    .where('fl.id', 'in', ids)
    .where((eb) =>
      followUpId
        ? eb.or([
            eb('fl.createdBy', '=', userId),
            eb.exists(eb.selectFrom('followUpFiles as ff').select('ff.fileId').whereRef('ff.fileId', '=', 'fl.id').where('ff.followUpId', '=', followUpId)),
          ])
        : eb('fl.createdBy', '=', userId),
    )
    .execute();
}

export interface FollowupSummary {
  lastFollowupAt: string | null;
  lastFollowupContent: string | null;
  nextFollowupAt: string | null;
}

/** The newest live follow-up on a customer (any of its contacts' included) or on one contact. */
export async function latestFollowUp(db: Kysely<Database>, workspaceId: string, parent: { customerId: string } | { contactId: string }) {
  let q = db.selectFrom('followUps').select(['id', 'content', 'createdAt', 'nextFollowupAt']).where('workspaceId', '=', workspaceId).where('deletedAt', 'is', null);
  q = 'customerId' in parent ? q.where('customerId', '=', parent.customerId) : q.where('contactId', '=', parent.contactId);
  return q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Derived activity columns: not an edit of the record, so neither version nor updated_at move. */
export async function setCustomerFollowup(db: Kysely<Database>, workspaceId: string, customerId: string, summary: FollowupSummary): Promise<void> {
  await db.updateTable('customers').set(summary).where('workspaceId', '=', workspaceId).where('id', '=', customerId).execute();
}

export async function setContactFollowup(db: Kysely<Database>, workspaceId: string, contactId: string, summary: FollowupSummary): Promise<void> {
  await db.updateTable('contacts').set(summary).where('workspaceId', '=', workspaceId).where('id', '=', contactId).execute();
}

export async function findFollowupSummary(db: Kysely<Database>, workspaceId: string, parent: { customerId: string } | { contactId: string }) {
  return 'customerId' in parent
    ? db.selectFrom('customers').select(['lastFollowupAt', 'lastFollowupContent', 'nextFollowupAt']).where('workspaceId', '=', workspaceId).where('id', '=', parent.customerId).executeTakeFirst()
    : db.selectFrom('contacts').select(['lastFollowupAt', 'lastFollowupContent', 'nextFollowupAt']).where('workspaceId', '=', workspaceId).where('id', '=', parent.contactId).executeTakeFirst();
}

export async function workspaceTimezone(db: Kysely<Database>, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('timezone').where('id', '=', workspaceId).executeTakeFirst();
  return row?.timezone ?? 'Asia/Shanghai';
}
