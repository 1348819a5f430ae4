import { describe, expect, it } from "vitest";
import { EMPTY_LEAD_FILTERS, fromViewFilters, OWNER_ME, toViewFilters } from "./lead-view";

describe("lead list saved views", () => {
  it("saves the filters under the list query's keys, with 'mine' as ownerId=me", () => {
    expect(toViewFilters(EMPTY_LEAD_FILTERS)).toEqual({});
    expect(toViewFilters({ q: " 展会 ", status: ["new", "contacted"], source: "exhibition", mine: true })).toEqual({
      q: "展会",
      "status[in]": ["new", "contacted"],
      source: "exhibition",
      ownerId: OWNER_ME,
    });
  });

  it("reads them back for whoever applies the view", () => {
    const saved = toViewFilters({ q: "展会", status: ["qualified"], source: null, mine: true });
    expect(fromViewFilters(saved, "user-b")).toEqual({ q: "展会", status: ["qualified"], source: null, mine: true });
    // A comma list (as typed into the API) and another user's id (not "mine") are understood too.
    expect(fromViewFilters({ "status[in]": "new, contacted", ownerId: "user-a" }, "user-b")).toEqual({ q: "", status: ["new", "contacted"], source: null, mine: false });
    expect(fromViewFilters({ ownerId: "user-b" }, "user-b").mine).toBe(true);
  });
});
