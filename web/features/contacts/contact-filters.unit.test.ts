import { describe, expect, it } from "vitest";
import {
  contactListFromUrl,
  type ContactListState,
  contactListToUrl,
  DEFAULT_CONTACT_SORT,
  EMPTY_CONTACT_FILTERS,
  fromContactListFilters,
  toContactListFilters,
} from "./contact-filters";

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

describe("contacts list URL", () => {
  it("round-trips the filters, sort and bin through a URL string", () => {
    const state: ContactListState = {
      filters: { q: "王", ownerIds: ["u1", "u2"], primaryOnly: true, decisionMakersOnly: false, conditions: [{ id: "a", field: "title", op: "contains", value: "经理" }] },
      sort: "name",
      viewId: null,
      deleted: true,
    };
    const search = contactListToUrl(state).toString();
    expect(search).toBe("q=%E7%8E%8B&ownerId%5Bin%5D=u1&ownerId%5Bin%5D=u2&isPrimary=true&title%5Bcontains%5D=%E7%BB%8F%E7%90%86&sort=name&bin=1");
    const back = contactListFromUrl(new URLSearchParams(search));
    expect({ ...back, filters: { ...back.filters, conditions: back.filters.conditions.map(({ field, op, value }) => ({ field, op, value })) } }).toEqual({
      ...state,
      filters: { ...state.filters, conditions: [{ field: "title", op: "contains", value: "经理" }] },
    });
  });

  it("falls back to the defaults for a URL it cannot read", () => {
    expect(contactListFromUrl(new URLSearchParams("sort=%3Cb%3E&bin=true&view="))).toEqual({ filters: EMPTY_CONTACT_FILTERS, sort: DEFAULT_CONTACT_SORT, viewId: null, deleted: false });
  });
});
