/**
 * Contract numbering rules: a pattern with date tokens and one sequence, e.g. `HT-{yyyyMMdd}-{seq}`
 * → HT-20261123-0001. Pure functions (unit-tested); the counter lives in number_sequences.
 */
export type NumberReset = 'day' | 'month' | 'year' | 'never';

export interface NumberRule {
  pattern: string;
  reset: NumberReset;
}

export const defaultContractRule: NumberRule = { pattern: 'HT-{yyyyMMdd}-{seq:4}', reset: 'day' };

const tokenPattern = /\{([A-Za-z]+)(?::(\d{1,2}))?\}/g;
const dateTokens = new Set(['yyyy', 'yy', 'MM', 'dd', 'yyyyMMdd', 'yyyyMM']);

/** Problems with a pattern, or an empty list: literal text of letters, digits and - _ / . #, date tokens, one {seq} or {seq:N} (N 1–12). */
export function checkPattern(pattern: string): string[] {
  const problems: string[] = [];
  let seqCount = 0;
  for (const match of pattern.matchAll(tokenPattern)) {
    const [, name = '', width] = match;
    if (name === 'seq') {
      seqCount += 1;
      if (width !== undefined && (Number(width) < 1 || Number(width) > 12)) {
        problems.push('{seq:N} needs N between 1 and 12');
      }
    } else if (!dateTokens.has(name) || width !== undefined) {
      problems.push(`unknown token {${name}${width === undefined ? '' : `:${width}`}}`);
    }
  }
  if (seqCount !== 1) {
    problems.push('the pattern needs exactly one {seq} or {seq:N}');
  }
  const literal = pattern.replace(tokenPattern, '');
  if (!/^[\w\-/.#]*$/.test(literal)) {
    problems.push('literal text may only hold letters, digits and - _ / . #');
  }
  return problems;
}

/** The calendar date (in the workspace's time zone) as its parts. */
export function dateParts(at: Date, timeZone: string): { yyyy: string; MM: string; dd: string } {
  let text: string;
  try {
    text = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    text = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  }
  const [yyyy = '0000', MM = '01', dd = '01'] = text.split('-');
  return { yyyy, MM, dd };
}

/** The counter a number belongs to: '' (never resets), 2026, 202611 or 20261123. */
export function periodOf(reset: NumberReset, parts: { yyyy: string; MM: string; dd: string }): string {
  switch (reset) {
    case 'day':
      return `${parts.yyyy}${parts.MM}${parts.dd}`;
    case 'month':
      return `${parts.yyyy}${parts.MM}`;
    case 'year':
      return parts.yyyy;
    case 'never':
      return '';
  }
}

/** The pattern with its tokens filled in; the sequence is zero-padded to its width (default 4), never cut. */
export function formatNumber(pattern: string, parts: { yyyy: string; MM: string; dd: string }, seq: number): string {
  return pattern.replace(tokenPattern, (_all, name: string, width: string | undefined) => {
    switch (name) {
      case 'seq':
        return String(seq).padStart(width === undefined ? 4 : Number(width), '0');
      case 'yyyy':
        return parts.yyyy;
      case 'yy':
        return parts.yyyy.slice(-2);
      case 'MM':
        return parts.MM;
      case 'dd':
        return parts.dd;
      case 'yyyyMMdd':
        return `${parts.yyyy}${parts.MM}${parts.dd}`;
      case 'yyyyMM':
        return `${parts.yyyy}${parts.MM}`;
      default:
        return '';
    }
  });
}
