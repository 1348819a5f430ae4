import { describe, expect, it } from "vitest";
import { EMPTY_CONTACT_FILTERS, fromContactListFilters, toContactListFilters } from "./contact-filters";

describe("toContactListFilters", () => {
  it("sends only what is set, in the list grammar", () => {
    expect(toContactListFilters(EMPTY_CONTACT_FILTERS)).toEqual({});
    expect(
      toContactListFilters({
        q: "  王 ",
        ownerIds: ["u1", "u2"],
        primaryOnly: true,
        decisionMakersOnly: true,
        conditions: [
          { id: "a", field: "title", op: "contains", value: " 经理 " },
          { id: "b", field: "email", op: "notEmpty", value: "" },
          { id: "c", field: "department", op: "eq", value: "" },
        ],
      }),
    ).toEqual({ q: "王", "ownerId[in]": ["u1", "u2"], isPrimary: "true", isDecisionMaker: "true", "title[contains]": "经理", "email[empty]": "false" });
  });
});

describe("fromContactListFilters", () => {
  it("reads a saved view's query back into the filter bar, round-tripping toContactListFilters", () => {
    const query = { q: "王", "ownerId[in]": ["u1", "u2"], isPrimary: "true", isDecisionMaker: "true", "title[contains]": "经理", "email[empty]": "false", "cf.region[in]": "north,south" };
    const filters = fromContactListFilters(query);
    expect({ ...filters, conditions: filters.conditions.map(({ field, op, value }) => ({ field, op, value })) }).toEqual({
      q: "王",
      ownerIds: ["u1", "u2"],
      primaryOnly: true,
      decisionMakersOnly: true,
      conditions: [
        { field: "title", op: "contains", value: "经理" },
        { field: "email", op: "notEmpty", value: "false" },
        { field: "cf.region", op: "in", value: ["north", "south"] },
      ],
    });
    expect(toContactListFilters(filters)).toEqual({ ...query, "cf.region[in]": ["north", "south"] });
    expect(fromContactListFilters({})).toEqual(EMPTY_CONTACT_FILTERS);
  });
});
