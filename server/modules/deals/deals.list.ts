import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { formatMoney } from '../../../common/money';
import { containsInsensitive, type DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { filtersExpression, keyset } from '../../list/build-list';
import type { ParsedList } from '../../list/list-spec';
import { encodeListCursor, parseListQuery, type RawQuery } from '../../list/parse-list';
import { fieldAccess } from '../permissions/permissions.service';
import { ensureDefaultPipeline } from '../pipelines/pipelines.seed';
import { dealContext } from './deals.context';
import type { ScopeFilter } from '../permissions/scope';
import { dealListSpec } from './deals.list-spec';
import { presentDealRows } from './deals.present';
import { dealBase, type DealRow, dealScopeCondition } from './deals.repo';
import type { Deal } from './deals.schema';
import { listReads } from '../../list/list-reads';

export interface DealListOptions {
  deleted: boolean;
  tagIds: readonly string[];
  q: string | undefined;
  /** A selection (exports). */
  ids?: readonly string[] | undefined;
}

function conditions(dialect: DialectName, workspaceId: string, scope: ScopeFilter, list: Pick<ParsedList, 'filters'>, options: DealListOptions): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [
    sql<SqlBool>`d.workspace_id = ${workspaceId}`,
    options.deleted ? sql<SqlBool>`d.deleted_at is not null` : sql<SqlBool>`d.deleted_at is null`,
    dealScopeCondition(scope),
    filtersExpression(dialect, dealListSpec.customColumn, list.filters),
  ];
  for (const tagId of options.tagIds) {
    parts.push(sql<SqlBool>`exists (select 1 from record_tags rt where rt.workspace_id = ${workspaceId} and rt.entity = 'deal'
      and rt.record_id = d.id and rt.tag_id = ${tagId})`);
  }
  if (options.q) {
    parts.push(containsInsensitive(dialect, 'd.name', options.q));
  }
  if (options.ids) {
    parts.push(options.ids.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`d.id in (${sql.join([...options.ids])})`);
  }
  return parts;
}

/** One keyset page (limit + 1 rows) of deals within a scope: the list's and the export's query. */
export async function listDealRows(db: Kysely<Database>, dialect: DialectName, workspaceId: string, scope: ScopeFilter, list: ParsedList, options: DealListOptions): Promise<DealRow[]> {
  const { orderBy, condition } = keyset(dialect, dealListSpec.customColumn, dealListSpec.idColumn, list);
  let q = dealBase(db);
  for (const part of conditions(dialect, workspaceId, scope, list, options)) {
    q = q.where(part);
  }
  if (condition) {
    q = q.where(condition);
  }
  return q.orderBy(orderBy).limit(list.limit + 1).execute();
}

