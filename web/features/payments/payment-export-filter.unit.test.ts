import { describe, expect, it } from "vitest";
import { paymentExportFilter } from "./payment-export-filter";

describe("payment export filter", () => {
  it("maps the list's customer, contract and status filters to the export's keys and leaves out empty ones", () => {
    expect(paymentExportFilter({})).toEqual({});
    expect(paymentExportFilter({ customerId: "c1", status: "approved" })).toEqual({ customerId: "c1", status: "approved" });
    expect(paymentExportFilter({ contractId: "k1", customerId: "" })).toEqual({ contractId: "k1" });
  });
});
