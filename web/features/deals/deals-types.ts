import { formatMoney, parseMoney } from "../../../common/money";

export const DEAL_STATUSES = ["open", "won", "lost", "invalid"] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];
export type ClosedStatus = Exclude<DealStatus, "open">;

export interface DealLine {
  id: string;
  productId: string | null;
  name: string;
  unit: string | null;
  /** Money is a decimal string with two digits ("1234.50"), in the workspace currency. */
  price: string;
  quantity: number;
  discountPercent: number;
  amount: string;
}

export interface Deal {
  id: string;
  name: string;
  customerId: string;
  customerName: string | null;
  contactId: string | null;
  contactName: string | null;
  leadId: string | null;
  pipelineId: string;
  stageId: string;
  stageName: string | null;
  winProbability: number | null;
  amount?: string;
  currency: string;
  expectedCloseDate?: string | null;
  status: DealStatus;
  lostReason?: string | null;
  ownerId?: string | null;
  ownerName?: string | null;
  source?: string | null;
  remark?: string | null;
  stageEnteredAt: string;
  lastFollowupAt: string | null;
  nextFollowupAt: string | null;
  closedAt: string | null;
  tags?: { id: string; name: string; color: string }[];
  custom: Record<string, unknown>;
  access: { edit: boolean; delete: boolean; transfer: boolean };
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  version: number;
}

export interface StageHistoryEntry {
  id: string;
  stageId: string;
  stageName: string | null;
  pipelineId: string;
  enteredAt: string;
  leftAt: string | null;
  exitKind: string | null;
  durationMs: number;
}

export interface DealDetail extends Deal {
  lines?: DealLine[];
  stageHistory: StageHistoryEntry[];
}

export interface DealPage {
  data: Deal[];
  nextCursor: string | null;
  total?: number;
}

export interface BoardColumn {
  stageId: string;
  name: string;
  winProbability: number;
  count: number;
  amount?: string;
  deals: Deal[];
  nextCursor: string | null;
}

export interface Board {
  pipelineId: string;
  pipelineName: string;
  columns: BoardColumn[];
}

export interface LineInput {
  productId?: string | null;
  name?: string;
  unit?: string | null;
  price?: string;
  quantity: number;
  discountPercent?: number;
}

export interface DealInput {
  name?: string;
  customerId?: string;
  contactId?: string | null;
  pipelineId?: string;
  stageId?: string;
  amount?: string;
  expectedCloseDate?: string | null;
  source?: string | null;
  remark?: string | null;
  ownerId?: string | null;
  lines?: LineInput[];
  /** Custom field values by key; null clears one. */
  custom?: Record<string, string | number | boolean | string[] | null>;
}

/** Money in cents shown with two decimals and grouping (the workspace has one currency). */
export function formatCents(cents: number | undefined | null): string {
  if (cents === undefined || cents === null) {
    return "—";
  }
  const negative = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const whole = Math.floor(abs / 100).toLocaleString("en-US");
  return `${negative ? "-" : ""}${whole}.${String(abs % 100).padStart(2, "0")}`;
}

/** An API amount ("1234.50") shown with grouping ("1,234.50"); "—" when hidden. */
export function formatAmount(value: string | undefined | null): string {
  if (value === undefined || value === null) {
    return "—";
  }
  const cents = parseMoney(value);
  return cents === null ? value : formatCents(cents);
}

/** An API amount in cents (0 when hidden), for sums computed in the browser. */
export function centsOf(value: string | undefined | null): number {
  return value === undefined || value === null ? 0 : (parseMoney(value) ?? 0);
}

/** A form amount in yuan (an InputNumber with two decimals) in cents. */
export function toCents(yuan: number | undefined | null): number {
  return Math.round((yuan ?? 0) * 100);
}

/** A form amount in yuan as the API's decimal string ("1234.50"). */
export function toMoney(yuan: number | undefined | null): string {
  return formatMoney(toCents(yuan));
}

/** An API amount ("1234.50") as the form's yuan number. */
export function fromMoney(value: string | undefined | null): number {
  return centsOf(value) / 100;
}

/** Same rule as the server: round(price × quantity × (100 − discount) / 100), half up. */
export function lineAmount(priceCents: number, quantity: number, discountPercent: number): number {
  const milli = Math.round(quantity * 1000);
  const keep = 10_000 - Math.round(discountPercent * 100);
  return Math.round((priceCents * milli * keep) / 10_000_000);
}
