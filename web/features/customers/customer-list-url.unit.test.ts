import { describe, expect, it } from "vitest";
import { customerListFromUrl, customerListToUrl, type CustomerListState } from "./customer-list-url";
import { EMPTY_FILTERS } from "./list-query";

const conditionsOf = (state: CustomerListState) => state.filters.conditions.map(({ field, op, value }) => ({ field, op, value }));

describe("customers list URL", () => {
  it("survives the round trip through a URL string (Back, reload, a shared link)", () => {
    const state: CustomerListState = {
      filters: {
        ...EMPTY_FILTERS,
        q: "科技",
        ownerIds: ["u1"],
        levels: ["A", "B"],
        tagIds: ["t1"],
        createdFrom: "2026-01-01",
        conditions: [
          { id: "1", field: "cf.employees", op: "gt", value: "300" },
          { id: "2", field: "phone", op: "notEmpty", value: "" },
          { id: "3", field: "cf.region", op: "in", value: ["east"] },
        ],
      },
      sort: "name",
      viewId: "v1",
      deleted: false,
    };
    const href = `/customers?${customerListToUrl(state).toString()}`;
    const back = customerListFromUrl(new URL(href, "http://crm.test").searchParams);
    expect({ ...back, filters: { ...back.filters, conditions: [] } }).toEqual({ ...state, filters: { ...state.filters, conditions: [] } });
    expect(conditionsOf(back)).toEqual([
      { field: "cf.employees", op: "gt", value: "300" },
      { field: "phone", op: "notEmpty", value: "false" },
      { field: "cf.region", op: "in", value: ["east"] },
    ]);
  });

  it("opens the bin newest-deleted first without writing that sort", () => {
    const state: CustomerListState = { filters: EMPTY_FILTERS, sort: "-deletedAt", viewId: null, deleted: true };
    expect(customerListToUrl(state).toString()).toBe("bin=1");
    expect(customerListFromUrl(new URLSearchParams("bin=1"))).toMatchObject({ sort: "-deletedAt", deleted: true });
  });

  it("drops unknown stages and unreadable dates", () => {
    const state = customerListFromUrl(new URLSearchParams("lifecycleStage=intent&lifecycleStage=bogus&createdAt[gte]=soon&createdAt[lte]=2026-03-01"));
    expect(state.filters).toMatchObject({ stages: ["intent"], createdFrom: null, createdTo: "2026-03-01" });
  });
});
