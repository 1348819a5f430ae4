import { describe, expect, it } from "vitest";
import { matchRanges } from "./highlight";

describe("matchRanges", () => {
  it("finds the term case-insensitively, and spaced phone digits in a number written without spaces", () => {
    expect(matchRanges("Acme Co, acme", "ACME")).toEqual([
      [0, 4],
      [9, 13],
    ]);
    expect(matchRanges("13800131000 · info@x.com", "138 0013")).toEqual([[0, 7]]);
    expect(matchRanges("138-0013-1000", "0013 1000")).toEqual([[4, 13]]);
    expect(matchRanges("张三", "")).toEqual([]);
    expect(matchRanges("no digits", "1 2")).toEqual([]);
  });
});
