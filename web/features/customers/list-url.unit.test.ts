import { describe, expect, it } from "vitest";
import type { FilterField } from "./customer-fields";
import type { Condition } from "./list-query";
import { awaitsCustomFields, decodeListUrl, encodeListUrl, isIsoDate, knownConditions, knownSort } from "./list-url";

const SORTS = { sort: "-createdAt", binSort: "-deletedAt" };

describe("encodeListUrl / decodeListUrl", () => {
  it("leaves an untouched list with a bare URL", () => {
    expect(encodeListUrl({ filters: {}, sort: "-createdAt", viewId: null, deleted: false }, SORTS).toString()).toBe("");
    // The bin's own default sort is left out too.
    expect(encodeListUrl({ filters: {}, sort: "-deletedAt", viewId: null, deleted: true }, SORTS).toString()).toBe("bin=1");
    expect(decodeListUrl(new URLSearchParams(""), SORTS)).toEqual({ filters: {}, sort: "-createdAt", viewId: null, deleted: false });
    expect(decodeListUrl(new URLSearchParams("bin=1"), SORTS)).toEqual({ filters: {}, sort: "-deletedAt", viewId: null, deleted: true });
  });

  it("writes list keys as they are, repeated for several values, and reads them back", () => {
    const state = {
      filters: { q: "科技", level: ["A", "B"], "cf.employees[gt]": "300" },
      sort: "name",
      viewId: "0b6c2f0e-6f7a-4d1e-9a43-4c2a9d1b7e11",
      deleted: false,
    };
    const url = encodeListUrl(state, SORTS).toString();
    expect(url).toBe("q=%E7%A7%91%E6%8A%80&level=A&level=B&cf.employees%5Bgt%5D=300&sort=name&view=0b6c2f0e-6f7a-4d1e-9a43-4c2a9d1b7e11");
    expect(decodeListUrl(new URLSearchParams(url), SORTS)).toEqual(state);
  });

  it("ignores what no list would write instead of failing", () => {
    const garbage = new URLSearchParams(
      `sort=${encodeURIComponent("name;drop table")}&view=${encodeURIComponent("../../etc")}&bin=yes&q=&level=%E0%A4%A&x=${"a".repeat(600)}`,
    );
    const state = decodeListUrl(garbage, SORTS);
    expect(state.sort).toBe("-createdAt");
    expect(state.viewId).toBeNull();
    expect(state.deleted).toBe(false);
    // Empty and oversized values are dropped; a broken escape decodes to replacement characters, no throw.
    expect(Object.keys(state.filters)).toEqual(["level"]);
  });

  it("keeps the page's own keys out of the filters", () => {
    const url = encodeListUrl({ filters: { sort: "x", q: "a" }, sort: "-createdAt", viewId: null, deleted: false }, SORTS);
    expect(url.toString()).toBe("q=a");
  });
});

const fields: FilterField[] = [
  { key: "name", label: "Name", kind: "text", ops: ["contains", "eq", "in"] },
  { key: "cf.employees", label: "Employees", kind: "number", ops: ["eq", "gt", "lt", "empty", "notEmpty"] },
  { key: "createdAt", label: "Created", kind: "date", ops: ["gte", "lte"] },
  { key: "locked", label: "Locked", kind: "boolean", ops: ["eq"] },
];

const condition = (field: string, op: Condition["op"], value: string | string[]): Condition => ({ id: `${field}-${op}`, field, op, value });

describe("knownConditions", () => {
  it("keeps fields the builder offers, with their operators and values their editors hold", () => {
    const kept = knownConditions(
      [
        condition("name", "contains", "科技"),
        condition("cf.employees", "gt", "300"),
        condition("cf.employees", "notEmpty", "false"),
        condition("createdAt", "gte", "2026-01-31"),
        condition("locked", "eq", "true"),
      ],
      fields,
      true,
    );
    expect(kept.map((c) => [c.field, c.op, c.value])).toEqual([
      ["name", "contains", "科技"],
      ["cf.employees", "gt", "300"],
      ["cf.employees", "notEmpty", "false"],
      ["createdAt", "gte", "2026-01-31"],
      ["locked", "eq", "true"],
    ]);
  });

  it("drops made-up fields, foreign operators and values that do not fit", () => {
    const kept = knownConditions(
      [
        condition("utm_source", "eq", "mail"),
        condition("name", "gt", "a"),
        condition("cf.employees", "gt", "lots"),
        condition("createdAt", "gte", "yesterday"),
        condition("locked", "eq", "maybe"),
        condition("cf.gone", "eq", "x"),
      ],
      fields,
      true,
    );
    expect(kept).toEqual([]);
  });

  it("waits for custom fields before judging cf.* conditions, and gives single-value operators one value", () => {
    expect(knownConditions([condition("cf.region", "eq", "east")], fields, false)).toHaveLength(1);
    expect(knownConditions([condition("name", "contains", ["a", "b"])], fields, true)[0]?.value).toBe("a");
  });
});

describe("knownSort and isIsoDate", () => {
  it("keeps a sort the list offers, else falls back", () => {
    expect(knownSort("-name", ["name", "createdAt"], true, "-createdAt")).toBe("-name");
    expect(knownSort("secret", ["name", "createdAt"], true, "-createdAt")).toBe("-createdAt");
    expect(knownSort("cf.region", ["name"], false, "-createdAt")).toBe("cf.region");
    expect(knownSort("cf.region", ["name"], true, "-createdAt")).toBe("-createdAt");
  });

  it("reads calendar dates only", () => {
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-28T08:00:00Z")).toBe(true);
    expect(isIsoDate("2026-13-45")).toBe(false);
    expect(isIsoDate("tomorrow")).toBe(false);
  });
});

describe("awaitsCustomFields", () => {
  it("holds the list back only while custom fields it names are unknown", () => {
    expect(awaitsCustomFields([condition("cf.region", "eq", "east")], "-createdAt", false)).toBe(true);
    expect(awaitsCustomFields([], "-cf.region", false)).toBe(true);
    expect(awaitsCustomFields([condition("name", "contains", "a")], "name", false)).toBe(false);
    expect(awaitsCustomFields([condition("cf.region", "eq", "east")], "-cf.region", true)).toBe(false);
  });
});
