import { type Expression, type SqlBool, sql } from 'kysely';
import { containsInsensitive } from '../../db/dialect';
import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { fieldModes, listSearchCondition } from '../search/search.service';

/**
 * The `q` of a customer list: substring of the name, the phone (digits, so "1234" finds
 * 138-0000-1234) or the email — through the search index (server/modules/search), with the
 * caller's field rules (a hidden field never matches, a masked one only as a whole).
 * The recycle bin is not indexed (only live records are), and is small: it is scanned.
 */
export function customerSearchCondition(
  deps: Deps,
  auth: Pick<AuthContext, 'workspaceId' | 'userId' | 'permissions'>,
  q: string,
  options: { deleted?: boolean } = {},
): Promise<{ condition: Expression<SqlBool>; byIds: boolean }> {
  if (!options.deleted) {
    return listSearchCondition(deps, auth, 'customer', q, 'c.id');
  }
  const modes = fieldModes(auth.permissions, 'customer');
  const digits = q.replace(/\D+/g, '');
  const parts: Expression<SqlBool>[] = [containsInsensitive(deps.dialect, 'c.name', q)];
  if (modes.email === 'substring') {
    parts.push(containsInsensitive(deps.dialect, 'c.email_key', q.toLowerCase()));
  }
  if (modes.phone === 'substring' && digits.length >= 3) {
    parts.push(containsInsensitive(deps.dialect, 'c.phone_key', digits));
  }
  return Promise.resolve({ condition: sql<SqlBool>`(${sql.join(parts, sql` or `)})`, byIds: false });
}
