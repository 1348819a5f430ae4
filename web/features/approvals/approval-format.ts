import { formatMoney, parseMoney } from "../../../common/money";

/** 123456 → "1,234.56" (cents as a grouped decimal string; exact, no floating point). */
export function formatCents(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) {
    return "—";
  }
  const [whole = "0", fraction = "00"] = formatMoney(cents).split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = whole.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${digits}.${fraction}`;
}

/** An API amount ("1234.50") shown grouped ("1,234.50"); "—" when absent (hidden or no bound). */
export function formatAmount(value: string | null | undefined): string {
  if (value === null || value === undefined) {
    return "—";
  }
  const cents = parseMoney(value);
  return cents === null ? value : formatCents(cents);
}

/** What a user typed ("1,234.5") as the API's decimal string ("1234.50"); null for text that is not an amount. */
export function toApiMoney(text: string | null | undefined): string | null {
  const cents = parseCents(text);
  return cents === null ? null : formatMoney(cents);
}

/** "1234.5" → 123450; null for text that is not an amount. */
export function parseCents(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text.trim() === "") {
    return null;
  }
  return parseMoney(text);
}

export const instanceStatusColor: Record<string, string> = {
  pending: "processing",
  approved: "success",
  rejected: "error",
  withdrawn: "default",
};
