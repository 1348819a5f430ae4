import { describe, expect, it } from "vitest";
import { DEFAULT_LEAD_SORT, EMPTY_LEAD_FILTERS, fromViewFilters, leadListFromUrl, type LeadListState, leadListToUrl, OWNER_ME, toViewFilters } from "./lead-view";

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

describe("lead list URL", () => {
  it("round-trips the filters, with 'mine' as ownerId=me so a shared link shows each person their own", () => {
    const state: LeadListState = { filters: { q: "展会", status: ["new", "contacted"], source: "expo", mine: true }, sort: "name", viewId: "v1", deleted: false };
    const search = leadListToUrl(state).toString();
    expect(search).toBe("q=%E5%B1%95%E4%BC%9A&status%5Bin%5D=new&status%5Bin%5D=contacted&source=expo&ownerId=me&sort=name&view=v1");
    expect(leadListFromUrl(new URLSearchParams(search), "user-b")).toEqual(state);
    expect(leadListToUrl({ filters: EMPTY_LEAD_FILTERS, sort: DEFAULT_LEAD_SORT, viewId: null, deleted: false }).toString()).toBe("");
  });

  it("keeps the to-do center's ?mine=open link and drops statuses that do not exist", () => {
    expect(leadListFromUrl(new URLSearchParams("mine=open"), "u1").filters).toEqual({ q: "", status: ["new", "contacted", "qualified"], source: null, mine: true });
    expect(leadListFromUrl(new URLSearchParams("status[in]=new,bogus&bin=1&sort=-x;y"), "u1")).toEqual({
      filters: { ...EMPTY_LEAD_FILTERS, status: ["new"] },
      sort: DEFAULT_LEAD_SORT,
      viewId: null,
      deleted: true,
    });
  });
});
