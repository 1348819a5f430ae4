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

/** "1234.5" → 123450; null for text that is not an amount. */
export function parseCents(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text.trim() === "") {
    return null;
  }
  return parseMoney(text);
}

/** 123450 → "1234.50" for an input field. */
export function centsToInput(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? "" : formatMoney(cents);
}

export const instanceStatusColor: Record<string, string> = {
  pending: "processing",
  approved: "success",
  rejected: "error",
  withdrawn: "default",
};
