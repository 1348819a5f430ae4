import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import type { Reindex } from './search.pending';
import type { OtherHit } from './search.schema';

/**
 * Entities other than customers and contacts that global search covers. A module indexes its
 * records with `indexDocs` / `removeDocs` (search.index.ts) in its own write transactions and
 * registers how to turn matching ids into hits; GET /search then answers a group for it, searched
 * with the caller's `<entity>:view` permission and data scope, phone/email by its field rules.
 */
export interface SearchEntityRegistration {
  /** The entity of its docs and of its permissions (`lead` → lead:view, field rules of `lead`). */
  entity: string;
  /** The key of its group in the answer (`leads`). */
  group: string;
  /**
   * The hits for these ids (any order; missing or deleted ones left out), presented for the
   * caller: apply field rules (`presentFields`) — masked stay masked, hidden are left out.
   */
  hits: (deps: Deps, auth: AuthContext, ids: readonly string[]) => Promise<OtherHit[]>;
  /**
   * Set when the entity's docs are kept in step through the search outbox (search_pending, filled
   * by database triggers — migration 0016) instead of calls in its write paths: search re-indexes
   * the queued records with it before answering (search.pending.ts).
   */
  reindex?: Reindex;
}

const registered = new Map<string, SearchEntityRegistration>();

/** Call at module load, beside the module's routes (like registerEntity for permissions). */
export function registerSearchEntity(registration: SearchEntityRegistration): void {
  if (registration.group === 'customers' || registration.group === 'contacts') {
    throw new Error(`search group ${registration.group} is taken`);
  }
  registered.set(registration.entity, registration);
}

export function searchEntities(): SearchEntityRegistration[] {
  return [...registered.values()];
}
