import type { PaymentFilter } from "./payments-api";

/**
 * The payment list's filter in the export's terms (POST /exports `filter`, the payment list spec's
 * keys), so the file holds the rows on screen. The list's keys are the spec's own names; empty
 * ones are left out (an empty filter would be a 400).
 */
export function paymentExportFilter(filter: PaymentFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ["contractId", "customerId", "status"] as const) {
    const value = filter[key]?.trim();
    if (value) {
      out[key] = value;
    }
  }
  return out;
}
