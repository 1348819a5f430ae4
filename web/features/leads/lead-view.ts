import type { ViewDefinition } from "../saved-views/saved-views-api";

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

