/** The merge's `address` is the four address columns together: shown as one line, like an envelope. */
export function addressText(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return value;
  }
  const parts = ["province", "city", "district", "address"].map((key) => (value as Record<string, unknown>)[key]);
  return parts.filter((part): part is string => typeof part === "string" && part.trim() !== "").join(" ");
}
