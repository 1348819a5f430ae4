/** Timeline kinds about deals, contracts and payments: their entries carry an amount. */
export function isMoneyKind(kind: string): boolean {
  return /^(deal_(created|won|lost|invalid)|contract_[a-z]+|payment_[a-z]+)$/.test(kind);
}

export function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * An API amount ("1234.50", a decimal string) in the workspace currency, e.g. "¥1,234.50".
 * Amounts have at most 13 integer digits, so the number is exact; an unexpected value is shown as is.
 */
export function formatCurrency(value: string, currency: string, language: string): string {
  if (!/^-?\d{1,13}(\.\d{1,2})?$/.test(value)) {
    return value;
  }
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency }).format(Number(value));
  } catch {
    return value;
  }
}
