import { describe, expect, it } from "vitest";
import { contractExportFilter } from "./contract-export-filter";

describe("contract export filter", () => {
  it("uses the list spec's keys for the list's filters and leaves out empty ones", () => {
    expect(contractExportFilter({}, "2026-03-10")).toEqual({});
    expect(contractExportFilter({ q: " 框架 ", status: "pending", signFrom: "2026-01-01", signTo: "2026-03-31", customerId: "c1", dealId: "" }, "2026-03-10")).toEqual({
      q: "框架",
      status: "pending",
      "signDate[gte]": "2026-01-01",
      "signDate[lte]": "2026-03-31",
      customerId: "c1",
    });
  });

  it("spells out 'expiring within N days' as approved with an end date from today to today + N", () => {
    expect(contractExportFilter({ expiringWithin: "30" }, "2026-12-15")).toEqual({ status: "approved", "endDate[gte]": "2026-12-15", "endDate[lte]": "2027-01-14" });
    expect(contractExportFilter({ expiringWithin: "soon" }, "2026-12-15")).toEqual({});
  });
});
