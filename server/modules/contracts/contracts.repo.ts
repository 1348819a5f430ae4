import { type Expression, type Insertable, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import type { ContractLinesTable, ContractsTable } from '../../db/types-contracts';
import { filtersExpression } from '../../list/build-list';
import { type CountResult, countCapped, type KeysetWalk } from '../../list/list-page';
import { scopeCondition } from '../../list/list-scope';
import type { ParsedList } from '../../list/list-spec';
import type { ScopeFilter } from '../permissions/scope';
import { contractListSpec } from './contracts.list-spec';

const columns = [
  'k.id',
  'k.number',
  'k.name',
  'k.customerId',
  'cu.name as customerName',
  'k.dealId',
  'd.name as dealName',
  'k.signDate',
  'k.startDate',
  'k.endDate',
  'k.signerId',
  'su.name as signerName',
  'k.customerSignerId',
  'ct.name as customerSignerName',
  // Aliased to the API field name (still cents) so list and export cursors find the sort value under it.
  'k.totalCents as total',
  'k.status',
  'k.remark',
  'k.custom',
  'k.ownerId',
  'o.name as ownerName',
  'k.approvalId',
  'k.submittedAt',
  'k.approvedAt',
  'k.voidedAt',
  'k.voidReason',
  'k.createdBy',
  'k.createdAt',
  'k.updatedAt',
  'k.version',
] as const;

export function contractBase(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('contracts as k')
    .leftJoin('customers as cu', 'cu.id', 'k.customerId')
    .leftJoin('deals as d', 'd.id', 'k.dealId')
    .leftJoin('users as su', 'su.id', 'k.signerId')
    .leftJoin('contacts as ct', 'ct.id', 'k.customerSignerId')
    .leftJoin('users as o', 'o.id', 'k.ownerId')
    .select(columns)
    .where(sql<SqlBool>`k.workspace_id = ${workspaceId}`)
    .where('k.deletedAt', 'is', null);
}

export type ContractRow = Awaited<ReturnType<typeof findContract>> & object;

export function contractScopeCondition(scope: ScopeFilter): Expression<SqlBool> {
  return scopeCondition({ scope, ownerColumn: 'k.owner_id', shared: null });
}

/** A live (not deleted) contract, within the scope when one is given. */
export async function findContract(db: Kysely<Database>, workspaceId: string, id: string, scope?: ScopeFilter) {
  let q = contractBase(db, workspaceId).where('k.id', '=', id);
  if (scope) {
    q = q.where(contractScopeCondition(scope));
  }
  return q.executeTakeFirst();
}

export interface ContractListOptions {
  /** Free text over number and name. */
  q?: string | undefined;
  /** Only contracts whose end date lies in [from, to] (inclusive, YYYY-MM-DD). */
  endBetween?: { from: string; to: string } | undefined;
  /** A selection (exports). */
  ids?: readonly string[] | undefined;
}

function listConditions(dialect: DialectName, scope: ScopeFilter, list: Pick<ParsedList, 'filters'>, options: ContractListOptions): Expression<SqlBool>[] {
  const parts = [contractScopeCondition(scope), filtersExpression(dialect, contractListSpec.customColumn, list.filters)];
  if (options.q) {
    const pattern = `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = dialect === 'postgres' ? sql.raw('ilike') : sql.raw('like');
    parts.push(sql<SqlBool>`(k.number ${like} ${pattern} escape '\\' or k.name ${like} ${pattern} escape '\\')`);
  }
  if (options.ids) {
    parts.push(options.ids.length > 0 ? sql<SqlBool>`k.id in (${sql.join([...options.ids])})` : sql<SqlBool>`1 = 0`);
  }
  if (options.endBetween) {
    parts.push(sql<SqlBool>`(k.end_date >= ${options.endBetween.from} and k.end_date <= ${options.endBetween.to} and k.status = 'approved')`);
  }
  return parts;
}

export function contractWalk(db: Kysely<Database>, dialect: DialectName, workspaceId: string, scope: ScopeFilter, list: ParsedList, options: ContractListOptions) {
  return (walk: KeysetWalk, limit: number) => {
    let q = contractBase(db, workspaceId);
    for (const part of [...listConditions(dialect, scope, list, options), ...walk.where]) {
      q = q.where(part);
    }
    return q.orderBy(walk.orderBy).limit(limit).execute();
  };
}

export function countContracts(db: Kysely<Database>, dialect: DialectName, workspaceId: string, scope: ScopeFilter, list: ParsedList, options: ContractListOptions, cap?: number): Promise<CountResult> {
  let q = db.selectFrom('contracts as k').select('k.id').where(sql<SqlBool>`k.workspace_id = ${workspaceId}`).where('k.deletedAt', 'is', null);
  for (const part of listConditions(dialect, scope, list, options)) {
    q = q.where(part);
  }
  return countCapped(db, q, cap);
}

export async function insertContract(db: Kysely<Database>, row: Insertable<ContractsTable>): Promise<void> {
  await db.insertInto('contracts').values(row).execute();
}

/** Updates a contract when it is in one of `states` (and at `expectedVersion`); answers the rows changed. */
export async function updateContractRow(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Updateable<ContractsTable>,
  at: string,
  where: { states?: readonly ContractsTable['status'][]; version?: number | undefined; noCommittedPayments?: boolean } = {},
): Promise<number> {
  let q = db
    .updateTable('contracts')
    .set((eb) => ({ ...patch, updatedAt: at, version: eb('version', '+', 1) }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null);
  if (where.states) {
    q = q.where('status', 'in', [...where.states]);
  }
  if (where.version !== undefined) {
    q = q.where('version', '=', where.version);
  }
  if (where.noCommittedPayments) {
    q = q.where('committedPaymentCents', '=', 0);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** How many approved and pending payments a contract has (they block voiding it). */
export async function countBlockingPayments(db: Kysely<Database>, workspaceId: string, contractId: string): Promise<{ approved: number; pending: number }> {
  const rows = await db
    .selectFrom('payments')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('workspaceId', '=', workspaceId)
    .where('contractId', '=', contractId)
    .where('deletedAt', 'is', null)
    .where('status', 'in', ['approved', 'pending'])
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { approved: count('approved'), pending: count('pending') };
}

export async function findLines(db: Kysely<Database>, workspaceId: string, contractId: string) {
  return db.selectFrom('contractLines').selectAll().where('workspaceId', '=', workspaceId).where('contractId', '=', contractId).orderBy('position').execute();
}

export async function replaceLines(db: Kysely<Database>, workspaceId: string, contractId: string, lines: readonly Omit<Insertable<ContractLinesTable>, 'workspaceId' | 'contractId'>[]): Promise<void> {
  await db.deleteFrom('contractLines').where('workspaceId', '=', workspaceId).where('contractId', '=', contractId).execute();
  if (lines.length > 0) {
    await db
      .insertInto('contractLines')
      .values(lines.map((l) => ({ ...l, workspaceId, contractId })))
      .execute();
  }
}

export async function findFiles(db: Kysely<Database>, workspaceId: string, contractId: string) {
  return db
    .selectFrom('contractFiles as cf')
    .innerJoin('files as f', 'f.id', 'cf.fileId')
    .select(['f.id', 'f.name', 'f.size', 'f.mime', 'f.storageKey'])
    .where('cf.workspaceId', '=', workspaceId)
    .where('cf.contractId', '=', contractId)
    .orderBy('cf.createdAt')
    .orderBy('f.id')
    .execute();
}

/** Links files to a contract (ignoring ones already linked). */
export async function linkFiles(db: Kysely<Database>, workspaceId: string, contractId: string, fileIds: readonly string[], at: string): Promise<void> {
  if (fileIds.length === 0) {
    return;
  }
  await db
    .insertInto('contractFiles')
    .values(fileIds.map((fileId) => ({ workspaceId, contractId, fileId, createdAt: at })))
    .onConflict((oc) => oc.columns(['contractId', 'fileId']).doNothing())
    .execute();
}

export async function unlinkFiles(db: Kysely<Database>, workspaceId: string, contractId: string, keep: readonly string[]): Promise<void> {
  let q = db.deleteFrom('contractFiles').where('workspaceId', '=', workspaceId).where('contractId', '=', contractId);
  if (keep.length > 0) {
    q = q.where('fileId', 'not in', [...keep]);
  }
  await q.execute();
}
