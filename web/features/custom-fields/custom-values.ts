import type { FieldError } from "../../app/api";
import type { FieldRuleValue } from "../../app/api-types";
import { type FormCustomValue, fromFormCustom, toFormCustom, writable } from "../customers/custom-form-values";
import type { CustomFieldDefinition, CustomValue } from "../customers/customer-types";

/*
 * Custom values in the forms of contacts, deals, leads, products and contracts: the same rules for every
 * entity, so they live here once. Free of the API client so unit tests can import it under Node.
 */

/** A form's custom controls (`custom.<key>`), from the stored values (null: a new record). */
export function customFormValues(fields: readonly CustomFieldDefinition[], stored: Record<string, unknown> | null): Record<string, FormCustomValue> {
  const out: Record<string, FormCustomValue> = {};
  for (const field of fields) {
    out[field.key] = toFormCustom(field, stored?.[field.key] as CustomValue | undefined);
  }
  return out;
}

/**
 * What the request body's `custom` carries: on create every filled writable field, on edit only the
 * writable fields whose value changed (the server merges them into the stored ones). Read-only or
 * masked fields are never sent back — a masked value written back would overwrite the real one with
 * the mask, and the server refuses writes to read-only fields. Undefined when nothing is sent.
 */
export function customChanges(
  fields: readonly CustomFieldDefinition[],
  values: Record<string, FormCustomValue> | undefined,
  before: Record<string, unknown> | null,
  rule: (field: string) => FieldRuleValue,
): Record<string, CustomValue> | undefined {
  const out: Record<string, CustomValue> = {};
  for (const field of fields) {
    if (!writable(rule(`cf.${field.key}`))) {
      continue;
    }
    const next = fromFormCustom(field, values?.[field.key]);
    const previous = (before?.[field.key] as CustomValue | undefined) ?? null;
    if (before === null ? next !== null : JSON.stringify(previous) !== JSON.stringify(next)) {
      out[field.key] = next;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The custom field a server error is about, or null: `custom.<key>` (the body path of an invalid
 * value, also as `/custom/<key>` or `body.custom.<key>`) or `cf.<key>` (the field's own name, used by
 * field rules and by the 409 for a unique value another record already holds).
 */
export function customFieldKeyOf(path: string): string | null {
  const [head, key] = path
    .replace(/^[/.]+/, "")
    .replace(/^body[./]/, "")
    .split(/[./]/);
  return (head === "custom" || head === "cf") && key ? key : null;
}

/** The server's errors about custom values (see customFieldKeyOf) as form field errors. */
export function customFieldErrors(errors: readonly FieldError[]): { name: ["custom", string]; errors: string[] }[] {
  const byKey = new Map<string, string[]>();
  for (const item of errors) {
    const key = customFieldKeyOf(item.path);
    if (key) {
      byKey.set(key, [...(byKey.get(key) ?? []), item.message]);
    }
  }
  return [...byKey.entries()].map(([key, messages]) => ({ name: ["custom", key], errors: messages }));
}
