import { describe, expect, it } from "vitest";
import { formatCurrency, isMoneyKind } from "./timeline-money";

describe("timeline money", () => {
  it("shows the API's decimal strings in the workspace currency, exactly", () => {
    expect(formatCurrency("1234.50", "CNY", "zh-CN")).toBe("¥1,234.50");
    expect(formatCurrency("1234.50", "USD", "en-US")).toBe("$1,234.50");
    expect(formatCurrency("0.05", "CNY", "en-US")).toBe("CN¥0.05");
    expect(formatCurrency("-19.99", "CNY", "zh-CN")).toBe("-¥19.99");
    // The largest amount the API carries keeps its cents.
    expect(formatCurrency("9999999999999.99", "USD", "en-US")).toBe("$9,999,999,999,999.99");
    // Anything else is shown as it came (never "NaN").
    expect(formatCurrency("12abc", "CNY", "en-US")).toBe("12abc");
    expect(formatCurrency("5.00", "NOT-A-CURRENCY", "en-US")).toBe("5.00");
  });

  it("knows which kinds carry an amount", () => {
    for (const kind of ["deal_created", "deal_won", "deal_lost", "deal_invalid", "contract_created", "contract_voided", "payment_recorded", "payment_deleted"]) {
      expect(isMoneyKind(kind), kind).toBe(true);
    }
    for (const kind of ["deal_stage_changed", "deal_reopened", "deal_owner_change", "lead_converted", "field_change", "comment"]) {
      expect(isMoneyKind(kind), kind).toBe(false);
    }
  });
});
