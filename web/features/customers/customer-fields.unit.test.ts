import type { TFunction } from "i18next";
import { describe, expect, it } from "vitest";
import type { FieldRuleValue } from "../../app/api-types";
import { contactFilterFields } from "../contacts/contact-fields";
import { filterFields } from "./customer-fields";
import type { CustomFieldDefinition } from "./customer-types";

const t = ((key: string) => key) as unknown as TFunction;
const custom: CustomFieldDefinition[] = [
  { id: "f1", entity: "customer", key: "taxNo", label: "税号", type: "text", required: false, unique: false, options: [], sort: 1, version: 1 },
  { id: "f2", entity: "customer", key: "budget", label: "预算", type: "number", required: false, unique: false, options: [], sort: 2, version: 1 },
];
const rules: Record<string, FieldRuleValue> = {
  phone: { access: "read", masked: true },
  email: { access: "hidden", masked: false },
  "cf.taxNo": { access: "read", masked: true },
};
const rule = (field: string): FieldRuleValue => rules[field] ?? { access: "edit", masked: false };

describe("filterFields", () => {
  it("leaves hidden fields out and offers masked ones whole-value operators only", () => {
    const fields = new Map(filterFields(t, custom, rule).map((f) => [f.key, f.ops]));
    expect(fields.has("email")).toBe(false);
    expect(fields.get("phone")).toEqual(["eq", "ne", "in", "empty", "notEmpty"]);
    expect(fields.get("cf.taxNo")).not.toContain("contains");
    expect(fields.get("name")).toContain("contains");
    expect(fields.get("cf.budget")).toEqual(expect.arrayContaining(["gt", "lte"]));
    const contacts = new Map(contactFilterFields(t, custom, rule).map((f) => [f.key, f.ops]));
    expect(contacts.get("phone")).not.toContain("contains");
    expect(contacts.get("title")).toContain("contains");
  });
});
