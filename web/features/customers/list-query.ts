import type { ListFilters } from "./customer-types";
import { type FilterField, isMultiOp, isValuelessOp, UI_OPS, type UiOp } from "./customer-fields";

/** One row of the "add filter" builder; all rows apply together (AND). */
export interface Condition {
  id: string;
  field: string;
  op: UiOp;
  value: string | string[];
}

/** What the filter bar holds. Converted to and from the API's list query (and saved views). */
export interface CustomerFilters {
  q: string;
  ownerIds: string[];
  levels: string[];
  sources: string[];
  industries: string[];
  stages: string[];
  tagIds: string[];
  createdFrom: string | null;
  createdTo: string | null;
  conditions: Condition[];
}

export const EMPTY_FILTERS: CustomerFilters = {
  q: "",
  ownerIds: [],
  levels: [],
  sources: [],
  industries: [],
  stages: [],
  tagIds: [],
  createdFrom: null,
  createdTo: null,
  conditions: [],
};

export const DEFAULT_SORT = "-createdAt";

/** The quick filters that are plain `field=value` (repeated = any of). */
const QUICK_LISTS = [
  ["ownerId", "ownerIds"],
  ["level", "levels"],
  ["source", "sources"],
  ["industry", "industries"],
  ["lifecycleStage", "stages"],
] as const;

let conditionCounter = 0;
export function newConditionId(): string {
  conditionCounter += 1;
  return `c${Date.now().toString(36)}${conditionCounter}`;
}

function listValue(values: readonly string[]): string | string[] {
  return values.length === 1 ? (values[0] ?? "") : [...values];
}

function conditionKey(condition: Condition): string {
  const apiOp = condition.op === "notEmpty" ? "empty" : condition.op;
  return `${condition.field}[${apiOp}]`;
}

/** Whether a condition has what it needs to be sent. */
export function isComplete(condition: Condition): boolean {
  if (condition.field === "" || isValuelessOp(condition.op)) {
    return condition.field !== "";
  }
  return Array.isArray(condition.value) ? condition.value.length > 0 : condition.value.trim() !== "";
}

/** The filter bar → the API's list query keys (the same shape a saved view stores). */
export function toListFilters(filters: CustomerFilters): ListFilters {
  const out: ListFilters = {};
  if (filters.q.trim() !== "") {
    out.q = filters.q.trim();
  }
  for (const [apiKey, stateKey] of QUICK_LISTS) {
    const values = filters[stateKey];
    if (values.length > 0) {
      out[apiKey] = listValue(values);
    }
  }
  if (filters.tagIds.length > 0) {
    out.tag = listValue(filters.tagIds);
  }
  if (filters.createdFrom) {
    out["createdAt[gte]"] = filters.createdFrom;
  }
  if (filters.createdTo) {
    out["createdAt[lte]"] = filters.createdTo;
  }
  return { ...out, ...conditionFilters(filters.conditions) };
}

/** The "add filter" builder's complete conditions → list query keys (`field[op]=value`). Shared with the contacts list. */
export function conditionFilters(conditions: readonly Condition[]): ListFilters {
  const out: ListFilters = {};
  for (const condition of conditions.filter(isComplete)) {
    if (condition.op === "empty" || condition.op === "notEmpty") {
      out[conditionKey(condition)] = condition.op === "empty" ? "true" : "false";
    } else if (Array.isArray(condition.value)) {
      out[conditionKey(condition)] = [...condition.value];
    } else {
      out[conditionKey(condition)] = condition.value.trim();
    }
  }
  return out;
}

const KEY_PATTERN = /^((?:cf\.)?[A-Za-z][A-Za-z0-9_]*)(?:\[([a-z]+)\])?$/;

export function asArray(value: string | string[]): string[] {
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).filter((v) => v !== "");
}

/** A saved view's list query → the filter bar. Keys the bar has no quick filter for become conditions. */
export function fromListFilters(query: ListFilters): CustomerFilters {
  const filters: CustomerFilters = { ...EMPTY_FILTERS, conditions: [] };
  const quick = new Map<string, (typeof QUICK_LISTS)[number][1]>(QUICK_LISTS.map(([api, state]) => [api, state]));
  for (const [key, value] of Object.entries(query)) {
    if (key === "q") {
      filters.q = Array.isArray(value) ? (value[0] ?? "") : value;
      continue;
    }
    if (key === "tag") {
      filters.tagIds = asArray(value);
      continue;
    }
    const stateKey = quick.get(key);
    if (stateKey) {
      filters[stateKey] = asArray(value);
      continue;
    }
    if (key === "createdAt[gte]" && typeof value === "string") {
      filters.createdFrom = value;
      continue;
    }
    if (key === "createdAt[lte]" && typeof value === "string") {
      filters.createdTo = value;
      continue;
    }
    const condition = conditionFromKey(key, value);
    if (condition) {
      filters.conditions.push(condition);
    }
  }
  return filters;
}

/** One list query key (`field`, `field[op]`, `cf.key[op]`) back into an "add filter" condition; null for a key of another shape. Shared with the contacts list. */
export function conditionFromKey(key: string, value: string | string[]): Condition | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) {
    return null;
  }
  const field = match[1] ?? "";
  const rawOp = match[2] ?? (Array.isArray(value) && value.length > 1 ? "in" : "eq");
  let op: UiOp = (UI_OPS as readonly string[]).includes(rawOp) ? (rawOp as UiOp) : "eq";
  if (op === "empty" && (Array.isArray(value) ? value[0] : value) === "false") {
    op = "notEmpty";
  }
  return { id: newConditionId(), field, op, value: op === "in" || Array.isArray(value) ? asArray(value) : value };
}

/** How many filters are active (for the badge on the filter bar). */
export function activeFilterCount(filters: CustomerFilters): number {
  return Object.keys(toListFilters(filters)).length;
}

/** Adapts a condition's value when its field or operator changes to one that takes another shape. */
export function coerceConditionValue(field: FilterField | undefined, op: UiOp, value: string | string[]): string | string[] {
  if (!field || isValuelessOp(op)) {
    return "";
  }
  if (isMultiOp(field, op)) {
    return Array.isArray(value) ? value : value === "" ? [] : [value];
  }
  return Array.isArray(value) ? (value[0] ?? "") : value;
}
