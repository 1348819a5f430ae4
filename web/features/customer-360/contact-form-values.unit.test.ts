import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import type { FieldRuleValue } from "../../app/api-types";
import type { CustomFieldDefinition } from "../customers/customer-types";
import { buildContactChanges, contactFieldErrors, initialContactValues } from "./contact-form-values";
import type { Contact } from "./customer-360-types";

function field(key: string, type: CustomFieldDefinition["type"], extra: Partial<CustomFieldDefinition> = {}): CustomFieldDefinition {
  return { id: key, entity: "contact", key, label: key, type, required: false, unique: false, options: [], sort: 0, version: 1, ...extra };
}

const fields = [field("seniority", "number"), field("birthday", "date"), field("hobbies", "multiSelect"), field("mobile2", "phone")];
const edit: FieldRuleValue = { access: "edit", masked: false };
const everyoneEdits = { fields, rule: () => edit };

const contact: Contact = {
  id: "c1",
  customerId: "k1",
  customerName: "ACME",
  ownerId: null,
  name: "Wang",
  phone: "13800001234",
  email: null,
  title: null,
  department: null,
  wechat: null,
  isPrimary: false,
  isDecisionMaker: false,
  remark: null,
  lastFollowupAt: null,
  nextFollowupAt: null,
  custom: { seniority: 3, birthday: "1990-05-01", mobile2: "139****1111" },
  access: { edit: true, delete: true },
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  version: 1,
};

describe("contact form values", () => {
  it("sends the custom values filled in on create, in the API's shapes", () => {
    const initial = initialContactValues(null, fields);
    expect(initial.custom).toEqual({ seniority: undefined, birthday: undefined, hobbies: [], mobile2: undefined });
    const values = { ...initial, name: " Li ", custom: { seniority: 5, birthday: dayjs("2000-02-03"), hobbies: [], mobile2: "" } };
    expect(buildContactChanges(values, null, initial, everyoneEdits)).toEqual({ name: "Li", isDecisionMaker: false, custom: { seniority: 5, birthday: "2000-02-03" } });
  });

  it("on edit sends only the custom values that changed, and never a read-only or masked one", () => {
    const initial = initialContactValues(contact, fields);
    expect(dayjs.isDayjs(initial.custom?.birthday)).toBe(true);
    const unchanged = buildContactChanges(initial, contact, initial, everyoneEdits);
    expect(unchanged).toEqual({});
    const values = { ...initial, custom: { ...initial.custom, seniority: 4, hobbies: ["golf"] } };
    expect(buildContactChanges(values, contact, initial, everyoneEdits)).toEqual({ custom: { seniority: 4, hobbies: ["golf"] } });
    const rule = (key: string): FieldRuleValue => (key === "cf.seniority" ? { access: "read", masked: false } : key === "cf.mobile2" ? { access: "edit", masked: true } : edit);
    const masked = { ...values, custom: { ...values.custom, mobile2: "13911112222" } };
    expect(buildContactChanges(masked, contact, initial, { fields, rule })).toEqual({ custom: { hobbies: ["golf"] } });
  });

  it("puts the server's custom.<key> errors under that field", () => {
    // The shape of an ApiError (the client itself needs a browser).
    const error = Object.assign(new Error("2 fields are invalid"), { status: 400, code: "validation_failed", errors: [{ path: "custom.seniority", message: "is required" }, { path: "/email", message: "bad" }, { path: "customerId", message: "no such customer" }] });
    expect(contactFieldErrors(error)).toEqual([{ name: ["custom", "seniority"], errors: ["is required"] }, { name: ["email"], errors: ["bad"] }]);
    expect(contactFieldErrors(new Error("boom"))).toEqual([]);
    // A 409 for a unique custom value names the field as cf.<key>.
    const clash = Object.assign(new Error("Conflict"), { status: 409, code: "conflict", errors: [{ path: "cf.badge_no", message: "already used by another contact" }] });
    expect(contactFieldErrors(clash)).toEqual([{ name: ["custom", "badge_no"], errors: ["already used by another contact"] }]);
  });
});
