import { type Expression, type SqlBool, sql } from 'kysely';

/**
 * The customer `customerIdColumn` points at has an owner. While a customer is in a pool its
 * contacts' and search entries' owner_id may still name the former owner (the recycling sweep
 * leaves them: docs/sales-pools.md), and they count as owned only where this holds.
 */
export function customerHasOwner(customerIdColumn: string, workspace: Expression<unknown>): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from customers oc where oc.workspace_id = ${workspace} and oc.id = ${sql.ref(customerIdColumn)} and oc.owner_id is not null)`;
}
