import type { Expression, SqlBool } from 'kysely';
import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { scanSearchCondition } from '../../list/scan-search';
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
  const columns = { names: ['c.name'], phoneKey: 'c.phone_key', emailKey: 'c.email_key' };
  return Promise.resolve({ condition: scanSearchCondition(deps.dialect, fieldModes(auth.permissions, 'customer'), q, columns), byIds: false });
}
