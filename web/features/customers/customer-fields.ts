import type { TFunction } from "i18next";
import type { FieldRuleValue } from "../../app/api-types";
import { type CustomFieldType, operatorsFor } from "../../../common/custom-fields";
import type { PicklistKey } from "../picklists/picklists-api";
import { CUSTOMER_KINDS, type CustomFieldDefinition, DEAL_STATUSES, LIFECYCLE_STAGES } from "./customer-types";

/** Operators as the UI offers them: the API's `empty` is split into "is empty" and "is not empty". */
export const UI_OPS = ["eq", "ne", "contains", "in", "gt", "gte", "lt", "lte", "empty", "notEmpty"] as const;
export type UiOp = (typeof UI_OPS)[number];

/** Which editor a filter value gets. */
export type ValueKind = "text" | "number" | "money" | "date" | "enum" | "user" | "boolean";

export interface ValueOption {
  value: string;
  label: string;
  color?: string | null;
}

export interface FilterField {
  /** The API name: `level`, `cf.region`. */
  key: string;
  label: string;
  kind: ValueKind;
  ops: readonly UiOp[];
  /** For enums: a picklist, a fixed list, or a select field's options. */
  picklist?: PicklistKey;
  options?: ValueOption[];
  /** The permission-catalog field guarding it (hidden fields cannot be filtered on). */
  permissionField?: string;
}

type ListType = "text" | "enum" | "id" | "boolean" | "datetime";

const OPS_BY_LIST_TYPE: Record<ListType, readonly UiOp[]> = {
  text: ["contains", "eq", "ne", "in", "empty", "notEmpty"],
  enum: ["eq", "ne", "in", "empty", "notEmpty"],
  id: ["eq", "ne", "in", "empty", "notEmpty"],
  boolean: ["eq"],
  datetime: ["gte", "lte", "gt", "lt", "empty", "notEmpty"],
};

/** A built-in field a list API filters on (its list spec on the server). */
export interface BuiltinFilter {
  key: string;
  type: ListType;
  kind: ValueKind;
  permissionField?: string;
  picklist?: PicklistKey;
  fixed?: readonly string[];
  nullable: boolean;
}

/** Built-in fields the list API filters on (server/modules/customers/customers.list-spec.ts). */
const BUILTIN_FILTERS: readonly BuiltinFilter[] = [
  { key: "name", type: "text", kind: "text", nullable: false },
  { key: "phone", type: "text", kind: "text", permissionField: "phone", nullable: true },
  { key: "email", type: "text", kind: "text", permissionField: "email", nullable: true },
  { key: "kind", type: "enum", kind: "enum", fixed: CUSTOMER_KINDS, nullable: false },
  { key: "level", type: "enum", kind: "enum", picklist: "customer.level", permissionField: "level", nullable: true },
  { key: "source", type: "enum", kind: "enum", picklist: "customer.source", permissionField: "source", nullable: true },
  {
    key: "industry",
    type: "enum",
    kind: "enum",
    picklist: "customer.industry",
    permissionField: "industry",
    nullable: true,
  },
  {
    key: "lifecycleStage",
    type: "enum",
    kind: "enum",
    fixed: LIFECYCLE_STAGES,
    permissionField: "lifecycleStage",
    nullable: false,
  },
  { key: "dealStatus", type: "enum", kind: "enum", fixed: DEAL_STATUSES, nullable: false },
  { key: "ownerId", type: "id", kind: "user", permissionField: "owner", nullable: true },
  { key: "locked", type: "boolean", kind: "boolean", nullable: false },
  { key: "province", type: "text", kind: "text", permissionField: "address", nullable: true },
  { key: "city", type: "text", kind: "text", permissionField: "address", nullable: true },
  { key: "createdBy", type: "id", kind: "user", nullable: true },
  { key: "createdAt", type: "datetime", kind: "date", nullable: false },
  { key: "updatedAt", type: "datetime", kind: "date", nullable: false },
  { key: "lastFollowupAt", type: "datetime", kind: "date", nullable: true },
  { key: "nextFollowupAt", type: "datetime", kind: "date", nullable: true },
];

