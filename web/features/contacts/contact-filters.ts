import { asArray, type Condition, conditionFilters, conditionFromKey } from "../customers/list-query";
import type { ListFilters } from "../customers/customer-types";
import { decodeListUrl, encodeListUrl, type ListSortDefaults } from "../customers/list-url";

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

/** A saved view's list query → the contacts filter bar (the inverse of toContactListFilters); other keys become conditions. */
export function fromContactListFilters(query: ListFilters): ContactFilters {
  const filters: ContactFilters = { ...EMPTY_CONTACT_FILTERS, ownerIds: [], conditions: [] };
  for (const [key, value] of Object.entries(query)) {
    const first = Array.isArray(value) ? (value[0] ?? "") : value;
    if (key === "q") {
      filters.q = first;
    } else if (key === "ownerId[in]") {
      filters.ownerIds = asArray(value);
    } else if (key === "isPrimary" && first === "true") {
      filters.primaryOnly = true;
    } else if (key === "isDecisionMaker" && first === "true") {
      filters.decisionMakersOnly = true;
    } else {
      const condition = conditionFromKey(key, value);
      if (condition) {
        filters.conditions.push(condition);
      }
    }
  }
  return filters;
}

/** Everything 联系人列表 keeps in its URL (the same scheme as the customers list). */
export interface ContactListState {
  filters: ContactFilters;
  sort: string;
  viewId: string | null;
  deleted: boolean;
}

/** The recycle bin opens newest-deleted first (see sortAfterBinSwitch). */
export const CONTACT_SORTS: ListSortDefaults = { sort: DEFAULT_CONTACT_SORT, binSort: "-deletedAt" };

/** The contacts list's query string → its state, e.g. `?q=王&isPrimary=true&title[contains]=经理&sort=name`. */
export function contactListFromUrl(params: URLSearchParams): ContactListState {
  const state = decodeListUrl(params, CONTACT_SORTS);
  return { ...state, filters: fromContactListFilters(state.filters) };
}

/** The contacts list's state → its query string, in GET /contacts's own keys. */
export function contactListToUrl(state: ContactListState): URLSearchParams {
  return encodeListUrl({ ...state, filters: toContactListFilters(state.filters) }, CONTACT_SORTS);
}
