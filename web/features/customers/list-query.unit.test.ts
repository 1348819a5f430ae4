import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS, fromListFilters, toListFilters, type CustomerFilters } from "./list-query";

describe("customer list query", () => {
  it("turns the filter bar into API list keys", () => {
    const filters: CustomerFilters = {
      ...EMPTY_FILTERS,
      q: " 张 ",
      levels: ["A"],
      sources: ["web", "expo"],
      tagIds: ["t1", "t2"],
      createdFrom: "2026-01-01",
      createdTo: "2026-01-31",
      conditions: [
        { id: "1", field: "cf.employees", op: "gte", value: "50" },
        { id: "2", field: "cf.region", op: "in", value: ["east", "west"] },
        { id: "3", field: "phone", op: "notEmpty", value: "" },
        { id: "4", field: "city", op: "contains", value: "" },
      ],
    };
    expect(toListFilters(filters)).toEqual({
      q: "张",
      level: "A",
      source: ["web", "expo"],
      tag: ["t1", "t2"],
      "createdAt[gte]": "2026-01-01",
      "createdAt[lte]": "2026-01-31",
      "cf.employees[gte]": "50",
      "cf.region[in]": ["east", "west"],
      "phone[empty]": "false",
    });
  });

  it("reads a saved view's keys back into the filter bar", () => {
    const filters = fromListFilters({
      q: "abc",
      ownerId: ["u1", "u2"],
      lifecycleStage: "intent",
      tag: "t1",
      "createdAt[gte]": "2026-02-01",
      "cf.region": "east",
      "email[empty]": "true",
      "name[contains]": "科技",
    });
    expect(filters).toMatchObject({ q: "abc", ownerIds: ["u1", "u2"], stages: ["intent"], tagIds: ["t1"], createdFrom: "2026-02-01" });
    expect(filters.conditions.map(({ field, op, value }) => ({ field, op, value }))).toEqual([
      { field: "cf.region", op: "eq", value: "east" },
      { field: "email", op: "empty", value: "true" },
      { field: "name", op: "contains", value: "科技" },
    ]);
    expect(toListFilters(filters)).toEqual({
      q: "abc",
      ownerId: ["u1", "u2"],
      lifecycleStage: "intent",
      tag: "t1",
      "createdAt[gte]": "2026-02-01",
      "cf.region[eq]": "east",
      "email[empty]": "true",
      "name[contains]": "科技",
    });
  });
});
