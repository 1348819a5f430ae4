import { describe, expect, it } from "vitest";
import { runPercent } from "./run-progress";

describe("import progress percent", () => {
  it("counts rows, then the indexing stage on its own scale", () => {
    const base = { status: "running" as const, total: 1000, processed: 250, stage: "rows" as const, indexed: null, toIndex: null };
    expect(runPercent(base)).toBe(25);
    // All rows written, indexing a third done: the bar restarts for the second stage.
    expect(runPercent({ ...base, processed: 1000, stage: "indexing", indexed: 300, toIndex: 900 })).toBe(33);
    expect(runPercent({ ...base, processed: 1000, stage: "indexing", indexed: 0, toIndex: 0 })).toBe(0);
    // Unknown total (still counting the file): 0 while running, 100 when done.
    expect(runPercent({ ...base, total: null, stage: null })).toBe(0);
    expect(runPercent({ ...base, status: "done", total: null, stage: null })).toBe(100);
    expect(runPercent({ ...base, processed: 1200 })).toBe(100);
  });
});
