import { type Expression, type SqlBool, sql } from 'kysely';
import { type DialectName, containsInsensitive } from '../../db/dialect';

/**
 * The `q` of a customer list: substring of the name, the phone (digits, so "1234" finds
 * 138-0000-1234) or the email.
 */
export function customerSearchCondition(dialect: DialectName, q: string): Expression<SqlBool> {
  const digits = q.replace(/\D+/g, '');
  const parts: Expression<SqlBool>[] = [containsInsensitive(dialect, 'c.name', q), containsInsensitive(dialect, 'c.email_key', q.toLowerCase())];
  if (digits.length >= 3) {
    parts.push(containsInsensitive(dialect, 'c.phone_key', digits));
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}
