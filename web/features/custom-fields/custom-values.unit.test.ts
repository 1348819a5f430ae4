import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import type { FieldRuleValue } from "../../app/api-types";
import type { CustomFieldDefinition } from "../customers/customer-types";
import { customChanges, customFieldErrors, customFieldKeyOf, customFormValues } from "./custom-values";

function field(key: string, type: CustomFieldDefinition["type"]): CustomFieldDefinition {
  return { id: key, entity: "customer", key, label: key, type, required: false, unique: false, options: [], sort: 0, version: 1 };
}

const fields = [field("budget", "money"), field("due", "date"), field("channel", "text"), field("tags", "multiSelect"), field("vip", "boolean")];
const editable = (): FieldRuleValue => ({ access: "edit", masked: false });

describe("custom fields in entity forms (deals, leads, products, contracts)", () => {
  it("fills the controls from the stored values (dates as dayjs, empty multi-select as a list)", () => {
    const values = customFormValues(fields, { budget: "12.50", due: "2026-12-01", channel: "web", vip: false });
    expect(values.budget).toBe("12.50");
    expect(dayjs.isDayjs(values.due) && values.due.format("YYYY-MM-DD")).toBe("2026-12-01");
    expect(values.tags).toEqual([]);
    expect(values.vip).toBe(false);
    expect(customFormValues(fields, null).channel).toBeUndefined();
  });

  it("on create sends every filled writable field, trimmed and in the API's shapes, and nothing when all are empty", () => {
    const filled = { budget: 99, due: dayjs("2026-12-01"), channel: " fair ", tags: ["a"], vip: false };
    expect(customChanges(fields, filled, null, editable)).toEqual({ budget: "99.00", due: "2026-12-01", channel: "fair", tags: ["a"], vip: false });
    expect(customChanges(fields, { channel: "  ", tags: [] }, null, editable)).toBeUndefined();
    expect(customChanges(fields, undefined, null, editable)).toBeUndefined();
  });

  it("on edit sends only the fields that changed, a cleared one as null", () => {
    const before = { budget: "99.00", due: "2026-12-01", channel: "fair", tags: ["a"] };
    const same = { budget: "99.00", due: dayjs("2026-12-01"), channel: "fair", tags: ["a"] };
    expect(customChanges(fields, same, before, editable)).toBeUndefined();
    expect(customChanges(fields, { ...same, channel: "" }, before, editable)).toEqual({ channel: null });
    expect(customChanges(fields, { ...same, tags: ["a", "b"], vip: true }, before, editable)).toEqual({ tags: ["a", "b"], vip: true });
  });

  it("never sends read-only, masked or hidden fields, on create or edit", () => {
    const rule = (key: string): FieldRuleValue =>
      key === "cf.budget" ? { access: "edit", masked: true } : key === "cf.channel" ? { access: "read", masked: false } : key === "cf.tags" ? { access: "hidden", masked: false } : { access: "edit", masked: false };
    const typed = { budget: 1, channel: "x", due: dayjs("2027-01-02"), tags: ["z"] };
    expect(customChanges(fields, typed, null, rule)).toEqual({ due: "2027-01-02" });
    const before = { budget: "***", due: "2026-12-01", channel: "fair" };
    expect(customChanges(fields, typed, before, rule)).toEqual({ due: "2027-01-02" });
  });

  it("puts the server's custom-value errors under their controls and ignores the rest", () => {
    expect(
      customFieldErrors([
        { path: "custom.code", message: "already used" },
        { path: "/custom/code", message: "too long" },
        { path: "body.custom.due", message: "required" },
        { path: "name", message: "required" },
        { path: "lines.0.price", message: "invalid" },
        { path: "custom", message: "not an object" },
      ]),
    ).toEqual([
      { name: ["custom", "code"], errors: ["already used", "too long"] },
      { name: ["custom", "due"], errors: ["required"] },
    ]);
  });

  it("puts a 409's cf.<key> (a unique value another record holds) under the field's control too", () => {
    expect(customFieldErrors([{ path: "cf.tax_no", message: "already used by another customer" }])).toEqual([{ name: ["custom", "tax_no"], errors: ["already used by another customer"] }]);
    expect(customFieldKeyOf("cf.tax_no")).toBe("tax_no");
    expect(customFieldKeyOf("custom.tax_no")).toBe("tax_no");
    expect(customFieldKeyOf("cf")).toBeNull();
    expect(customFieldKeyOf("cfx.tax_no")).toBeNull();
    expect(customFieldKeyOf("email")).toBeNull();
  });
});
