import type { Dayjs } from "dayjs";
import dayjs from "dayjs";
import type { FieldRuleValue } from "../../app/api-types";
import type { CustomFieldDefinition, CustomValue } from "./customer-types";

/*
 * Custom values between the API and form controls, shared by every form that edits custom fields
 * (customers, contacts). Free of the API client so unit tests can import it under Node.
 */

/** A custom value as a form control holds it (dates as Dayjs). */
export type FormCustomValue = string | number | boolean | string[] | Dayjs | null | undefined;

/** The field may be written by this user: editable and not masked (a masked value must not be written back). */
export function writable(rule: FieldRuleValue): boolean {
  return rule.access === "edit" && !rule.masked;
}

/** A stored custom value → what its form control holds (dates as Dayjs, multi-select as a list). */
export function toFormCustom(field: CustomFieldDefinition, value: CustomValue | undefined): FormCustomValue {
  if (value === null || value === undefined) {
    return field.type === "multiSelect" ? [] : undefined;
  }
  if ((field.type === "date" || field.type === "datetime") && typeof value === "string") {
    const date = dayjs(value);
    return date.isValid() ? date : undefined;
  }
  return value;
}

/** A form value → what the API takes; empty → null. */
export function fromFormCustom(field: CustomFieldDefinition, value: FormCustomValue): CustomValue {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) {
    return null;
  }
  if (dayjs.isDayjs(value)) {
    return field.type === "date" ? value.format("YYYY-MM-DD") : value.toISOString();
  }
  if (typeof value === "string") {
    return value.trim() === "" ? null : value.trim();
  }
  if (field.type === "money" && typeof value === "number") {
    return value.toFixed(2);
  }
  return value;
}

