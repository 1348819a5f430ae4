import type { PermissionKey } from '../../../common/permissions';
import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import type { CountResult } from '../../list/list-page';

/**
 * What every to-do counter gets: who is asking and "now" as the workspace sees it. The day
 * boundaries are computed once per request (in the workspace's time zone), so sources that
 * count "today" or "due within N days" agree with each other and with the follow-up agenda.
 */
export interface TodoContext {
  auth: AuthContext;
  /** The signed-in user; null for an API key without a user (every source then answers 0). */
  userId: string | null;
  now: Date;
  nowIso: string;
  timeZone: string;
  /** Midnight at the start of today, workspace time zone, as an ISO instant. */
  todayStartIso: string;
  /** Midnight at the start of tomorrow, workspace time zone, as an ISO instant. */
  tomorrowStartIso: string;
  /** Today's date in the workspace time zone, `YYYY-MM-DD` (for date-only columns like due dates). */
  today: string;
}

export interface TodoSource {
  /** Stable key, unique: the web app and the API clients know the item by it. */
  key: string;
  /** i18n key of the label in the web app (e.g. `todo.items.leadsAssigned`). */
  labelKey: string;
  /** Web path (with query) of the list that shows the counted records. */
  link: string;
  /** Smaller first; sources with the same order keep their registration order. */
  order?: number;
  /** Callers without this permission do not get the item at all (not even a 0). */
  permission?: PermissionKey;
  /**
   * How many records wait for the caller. Must be data-scoped to what the caller may see and
   * cheap: one indexed COUNT. All sources run in parallel on each GET /todo. A source whose
   * count can grow with a big book answers a capped count (`countCapped`: `{ total, exact }`),
   * shown as "1,000+" when not exact.
   */
  count: (deps: Deps, ctx: TodoContext) => Promise<number | CountResult>;
}

const registry = new Map<string, TodoSource>();

/** Registers a to-do counter (待办). Idempotent for the same key: the last registration wins. */
export function registerTodoSource(source: TodoSource): void {
  registry.set(source.key, source);
}

export function todoSources(): readonly TodoSource[] {
  return [...registry.values()].map((s, i) => ({ s, i })).sort((a, b) => (a.s.order ?? 100) - (b.s.order ?? 100) || a.i - b.i).map(({ s }) => s);
}
