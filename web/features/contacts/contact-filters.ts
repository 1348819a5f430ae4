import { type Condition, conditionFilters } from "../customers/list-query";
import type { ListFilters } from "../customers/customer-types";

/** What the contacts filter bar holds; turned into GET /contacts query keys. */
export interface ContactFilters {
  q: string;
  ownerIds: string[];
  primaryOnly: boolean;
  decisionMakersOnly: boolean;
  conditions: Condition[];
}

export const EMPTY_CONTACT_FILTERS: ContactFilters = { q: "", ownerIds: [], primaryOnly: false, decisionMakersOnly: false, conditions: [] };

export const DEFAULT_CONTACT_SORT = "-createdAt";

/** The filter bar → the list query (the same grammar as customers: `field=`, `field[op]=`). */
export function toContactListFilters(filters: ContactFilters): ListFilters {
  const out: ListFilters = {};
  if (filters.q.trim() !== "") {
    out.q = filters.q.trim();
  }
  if (filters.ownerIds.length > 0) {
    out["ownerId[in]"] = [...filters.ownerIds];
  }
  if (filters.primaryOnly) {
    out.isPrimary = "true";
  }
  if (filters.decisionMakersOnly) {
    out.isDecisionMaker = "true";
  }
  return { ...out, ...conditionFilters(filters.conditions) };
}
