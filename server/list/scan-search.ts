import { type Expression, type SqlBool, sql } from 'kysely';
import { emailKey, phoneKey } from '../../common/normalize';
import { containsInsensitive, type DialectName } from '../db/dialect';
import type { FieldModes } from './list-spec';

/**
 * A list's `q` as a scan of the table's own columns, for lists (or rows, like the recycle bin)
 * that the search index does not serve: a name column contains q; the phone (3 or more digits)
 * and the email contain it where the caller sees them, equal it where their field rule masks them
 * (`list.qModes`), and never match where it hides them. The same rules as the search index, so a
 * list cannot reveal what search hides.
 */
export function scanSearchCondition(
  dialect: DialectName,
  modes: FieldModes,
  q: string,
  columns: { names: readonly string[]; phoneKey: string; emailKey: string },
): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = columns.names.map((column) => containsInsensitive(dialect, column, q));
  const digits = q.replace(/\D+/g, '');
  const email = emailKey(q);
  const phone = phoneKey(q);
  if (modes.email === 'substring') {
    parts.push(containsInsensitive(dialect, columns.emailKey, q.trim().toLowerCase()));
  } else if (modes.email === 'exact' && email) {
    parts.push(sql<SqlBool>`${sql.ref(columns.emailKey)} = ${email}`);
  }
  if (modes.phone === 'substring' && digits.length >= 3) {
    parts.push(containsInsensitive(dialect, columns.phoneKey, digits));
  } else if (modes.phone === 'exact' && phone) {
    parts.push(sql<SqlBool>`${sql.ref(columns.phoneKey)} = ${phone}`);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}