/** Exact up to `cap` rows; above that the answer says so. */
export async function countDeals(db: Kysely<Database>, dialect: DialectName, workspaceId: string, scope: ScopeFilter, list: ParsedList, options: DealListOptions, cap = 100_000): Promise<{ total: number; exact: boolean }> {
  let inner = db.selectFrom('deals as d').select(sql`1`.as('one'));
  for (const part of conditions(dialect, workspaceId, scope, list, options)) {
    inner = inner.where(part);
  }
  const row = await db.selectFrom(inner.limit(cap + 1).as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { total: Math.min(n, cap), exact: n <= cap };
}

function splitQuery(raw: RawQuery): { rest: RawQuery; tagIds: string[]; deleted: boolean } {
  const { tag, deleted, ...rest } = raw;
  const tagIds = (Array.isArray(tag) ? tag : tag ? [tag] : []).flatMap((t) => t.split(','));
  if (tagIds.some((t) => !/^[0-9a-f-]{36}$/.test(t))) {
    throw new AppError('unknown_filter', { errors: [{ path: 'tag', message: 'must be tag ids' }] });
  }
  return { rest, tagIds, deleted: deleted === 'true' };
}

function cursorOf(list: ParsedList, last: DealRow): string {
  const target = list.sort.target;
  const value =
    target.kind === 'custom'
      ? ((JSON.parse(typeof last.custom === 'string' ? last.custom : JSON.stringify(last.custom ?? {})) as Record<string, string | number | null>)[target.field.key] ?? null)
      : ((last as Record<string, unknown>)[target.field.name] as string | number | null);
  return encodeListCursor(list.sort.name, typeof value === 'bigint' ? Number(value) : value, last.id);
}

/** A keyset page of the deals the caller may see, with filters, sort and optional count. */
export async function listDealsPage(deps: Deps, auth: AuthContext, raw: RawQuery) {
  const ctx = await dealContext(deps, auth);
  const { rest, tagIds, deleted } = splitQuery(raw);
  if (deleted && !auth.permissions.actions.get('deal:delete')?.length) {
    throw new AppError('forbidden');
  }
  const list = parseListQuery(rest, dealListSpec, ctx.definitions, (f) => fieldAccess(auth.permissions, 'deal', f));
  const options = { deleted, tagIds, q: list.q };
  const reads = listReads(deps, list);
  const rows = await listDealRows(reads.page, deps.dialect, auth.workspaceId, ctx.view, list, options);
  const page = rows.slice(0, list.limit);
  const last = page.at(-1);
  const result: { data: Deal[]; nextCursor: string | null; total?: number; countExact?: boolean } = {
    data: await presentDealRows(deps, ctx, page),
    nextCursor: rows.length > list.limit && last ? cursorOf(list, last) : null,
  };
  if (list.count) {
    const counted = await countDeals(reads.count, deps.dialect, auth.workspaceId, ctx.view, list, options);
    result.total = counted.total;
    result.countExact = counted.exact;
  }
  return result;
}

export interface BoardInput {
  pipelineId?: string | undefined;
  perColumn: number;
  ownerId?: string | undefined;
  q?: string | undefined;
}

/**
 * The kanban of a pipeline: per stage its first `perColumn` open deals (newest first), their
 * count and amount sum. More of a column: GET /deals?stageId=…&status=open&cursor=<nextCursor>
 * (the same order, so the cursor continues the column).
 */
export async function dealBoard(deps: Deps, auth: AuthContext, input: BoardInput) {
  const ctx = await dealContext(deps, auth);
  const workspaceId = auth.workspaceId;
  const pipelineId = input.pipelineId ?? (await ensureDefaultPipeline(deps.db, workspaceId, new Date(deps.now()).toISOString()));
  const pipeline = await deps.db
    .selectFrom('pipelines')
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', pipelineId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!pipeline) {
    throw new AppError('not_found');
  }
  const stages = await deps.db
    .selectFrom('pipelineStages')
    .select(['id', 'name', 'winProbability'])
    .where('workspaceId', '=', workspaceId)
    .where('pipelineId', '=', pipelineId)
    .where('deletedAt', 'is', null)
    .orderBy('sort')
    .orderBy('createdAt')
    .execute();
  const filters: Expression<SqlBool>[] = [
    sql<SqlBool>`d.workspace_id = ${workspaceId}`,
    sql<SqlBool>`d.status = 'open'`,
    sql<SqlBool>`d.deleted_at is null`,
    dealScopeCondition(ctx.view),
  ];
  if (input.ownerId) {
    filters.push(sql<SqlBool>`d.owner_id = ${input.ownerId}`);
  }
  if (input.q) {
    filters.push(containsInsensitive(deps.dialect, 'd.name', input.q));
  }
  const where = sql.join(filters, sql` and `);
  const columnPage = (stageId: string) => {
    let q = dealBase(deps.db).where('d.stageId', '=', stageId);
    for (const f of filters) {
      q = q.where(f);
    }
    return deps.db.selectFrom(q.orderBy('d.createdAt', 'desc').orderBy('d.id', 'desc').limit(input.perColumn + 1).as('c')).selectAll();
  };
  // Every column's first page in one statement (UNION ALL of per-stage index walks), beside the
  // counts: two round trips however many stages, which is what keeps a busy server's board fast.
  const [first, ...rest] = stages.map((s) => columnPage(s.id));
  const [totals, columnRows] = await Promise.all([
    sql<{ stageId: string; n: number | string; amount: number | string | null }>`
      select d.stage_id, count(*) as n, sum(d.amount_cents) as amount from deals d
      where d.pipeline_id = ${pipelineId} and ${where} group by d.stage_id`.execute(deps.db),
    first ? rest.reduce((union, q) => union.unionAll(q), first).execute() : Promise.resolve([]),
  ]);
  const totalOf = new Map(totals.rows.map((r) => [r.stageId, { count: Number(r.n), amount: Number(r.amount ?? 0) }]));
  const newestFirst = (a: DealRow, b: DealRow) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);
  const pages = stages.map((s) => columnRows.filter((r) => r.stageId === s.id).sort(newestFirst));
  const presented = await presentDealRows(deps, ctx, pages.flatMap((rows) => rows.slice(0, input.perColumn)));
  const byId = new Map(presented.map((d) => [d.id, d]));
  const amountVisible = fieldAccess(auth.permissions, 'deal', 'amount').access !== 'hidden';
  return {
    pipelineId: pipeline.id,
    pipelineName: pipeline.name,
    columns: stages.map((s, i) => {
      const rows = pages[i] ?? [];
      const page = rows.slice(0, input.perColumn);
      const last = page.at(-1);
      const total = totalOf.get(s.id) ?? { count: 0, amount: 0 };
      return {
        stageId: s.id,
        name: s.name,
        winProbability: Number(s.winProbability),
        count: total.count,
        ...(amountVisible ? { amount: formatMoney(total.amount) } : {}),
        deals: page.map((r) => byId.get(r.id)).filter((d): d is Deal => d !== undefined),
        nextCursor: rows.length > input.perColumn && last ? encodeListCursor('createdAt', last.createdAt, last.id) : null,
      };
    }),
  };
}