function fixedOptions(t: TFunction, key: string, values: readonly string[]): ValueOption[] {
  return values.map((value) => ({ value, label: t(`customers.enum.${key}.${value}`) }));
}

function customKind(type: CustomFieldType): ValueKind {
  switch (type) {
    case "number":
      return "number";
    case "money":
      return "money";
    case "date":
    case "datetime":
      return "date";
    case "singleSelect":
    case "multiSelect":
      return "enum";
    case "user":
      return "user";
    case "boolean":
      return "boolean";
    default:
      return "text";
  }
}

function customOps(type: CustomFieldType): UiOp[] {
  const ops: UiOp[] = [];
  for (const op of operatorsFor(type)) {
    if (op === "empty") {
      ops.push("empty", "notEmpty");
    } else {
      ops.push(op as UiOp);
    }
  }
  // Text reads most naturally as "contains" first.
  return type === "text" || type === "longText" || type === "phone" || type === "email" || type === "url"
    ? ["contains", ...ops.filter((op) => op !== "contains")]
    : ops;
}

/** What a masked field may be filtered with: whole values only (the API refuses the rest, which would reveal it piece by piece). */
const WHOLE_VALUE_OPS: readonly UiOp[] = ["eq", "ne", "in", "empty", "notEmpty"];

/**
 * Every field the "add filter" builder offers, built-in first, the hidden ones left out and the
 * masked ones with whole-value operators only. Customers by default; another list (contacts)
 * passes its own built-ins and the locale prefix of their labels.
 */
export function filterFields(
  t: TFunction,
  customFields: readonly CustomFieldDefinition[],
  rule: (permissionField: string) => FieldRuleValue,
  list: { builtins: readonly BuiltinFilter[]; labelPrefix: string } = { builtins: BUILTIN_FILTERS, labelPrefix: "customers.field" },
): FilterField[] {
  const isHidden = (field: string) => rule(field).access === "hidden";
  const allowed = (field: string | undefined, ops: readonly UiOp[]): UiOp[] =>
    field !== undefined && rule(field).masked ? ops.filter((op) => WHOLE_VALUE_OPS.includes(op)) : [...ops];
  const builtins: FilterField[] = list.builtins.filter(
    (f) => f.permissionField === undefined || !isHidden(f.permissionField),
  ).map((f) => ({
    key: f.key,
    label: t(`${list.labelPrefix}.${f.key}`),
    kind: f.kind,
    ops: allowed(f.permissionField, f.nullable ? OPS_BY_LIST_TYPE[f.type] : OPS_BY_LIST_TYPE[f.type].filter((op) => op !== "empty" && op !== "notEmpty")),
    ...(f.picklist ? { picklist: f.picklist } : {}),
    ...(f.fixed ? { options: fixedOptions(t, f.key, f.fixed) } : {}),
    ...(f.permissionField ? { permissionField: f.permissionField } : {}),
  }));
  const custom: FilterField[] = customFields
    .filter((f) => !isHidden(`cf.${f.key}`))
    .map((f) => ({
      key: `cf.${f.key}`,
      label: f.label,
      kind: customKind(f.type),
      ops: allowed(`cf.${f.key}`, customOps(f.type)),
      options: f.options.map((o) => ({ value: o.value, label: o.label, color: o.color ?? null })),
      permissionField: `cf.${f.key}`,
    }));
  return [...builtins, ...custom];
}

/** Whether an operator takes several values. */
export function isMultiOp(field: FilterField, op: UiOp): boolean {
  return op === "in" || (op === "contains" && field.kind === "enum");
}

/** Whether an operator takes no value at all. */
export function isValuelessOp(op: UiOp): boolean {
  return op === "empty" || op === "notEmpty";
}

/** The label key of an operator: comparisons read "before/after" for dates, "less/more" for numbers. */
export function opLabelKey(field: FilterField | undefined, op: UiOp): string {
  if (op === "gt" || op === "gte" || op === "lt" || op === "lte") {
    return field?.kind === "date" ? `customers.opDate.${op}` : `customers.opNumber.${op}`;
  }
  return `customers.op.${op}`;
}
