import type { FieldRuleValue } from "../../app/api-types";
import { customChanges, customFieldKeyOf, customFormValues } from "../custom-fields/custom-values";
import type { FormCustomValue } from "../customers/custom-form-values";
import type { CustomFieldDefinition } from "../customers/customer-types";
import type { ContactInput } from "./customer-360-api";
import type { Contact } from "./customer-360-types";

export const CONTACT_TEXT_FIELDS = ["name", "phone", "email", "title", "department", "wechat", "remark"] as const;
export type ContactTextField = (typeof CONTACT_TEXT_FIELDS)[number];

export type ContactFormValues = Partial<Record<ContactTextField, string | null>> & {
  isDecisionMaker: boolean;
  isPrimary: boolean;
  custom?: Record<string, FormCustomValue>;
};

function normalise(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

export function initialContactValues(contact: Contact | null, definitions: readonly CustomFieldDefinition[]): ContactFormValues {
  const values: ContactFormValues = { isDecisionMaker: contact?.isDecisionMaker ?? false, isPrimary: contact?.isPrimary ?? false };
  for (const key of CONTACT_TEXT_FIELDS) {
    values[key] = contact?.[key] ?? "";
  }
  values.custom = customFormValues(definitions, contact?.custom ?? null);
  return values;
}

/**
 * What to send: everything filled in on create, only what changed on edit. Custom values are sent
 * only where the field rule lets this user write them (a masked value must never be written back).
 */
export function buildContactChanges(
  values: ContactFormValues,
  contact: Contact | null,
  initial: ContactFormValues,
  ctx: { fields: readonly CustomFieldDefinition[]; rule: (field: string) => FieldRuleValue },
): ContactInput {
  const changes: ContactInput = {};
  for (const key of CONTACT_TEXT_FIELDS) {
    if (key in values && (contact === null || normalise(values[key]) !== normalise(initial[key]))) {
      const value = normalise(values[key]);
      if (key === "name") {
        changes.name = value ?? "";
      } else if (contact !== null || value !== null) {
        changes[key] = value;
      }
    }
  }
  if (contact === null || values.isDecisionMaker !== initial.isDecisionMaker) {
    changes.isDecisionMaker = values.isDecisionMaker;
  }
  if (values.isPrimary !== initial.isPrimary) {
    changes.isPrimary = values.isPrimary;
  }
  const custom = customChanges(ctx.fields, values.custom, contact?.custom ?? null, ctx.rule);
  if (custom) {
    changes.custom = custom;
  }
  return changes;
}

/**
 * The server's per-field errors as form fields: `custom.<key>` / `cf.<key>` go under that custom
 * field's control, a built-in field under its own. Errors on anything else are left for a notification.
 */
export function contactFieldErrors(error: unknown): { name: string[]; errors: string[] }[] {
  // Read by shape rather than `instanceof ApiError`: the API client pulls in the browser's i18n.
  if (!(error instanceof Error) || !("errors" in error) || !Array.isArray(error.errors)) {
    return [];
  }
  const known = new Set<string>([...CONTACT_TEXT_FIELDS, "isPrimary", "isDecisionMaker"]);
  const byName = new Map<string, { name: string[]; errors: string[] }>();
  for (const item of error.errors as { path: string; message: string }[]) {
    const [head] = item.path.replace(/^[/.]+/, "").replace(/^body[./]/, "").split(/[./]/);
    const customKey = customFieldKeyOf(item.path);
    const name = customKey ? ["custom", customKey] : head && known.has(head) ? [head] : null;
    if (name) {
      const key = name.join(".");
      const entry = byName.get(key) ?? { name, errors: [] };
      entry.errors.push(item.message);
      byName.set(key, entry);
    }
  }
  return [...byName.values()];
}
