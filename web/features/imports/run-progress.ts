import type { ImportJob } from "./imports-api";

/**
 * The progress bar's percent: rows processed of the file's rows, then — in the indexing stage that
 * follows the rows on SQLite — records indexed of those to index, so the bar does not sit at 100 %
 * while the import is still making a million records searchable.
 */
export function runPercent(job: Pick<ImportJob, "status" | "total" | "processed" | "stage" | "indexed" | "toIndex">): number {
  if (job.stage === "indexing") {
    return job.toIndex ? Math.min(100, Math.floor(((job.indexed ?? 0) / job.toIndex) * 100)) : 0;
  }
  if (!job.total) {
    return job.status === "done" ? 100 : 0;
  }
  return Math.min(100, Math.floor((job.processed / job.total) * 100));
}
