import { type Kysely, sql } from 'kysely';
import { parseJson } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { TargetsTable } from '../../db/types-payments';
import type { TargetKind } from './targets.schema';

export interface TargetRow {
  id: string;
  year: number;
  kind: TargetKind;
  subjectType: 'user' | 'department';
  subjectId: string;
  months: number[];
  yearCents: number;
  updatedAt: string;
}

function toRow(r: { id: string; year: number; kind: TargetKind; subjectType: 'user' | 'department'; subjectId: string; months: unknown; yearCents: number; updatedAt: string }): TargetRow {
  const parsed = parseJson(r.months);
  const months = Array.isArray(parsed) ? parsed.map((v) => Number(v) || 0) : [];
  return { ...r, year: Number(r.year), yearCents: Number(r.yearCents), months: Array.from({ length: 12 }, (_v, i) => months[i] ?? 0) };
}

export async function findTargets(
  db: Kysely<Database>,
  workspaceId: string,
  filter: { years: readonly number[]; kind?: TargetKind | undefined; subjectType?: 'user' | 'department' | undefined; subjectIds?: readonly string[] | undefined },
): Promise<TargetRow[]> {
  if (filter.years.length === 0 || filter.subjectIds?.length === 0) {
    return [];
  }
  let q = db
    .selectFrom('targets')
    .select(['id', 'year', 'kind', 'subjectType', 'subjectId', 'months', 'yearCents', 'updatedAt'])
    .where('workspaceId', '=', workspaceId)
    .where('year', 'in', [...filter.years]);
  if (filter.kind) {
    q = q.where('kind', '=', filter.kind);
  }
  if (filter.subjectType) {
    q = q.where('subjectType', '=', filter.subjectType);
  }
  if (filter.subjectIds) {
    q = q.where('subjectId', 'in', [...filter.subjectIds]);
  }
  return (await q.orderBy('subjectType').orderBy('subjectId').execute()).map(toRow);
}

/** Sets targets (one row per year × kind × subject): insert or replace, in one statement per row. */
export async function upsertTarget(db: Kysely<Database>, row: Omit<TargetsTable, 'months'> & { months: number[] }): Promise<void> {
  const months = JSON.stringify(row.months);
  await db
    .insertInto('targets')
    .values({ ...row, months })
    .onConflict((oc) =>
      oc.columns(['workspaceId', 'year', 'kind', 'subjectType', 'subjectId']).doUpdateSet({ months, yearCents: row.yearCents, updatedBy: row.updatedBy, updatedAt: row.updatedAt }),
    )
    .execute();
}

/**
 * Actuals per owner and month (YYYY-MM) in an inclusive date range: approved contracts by sign
 * date, or approved payments by payment date. One grouped query over a covering index.
 */
export async function actualsByOwnerMonth(db: Kysely<Database>, workspaceId: string, kind: TargetKind, from: string, to: string, ownerIds: readonly string[] | null) {
  if (ownerIds?.length === 0) {
    return [];
  }
  const rows =
    kind === 'contract_amount'
      ? await db
          .selectFrom('contracts')
          .select(['ownerId', sql<string>`substr(sign_date, 1, 7)`.as('ym'), sql<number>`sum(total_cents)`.as('cents')])
          .where('workspaceId', '=', workspaceId)
          .where('status', '=', 'approved')
          .where('signDate', '>=', from)
          .where('signDate', '<=', to)
          .where('deletedAt', 'is', null)
          .$if(ownerIds !== null, (q) => q.where('ownerId', 'in', [...(ownerIds ?? [])]))
          .groupBy(['ownerId', sql`substr(sign_date, 1, 7)`])
          .execute()
      : await db
          .selectFrom('payments')
          .select(['ownerId', sql<string>`substr(paid_on, 1, 7)`.as('ym'), sql<number>`sum(amount_cents)`.as('cents')])
          .where('workspaceId', '=', workspaceId)
          .where('status', '=', 'approved')
          .where('paidOn', '>=', from)
          .where('paidOn', '<=', to)
          .where('deletedAt', 'is', null)
          .$if(ownerIds !== null, (q) => q.where('ownerId', 'in', [...(ownerIds ?? [])]))
          .groupBy(['ownerId', sql`substr(paid_on, 1, 7)`])
          .execute();
  return rows.map((r) => ({ ownerId: r.ownerId, ym: r.ym, cents: Number(r.cents) }));
}

export async function namesOf(db: Kysely<Database>, workspaceId: string, table: 'users' | 'departments', ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await db.selectFrom(table).select(['id', 'name']).where('workspaceId', '=', workspaceId).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Users who can appear in a targets table: active members of the workspace, by name. */
export async function activeUsers(db: Kysely<Database>, workspaceId: string) {
  return db.selectFrom('users').select(['id', 'name', 'departmentId']).where('workspaceId', '=', workspaceId).where('status', '=', 'active').orderBy('name').orderBy('id').execute();
}

export async function allDepartments(db: Kysely<Database>, workspaceId: string) {
  return db.selectFrom('departments').select(['id', 'name', 'parentId', 'leaderId']).where('workspaceId', '=', workspaceId).orderBy('name').orderBy('id').execute();
}
