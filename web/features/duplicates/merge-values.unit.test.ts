import { describe, expect, it } from "vitest";
import { addressText } from "./merge-values";

describe("addressText", () => {
  it("shows a merge's address columns as one line, leaving out the empty ones", () => {
    expect(addressText({ province: "上海市", city: "上海市", district: null, address: "1号" })).toBe("上海市 上海市 1号");
    expect(addressText({ province: null, city: "", district: null, address: null })).toBe("");
    expect(addressText(null)).toBeNull();
    expect(addressText("plain")).toBe("plain");
  });
});
