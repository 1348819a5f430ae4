import { decodeListUrl, encodeListUrl, type ListSortDefaults } from "../customers/list-url";
import type { ViewDefinition } from "../saved-views/saved-views-api";
import { LEAD_STATUSES } from "./leads-types";

/** The lead list's filters as the page holds them. */
export interface LeadFilters {
  q: string;
  status: string[];
  source: string | null;
  /** Only my leads. */
  mine: boolean;
}

export const EMPTY_LEAD_FILTERS: LeadFilters = { q: "", status: [], source: null, mine: false };
export const DEFAULT_LEAD_SORT = "-createdAt";

/**
 * "Mine" is saved as `ownerId: "me"`, not as the saver's id, so a shared "my open leads" view
 * shows each person their own leads. The page turns it into the viewer's id before asking the API.
 */
export const OWNER_ME = "me";

/** Filters → a saved view's `filters` (the list query's keys: `q`, `status[in]`, `source`, `ownerId`). */
export function toViewFilters(filters: LeadFilters): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (filters.q.trim()) {
    out.q = filters.q.trim();
  }
  if (filters.status.length > 0) {
    out["status[in]"] = [...filters.status];
  }
  if (filters.source) {
    out.source = filters.source;
  }
  if (filters.mine) {
    out.ownerId = OWNER_ME;
  }
  return out;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : value.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}

/** A saved view's filters → the page's filters; keys the page cannot show are left out. */
export function fromViewFilters(filters: ViewDefinition["filters"], myId: string): LeadFilters {
  const single = (key: string) => {
    const value = filters[key];
    return typeof value === "string" && value !== "" ? value : null;
  };
  const owner = single("ownerId");
  return {
    q: single("q") ?? "",
    status: list(filters["status[in]"] ?? filters.status),
    source: single("source"),
    mine: owner === OWNER_ME || owner === myId,
  };
}

/** Everything 线索列表 keeps in its URL (the same scheme as the customers list). */
export interface LeadListState {
  filters: LeadFilters;
  sort: string;
  viewId: string | null;
  deleted: boolean;
}

/** The bin's newest-deleted-first order is applied when asking the API, so the page's sort has one default. */
const LEAD_SORTS: ListSortDefaults = { sort: DEFAULT_LEAD_SORT, binSort: DEFAULT_LEAD_SORT };
const OPEN_STATUSES = ["new", "contacted", "qualified"];
const STATUSES: readonly string[] = LEAD_STATUSES;

/**
 * The leads list's query string → its state, e.g. `?q=展会&status[in]=new&status[in]=contacted&ownerId=me`.
 * Unknown statuses are dropped. The to-do center's older link `?mine=open` (my unconverted leads) still works.
 */
export function leadListFromUrl(params: URLSearchParams, myId: string): LeadListState {
  const state = decodeListUrl(params, LEAD_SORTS);
  const filters = fromViewFilters(state.filters, myId);
  const open = params.get("mine") === "open";
  return {
    ...state,
    filters: {
      ...filters,
      status: open ? OPEN_STATUSES : filters.status.filter((status) => STATUSES.includes(status)),
      mine: filters.mine || open,
    },
  };
}

/** The leads list's state → its query string, in the keys a saved view stores ("mine" as `ownerId=me`). */
export function leadListToUrl(state: LeadListState): URLSearchParams {
  return encodeListUrl({ ...state, filters: toViewFilters(state.filters) }, LEAD_SORTS);
}
