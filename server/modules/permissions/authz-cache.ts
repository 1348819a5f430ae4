import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { stampedVersion } from './authz-stamps';
import { findAuthzVersion } from './permissions.repo';

/**
 * A small cache for what every request needs and almost nothing changes: a role set's merged
 * permissions, the organisation graph, custom field definitions, resolved data scopes.
 *
 * Entries are keyed by the workspace's authorisation version (`authz_versions`, bumped by
 * database triggers on every insert/update/delete of roles, grants, field rules, user roles,
 * users' department/manager/status, departments and custom fields — migration 0012). A request
 * reads that version once (one indexed row) and only uses entries made at the same version, so a
 * change is seen by the very next request, on every app instance, whichever code path (API, CLI,
 * import, a manual SQL fix) made it. The TTL is a backstop on top of that, not the mechanism.
 */
export const authzCacheTtlMs = 30_000;
const maxEntries = 5_000;

interface Entry {
  value: Promise<unknown>;
  expires: number;
}

/** One cache per database handle: tests run many databases in one process, the bench two. */
const caches = new WeakMap<Kysely<Database>, Map<string, Entry>>();

function cacheOf(db: Kysely<Database>): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

/**
 * The cached value for `key`, or `load()` stored under it. A failed load is not kept. The key
 * must contain the workspace id and version it was computed at.
 */
export function cached<T>(deps: Pick<Deps, 'db'>, key: string, load: () => Promise<T>): Promise<T> {
  const cache = cacheOf(deps.db);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) {
    return hit.value as Promise<T>;
  }
  if (cache.size >= maxEntries) {
    // Oldest first (Map keeps insertion order): a crude LRU is enough for a few thousand users.
    for (const k of [...cache.keys()].slice(0, Math.ceil(maxEntries / 10))) {
      cache.delete(k);
    }
  }
  const value = load();
  cache.set(key, { value, expires: now + authzCacheTtlMs });
  value.catch(() => {
    if (cache.get(key)?.value === value) {
      cache.delete(key);
    }
  });
  return value;
}

/** The workspace's current authorisation version (0 before anything was ever written). */
export function authzVersion(deps: Pick<Deps, 'db'>, workspaceId: string): Promise<number> {
  return findAuthzVersion(deps.db, workspaceId);
}

/** The version stamped on `stamped` (see authz-stamps.ts) for this workspace, else read from the database. */
export async function versionFor(deps: Pick<Deps, 'db'>, workspaceId: string, stamped?: object): Promise<number> {
  return stampedVersion(stamped, workspaceId) ?? authzVersion(deps, workspaceId);
}
