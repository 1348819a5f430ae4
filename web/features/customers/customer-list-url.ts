import { LIFECYCLE_STAGES } from "./customer-types";
import { type CustomerFilters, DEFAULT_SORT, fromListFilters, toListFilters } from "./list-query";
import { decodeListUrl, encodeListUrl, isIsoDate, type ListSortDefaults } from "./list-url";

/** Everything 客户列表 keeps in its URL. */
export interface CustomerListState {
  filters: CustomerFilters;
  sort: string;
  viewId: string | null;
  deleted: boolean;
}

/** The recycle bin opens newest-deleted first (see sortAfterBinSwitch). */
export const CUSTOMER_SORTS: ListSortDefaults = { sort: DEFAULT_SORT, binSort: "-deletedAt" };

const STAGES: readonly string[] = LIFECYCLE_STAGES;

function dateOrNull(value: string | null): string | null {
  return value !== null && isIsoDate(value) ? value : null;
}

/**
 * The customers list's query string → its state, e.g.
 * `?q=科技&level=A&cf.employees[gt]=300&sort=name&view=<id>` (brackets percent-encoded).
 * Unknown stages and unreadable dates are dropped; conditions are checked against the fields by the page.
 */
export function customerListFromUrl(params: URLSearchParams): CustomerListState {
  const state = decodeListUrl(params, CUSTOMER_SORTS);
  const filters = fromListFilters(state.filters);
  return {
    ...state,
    filters: {
      ...filters,
      stages: filters.stages.filter((stage) => STAGES.includes(stage)),
      createdFrom: dateOrNull(filters.createdFrom),
      createdTo: dateOrNull(filters.createdTo),
    },
  };
}

/** The customers list's state → its query string, in the list API's own keys. */
export function customerListToUrl(state: CustomerListState): URLSearchParams {
  return encodeListUrl({ ...state, filters: toListFilters(state.filters) }, CUSTOMER_SORTS);
}
