import type { FormInstance } from "antd";
import { ApiError } from "../../app/api";
import type { FieldRuleValue } from "../../app/api-types";
import { customFieldKeyOf } from "../custom-fields/custom-values";
import type { CreateCustomerInput, CustomFieldDefinition, Customer, CustomerInput, CustomValue } from "./customer-types";
import { type FormCustomValue, fromFormCustom, toFormCustom, writable } from "./custom-form-values";

// Kept importable from here: the customer form and its neighbours used them before they moved.
export { type FormCustomValue, fromFormCustom, toFormCustom, writable };

export interface CustomerFormValues {
  name: string;
  kind: "company" | "person";
  phone?: string;
  email?: string;
  website?: string;
  level?: string | null;
  source?: string | null;
  industry?: string | null;
  lifecycleStage?: Customer["lifecycleStage"];
  province?: string;
  city?: string;
  district?: string;
  address?: string;
  remark?: string;
  ownerId?: string | null;
  tagIds?: string[];
  custom?: Record<string, FormCustomValue>;
  contact?: { name?: string; phone?: string; email?: string; title?: string };
}

/** Text inputs of the form and the catalog field whose permission governs each. */
export const TEXT_FIELDS = [
  ["phone", "phone"],
  ["email", "email"],
  ["website", "website"],
  ["province", "address"],
  ["city", "address"],
  ["district", "address"],
  ["address", "address"],
  ["remark", "remark"],
] as const;

export const PICK_FIELDS = [
  ["level", "level"],
  ["source", "source"],
  ["industry", "industry"],
] as const;

export function initialFormValues(customer: Customer | null, fields: readonly CustomFieldDefinition[], meId: string): CustomerFormValues {
  const custom: Record<string, FormCustomValue> = {};
  for (const field of fields) {
    custom[field.key] = toFormCustom(field, customer?.custom[field.key]);
  }
  return {
    name: customer?.name ?? "",
    kind: customer?.kind ?? "company",
    phone: customer?.phone ?? "",
    email: customer?.email ?? "",
    website: customer?.website ?? "",
    level: customer?.level ?? null,
    source: customer?.source ?? null,
    industry: customer?.industry ?? null,
    lifecycleStage: customer?.lifecycleStage ?? "prospect",
    province: customer?.province ?? "",
    city: customer?.city ?? "",
    district: customer?.district ?? "",
    address: customer?.address ?? "",
    remark: customer?.remark ?? "",
    ownerId: customer ? (customer.ownerId ?? null) : meId,
    tagIds: customer?.tags?.map((tag) => tag.id) ?? [],
    custom,
  };
}

function text(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

interface BuildContext {
  rule: (field: string) => FieldRuleValue;
  fields: readonly CustomFieldDefinition[];
}

/** Only writable fields are sent; on edit, only the ones that changed. */
function collect(values: CustomerFormValues, ctx: BuildContext, before: Customer | null): CustomerInput {
  const out: CustomerInput = {};
  const changed = (key: keyof Customer, next: unknown) => before === null || (before[key] ?? null) !== next;
  if (before === null || values.name.trim() !== before.name) {
    out.name = values.name.trim();
  }
  if (changed("kind", values.kind)) {
    out.kind = values.kind;
  }
  for (const [key, permission] of TEXT_FIELDS) {
    const next = text(values[key]);
    if (writable(ctx.rule(permission)) && changed(key, next) && (before !== null || next !== null)) {
      out[key] = next;
    }
  }
  for (const [key, permission] of PICK_FIELDS) {
    const next = values[key] ?? null;
    if (writable(ctx.rule(permission)) && changed(key, next) && (before !== null || next !== null)) {
      out[key] = next;
    }
  }
  if (writable(ctx.rule("lifecycleStage")) && values.lifecycleStage && changed("lifecycleStage", values.lifecycleStage)) {
    out.lifecycleStage = values.lifecycleStage;
  }
  const custom: Record<string, CustomValue> = {};
  for (const field of ctx.fields) {
    if (!writable(ctx.rule(`cf.${field.key}`))) {
      continue;
    }
    const next = fromFormCustom(field, values.custom?.[field.key]);
    const previous = before?.custom[field.key] ?? null;
    if (before === null ? next !== null : JSON.stringify(previous) !== JSON.stringify(next)) {
      custom[field.key] = next;
    }
  }
  if (Object.keys(custom).length > 0) {
    out.custom = custom;
  }
  return out;
}

export function buildCreateInput(values: CustomerFormValues, ctx: BuildContext & { canAssign: boolean; meId: string }): CreateCustomerInput {
  const input: CreateCustomerInput = { ...collect(values, ctx, null), name: values.name.trim() };
  if (ctx.canAssign && values.ownerId !== undefined && values.ownerId !== ctx.meId) {
    input.ownerId = values.ownerId;
  }
  if (writable(ctx.rule("tags")) && values.tagIds && values.tagIds.length > 0) {
    input.tagIds = values.tagIds;
  }
  const contactName = text(values.contact?.name);
  if (contactName) {
    input.contact = {
      name: contactName,
      phone: text(values.contact?.phone),
      email: text(values.contact?.email),
      title: text(values.contact?.title),
    };
  }
  return input;
}

export function buildUpdate(values: CustomerFormValues, customer: Customer, ctx: BuildContext) {
  const changes = collect(values, ctx, customer);
  const before = new Set(customer.tags?.map((tag) => tag.id) ?? []);
  const after = new Set(values.tagIds ?? []);
  const tags = writable(ctx.rule("tags"))
    ? { add: [...after].filter((id) => !before.has(id)), remove: [...before].filter((id) => !after.has(id)) }
    : { add: [], remove: [] };
  return { changes, tags };
}

/** Puts the server's per-field errors (`custom.region` or `cf.region`, `contact.name`, `tagIds`…) under the matching controls. */
export function applyCustomerErrors(form: FormInstance<CustomerFormValues>, error: unknown): boolean {
  if (!(error instanceof ApiError) || error.errors.length === 0) {
    return false;
  }
  const known = new Set(["name", "kind", "phone", "email", "website", "level", "source", "industry", "lifecycleStage", "province", "city", "district", "address", "remark", "ownerId", "tagIds"]);
  const byPath = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const item of error.errors) {
    const parts = item.path.replace(/^[/.]+/, "").replace(/^body[./]/, "").split(/[./]/);
    const [head, second] = parts;
    const customKey = customFieldKeyOf(item.path);
    let name: string[] | null = null;
    if (customKey) {
      name = ["custom", customKey];
    } else if (head === "contact" && second) {
      name = [head, second];
    } else if (head && known.has(head)) {
      name = [head];
    }
    if (name) {
      const key = name.join(".");
      const entry = byPath.get(key) ?? { name, errors: [] };
      entry.errors.push(item.message);
      byPath.set(key, entry);
    }
  }
  if (byPath.size === 0) {
    return false;
  }
  form.setFields([...byPath.values()].map((entry) => ({ name: entry.name as never, errors: entry.errors })));
  return true;
}
