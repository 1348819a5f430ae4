import type { TFunction } from "i18next";
import type { FieldRuleValue } from "../../app/api-types";
import { type BuiltinFilter, type FilterField, filterFields } from "../customers/customer-fields";
import type { CustomFieldDefinition } from "../customers/customer-types";

/** Built-in fields GET /contacts filters on (server/modules/contacts/contacts.list-spec.ts). */
const CONTACT_FILTERS: readonly BuiltinFilter[] = [
  { key: "name", type: "text", kind: "text", nullable: false },
  { key: "phone", type: "text", kind: "text", permissionField: "phone", nullable: true },
  { key: "email", type: "text", kind: "text", permissionField: "email", nullable: true },
  { key: "title", type: "text", kind: "text", permissionField: "title", nullable: true },
  { key: "department", type: "text", kind: "text", nullable: true },
  { key: "wechat", type: "text", kind: "text", permissionField: "wechat", nullable: true },
  { key: "isPrimary", type: "boolean", kind: "boolean", nullable: false },
  { key: "isDecisionMaker", type: "boolean", kind: "boolean", nullable: false },
  { key: "ownerId", type: "id", kind: "user", nullable: true },
  { key: "createdBy", type: "id", kind: "user", nullable: true },
  { key: "createdAt", type: "datetime", kind: "date", nullable: false },
  { key: "updatedAt", type: "datetime", kind: "date", nullable: false },
  { key: "lastFollowupAt", type: "datetime", kind: "date", nullable: true },
  { key: "nextFollowupAt", type: "datetime", kind: "date", nullable: true },
];

/** What the contacts list's "add filter" builder offers (hidden fields left out, masked ones matched whole). */
export function contactFilterFields(t: TFunction, customFields: readonly CustomFieldDefinition[], rule: (field: string) => FieldRuleValue): FilterField[] {
  return filterFields(t, customFields, rule, { builtins: CONTACT_FILTERS, labelPrefix: "contacts.field" });
}
