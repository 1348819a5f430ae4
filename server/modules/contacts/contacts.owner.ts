import { type Expression, type SqlBool, sql } from 'kysely';
import { customerHasOwner } from '../customers/customers.owned';

/**
 * A contact's owner_id is current while its customer has an owner. The recycling sweep takes
 * customers into a pool without touching their contacts (rewriting them was a quarter of its
 * database time: two owner indexes make every contact update a full index update), so a contact
 * of a pool customer may still name the former owner; it counts as having none. Every path that
 * gives a customer an owner (claim, assign, transfer, merge) sets its contacts' owner too.
 */
export function contactOwnerHolds(): Expression<SqlBool> {
  return customerHasOwner('ct.customer_id', sql.ref('ct.workspace_id'));
}

/** The owner as it holds, for a query that joins the contact (ct) to its customer (c). */
export function contactOwnerValue() {
  return sql<string | null>`case when c.owner_id is null then null else ct.owner_id end`;
}
