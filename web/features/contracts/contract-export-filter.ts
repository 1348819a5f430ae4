import type { ContractListFilter } from "./contracts-api";

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The contract list's filter in the export's terms (POST /exports `filter`: the list spec's
 * `field` / `field[op]` keys), so the file holds the rows on screen. `expiringWithin` is a list
 * shortcut the export does not know; it is spelled out as the list defines it (approved, end date
 * from today to today + N), with `today` the caller's date.
 */
export function contractExportFilter(filter: ContractListFilter, today: string): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== "") {
      out[key] = value.trim();
    }
  };
  put("q", filter.q);
  put("status", filter.status);
  put("signDate[gte]", filter.signFrom);
  put("signDate[lte]", filter.signTo);
  put("customerId", filter.customerId);
  put("dealId", filter.dealId);
  const days = Number(filter.expiringWithin);
  if (filter.expiringWithin !== undefined && Number.isInteger(days) && days >= 0) {
    out.status = "approved";
    out["endDate[gte]"] = today;
    out["endDate[lte]"] = addDays(today, days);
  }
  return out;
}
