import { describe, expect, it } from "vitest";
import { decodeRecordFilters, encodeRecordFilters, recordsQuery } from "./follow-up-records";

const none = { q: "", from: null, to: null, types: [], ownerIds: [], entities: [] };
const owner = "01a20f15-25b1-7303-a94c-8b1aa992710c";

describe("follow-up record filters", () => {
  it("round-trips through the URL and leaves an unfiltered page with a bare one", () => {
    expect(encodeRecordFilters(none).toString()).toBe("");
    const filters = { q: "报价", from: "2026-11-01", to: "2026-11-30", types: ["call", "visit"], ownerIds: [owner], entities: ["deal" as const] };
    expect(decodeRecordFilters(encodeRecordFilters(filters))).toEqual(filters);
  });

  it("drops what is not a day from the URL instead of sending it", () => {
    expect(decodeRecordFilters(new URLSearchParams("from=yesterday&to=2026-1-5&type=,call,"))).toEqual({ ...none, types: ["call"] });
  });

  it("asks the API for the user's whole days as instants, types and authors as lists", () => {
    const query = recordsQuery({ ...none, q: "  报价 ", from: "2026-11-01", to: "2026-11-30", types: ["call", "visit"], ownerIds: [owner] });
    expect(query).toEqual({
      q: "报价",
      "createdAt[gte]": new Date(2026, 10, 1, 0, 0, 0, 0).toISOString(),
      "createdAt[lte]": new Date(2026, 10, 30, 23, 59, 59, 999).toISOString(),
      "type[in]": "call,visit",
      "ownerId[in]": owner,
    });
    expect(recordsQuery(none)).toEqual({});
  });

  it("filters on what the follow-ups are about, keeping only known kinds from the URL", () => {
    const filters = decodeRecordFilters(new URLSearchParams("about=deal,lead,bogus"));
    expect(filters.entities).toEqual(["deal", "lead"]);
    expect(encodeRecordFilters(filters).toString()).toBe("about=deal%2Clead");
    expect(recordsQuery(filters)).toEqual({ "entity[in]": "deal,lead" });
  });
});
