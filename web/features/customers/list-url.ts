import type { ListFilters } from "./customer-types";
import { type FilterField, isValuelessOp } from "./customer-fields";
import { type Condition, coerceConditionValue } from "./list-query";

/**
 * A list page's state in its URL's query string, so Back, reload and a shared link bring the same
 * list back. The list query's own keys (`q`, `level`, `cf.region[in]`, …) are written as they are,
 * repeated for several values; these three keys are the page's own.
 */
const SORT_KEY = "sort";
const VIEW_KEY = "view";
const BIN_KEY = "bin";
const PAGE_KEYS = new Set([SORT_KEY, VIEW_KEY, BIN_KEY]);

/** What a list page keeps in the URL. Column choice is not here: it is a per-user preference, not a list. */
export interface ListUrlState {
  filters: ListFilters;
  sort: string;
  /** The chosen saved view (视图), if any. */
  viewId: string | null;
  /** The recycle bin (回收站) rather than the live list. */
  deleted: boolean;
}

/** The sort a list shows when the URL names none: the live list's and the recycle bin's. */
export interface ListSortDefaults {
  sort: string;
  binSort: string;
}

/** The sort grammar of the list APIs (`name`, `-createdAt`, `cf.region`); anything else is not sent. */
const SORT_PATTERN = /^-?(?:cf\.)?[A-Za-z][A-Za-z0-9_]*$/;
/** Saved view ids are UUIDs; a looser check still keeps markup and paths out. */
const VIEW_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A pasted or hand-edited URL can carry anything; a longer value is no filter anyone typed. */
const MAX_VALUE_LENGTH = 500;
const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?$/;
const NUMBER_PATTERN = /^-?\d+(?:\.\d+)?$/;

function defaultSortOf(deleted: boolean, defaults: ListSortDefaults): string {
  return deleted ? defaults.binSort : defaults.sort;
}

/** The list state → the query string. Defaults are left out, so an untouched list has a bare URL. */
export function encodeListUrl(state: ListUrlState, defaults: ListSortDefaults): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state.filters)) {
    if (PAGE_KEYS.has(key)) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, item);
    }
  }
  if (state.sort !== defaultSortOf(state.deleted, defaults)) {
    params.set(SORT_KEY, state.sort);
  }
  if (state.viewId) {
    params.set(VIEW_KEY, state.viewId);
  }
  if (state.deleted) {
    params.set(BIN_KEY, "1");
  }
  return params;
}

/**
 * The query string → the list state. Never throws: a malformed sort, view id or bin flag falls back
 * to the default, and empty or oversized values are dropped. Filter keys are passed on as they are;
 * each page reads the ones it knows (and {@link knownConditions} drops fields it does not).
 */
export function decodeListUrl(params: URLSearchParams, defaults: ListSortDefaults): ListUrlState {
  const filters: ListFilters = {};
  for (const key of new Set(params.keys())) {
    if (PAGE_KEYS.has(key) || key.length > 100) {
      continue;
    }
    const values = params.getAll(key).filter((value) => value.trim() !== "" && value.length <= MAX_VALUE_LENGTH);
    if (values.length > 0) {
      filters[key] = values.length === 1 ? (values[0] ?? "") : values;
    }
  }
  const deleted = params.get(BIN_KEY) === "1";
  const sort = params.get(SORT_KEY);
  const viewId = params.get(VIEW_KEY);
  return {
    filters,
    sort: sort !== null && SORT_PATTERN.test(sort) ? sort : defaultSortOf(deleted, defaults),
    viewId: viewId !== null && VIEW_ID_PATTERN.test(viewId) ? viewId : null,
    deleted,
  };
}

/** A calendar date (`2026-01-31`, optionally with a time) that Date and dayjs both read. */
export function isIsoDate(value: string): boolean {
  return ISO_DATE_PATTERN.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10)));
}

function valueFits(field: FilterField, op: Condition["op"], value: string | string[]): boolean {
  if (isValuelessOp(op)) {
    return true;
  }
  const values = Array.isArray(value) ? value : [value];
  switch (field.kind) {
    case "number":
    case "money":
      return values.every((v) => NUMBER_PATTERN.test(v));
    case "date":
      return values.every(isIsoDate);
    case "boolean":
      return values.every((v) => v === "true" || v === "false");
    default:
      return true;
  }
}

/**
 * The conditions a list can show and send: a field the builder offers (so not hidden, and not
 * made up), one of its operators, and a value its editor can hold. Until the custom fields have
 * loaded, `cf.*` conditions are kept as they are, so a shared link does not lose them on the way.
 */
export function knownConditions(conditions: readonly Condition[], fields: readonly FilterField[], customFieldsLoaded: boolean): Condition[] {
  const out: Condition[] = [];
  for (const condition of conditions) {
    const field = fields.find((f) => f.key === condition.field);
    if (!field) {
      if (!customFieldsLoaded && condition.field.startsWith("cf.")) {
        out.push(condition);
      }
      continue;
    }
    const value = coerceConditionValue(field, condition.op, condition.value);
    if (field.ops.includes(condition.op) && valueFits(field, condition.op, value)) {
      out.push(isValuelessOp(condition.op) ? condition : { ...condition, value });
    }
  }
  return out;
}

/** The sort if the list can sort on its field (custom ones trusted until they have loaded), else the fallback. */
export function knownSort(sort: string, sortable: readonly string[], customFieldsLoaded: boolean, fallback: string): string {
  const field = sort.replace(/^-/, "");
  if (sortable.includes(field) || (!customFieldsLoaded && field.startsWith("cf."))) {
    return sort;
  }
  return fallback;
}

/**
 * Whether a list must wait for the custom field definitions before asking for rows: its conditions
 * or sort name a custom field that may not exist, and asking first would answer 400 for a stale link.
 */
export function awaitsCustomFields(conditions: readonly Condition[], sort: string, customFieldsLoaded: boolean): boolean {
  return !customFieldsLoaded && (conditions.some((c) => c.field.startsWith("cf.")) || sort.replace(/^-/, "").startsWith("cf."));
}
