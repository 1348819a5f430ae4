import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import { filtersExpression } from '../../list/build-list';
import { type CountResult, countCapped, type KeysetWalk } from '../../list/list-page';
import type { ParsedList } from '../../list/list-spec';
import type { ScopeFilter } from '../permissions/scope';
import { paymentListSpec } from './payments.list-spec';
import { ownerIn } from './payments.policy';
import { paymentBase } from './payments.repo';

export interface PaymentExportOptions {
  /** Free text over the contract's number and name and the customer's name. */
  q?: string | undefined;
  /** A selection (within the filter). */
  ids?: readonly string[] | undefined;
}

/**
 * The payments an export may write: live ones whose owner (who collected it) or whose contract's
 * owner is in the payment:export scope — the list's rule with the export scope, without the
 * approver's extra view (deciding on a payment is not a licence to export it).
 */
function exportConditions(dialect: DialectName, scope: ScopeFilter, list: Pick<ParsedList, 'filters'>, options: PaymentExportOptions): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [
    sql<SqlBool>`p.deleted_at is null`,
    sql<SqlBool>`(${ownerIn('p.owner_id', scope)} or ${ownerIn('k.owner_id', scope)})`,
    filtersExpression(dialect, paymentListSpec.customColumn, list.filters),
  ];
  if (options.q) {
    const pattern = `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = dialect === 'postgres' ? sql.raw('ilike') : sql.raw('like');
    parts.push(sql<SqlBool>`(k.number ${like} ${pattern} escape '\\' or k.name ${like} ${pattern} escape '\\' or c.name ${like} ${pattern} escape '\\')`);
  }
  if (options.ids) {
    parts.push(options.ids.length > 0 ? sql<SqlBool>`p.id in (${sql.join([...options.ids])})` : sql<SqlBool>`1 = 0`);
  }
  return parts;
}

/** One keyset walk of an export page (the list's columns, so the API's presenter reads them). */
export function paymentExportWalk(db: Kysely<Database>, dialect: DialectName, workspaceId: string, scope: ScopeFilter, list: ParsedList, options: PaymentExportOptions) {
  return (walk: KeysetWalk, limit: number) => {
    let q = paymentBase(db, workspaceId);
    for (const part of [...exportConditions(dialect, scope, list, options), ...walk.where]) {
      q = q.where(part);
    }
    return q.orderBy(walk.orderBy).limit(limit).execute();
  };
}

export function countPaymentsForExport(db: Kysely<Database>, dialect: DialectName, workspaceId: string, scope: ScopeFilter, list: ParsedList, options: PaymentExportOptions, cap?: number): Promise<CountResult> {
  let q = db
    .selectFrom('payments as p')
    .innerJoin('contracts as k', 'k.id', 'p.contractId')
    .leftJoin('customers as c', 'c.id', 'p.customerId')
    .select('p.id')
    .where('p.workspaceId', '=', workspaceId);
  for (const part of exportConditions(dialect, scope, list, options)) {
    q = q.where(part);
  }
  return countCapped(db, q, cap);
}
