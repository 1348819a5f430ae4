/** Pure arithmetic of targets: periods, proration and percentages (all in integer cents). */

/** A year total spread over 12 months; the cent remainder goes to the last months, so the sum is exact. */
export function spreadYear(totalCents: number): number[] {
  const base = Math.floor(totalCents / 12);
  const remainder = totalCents - base * 12;
  return Array.from({ length: 12 }, (_v, i) => base + (i >= 12 - remainder ? 1 : 0));
}

const pad = (n: number) => String(n).padStart(2, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function monthRange(year: number, month: number): { from: string; to: string } {
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(daysInMonth(year, month))}` };
}

export interface PeriodInput {
  period: 'month' | 'quarter' | 'year' | 'custom';
  year?: number | undefined;
  month?: number | undefined;
  quarter?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The inclusive date range of a period; missing parts default to the one containing `today`. */
export function periodRange(input: PeriodInput, today: string): { from: string; to: string } {
  const year = input.year ?? Number(today.slice(0, 4));
  const currentMonth = Number(today.slice(5, 7));
  switch (input.period) {
    case 'month':
      return monthRange(year, input.month ?? currentMonth);
    case 'quarter': {
      const q = input.quarter ?? Math.ceil(currentMonth / 3);
      return { from: monthRange(year, q * 3 - 2).from, to: monthRange(year, q * 3).to };
    }
    case 'year':
      return { from: `${year}-01-01`, to: `${year}-12-31` };
    case 'custom':
      return { from: input.from ?? today, to: input.to ?? today };
  }
}

/** Years a range touches. */
export function yearsOf(from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y += 1) {
    years.push(y);
  }
  return years;
}

/**
 * The target of a date range: whole months count fully; a month the range covers only in part
 * counts in proportion to its days (a custom range of 1–15 June gets half of June's target).
 */
export function targetForRange(monthsOfYear: (year: number) => readonly number[] | undefined, from: string, to: string): number {
  let total = 0;
  for (const year of yearsOf(from, to)) {
    const months = monthsOfYear(year);
    if (!months) {
      continue;
    }
    for (let month = 1; month <= 12; month += 1) {
      const value = months[month - 1] ?? 0;
      if (value === 0) {
        continue;
      }
      const range = monthRange(year, month);
      const start = from > range.from ? from : range.from;
      const end = to < range.to ? to : range.to;
      if (start > end) {
        continue;
      }
      const days = Number(end.slice(8, 10)) - Number(start.slice(8, 10)) + 1;
      const dim = daysInMonth(year, month);
      total += days === dim ? value : (value * days) / dim;
    }
  }
  return Math.round(total);
}

/** actual / target in percent with two decimals; null when there is no target. */
export function percentOf(actualCents: number, targetCents: number): number | null {
  if (targetCents <= 0) {
    return null;
  }
  return Math.round((actualCents * 10000) / targetCents) / 100;
}
