/**
 * How text is normalised for the search index and for queries, in one place so both sides agree.
 * Pure functions: the index writer stores their output, the query side applies them to `q`.
 */

/** Queries of this many characters or more use the trigram index; shorter ones the n-gram index. */
export const trigramMinLength = 3;

/** Case-, width- and space-insensitive form: NFKC folds full-width letters and digits, then lower case. */
export function foldText(value: string | null | undefined): string {
  if (!value) {
    return '';
  }
  return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Digits of a phone number as typed anywhere in it (138-1234-5678 → 13812345678). */
export function phoneDigits(value: string | null | undefined): string {
  return value ? value.replace(/\D+/g, '') : '';
}

/** Length in characters (code points), not UTF-16 units: a rare CJK character counts once. */
export function charLength(value: string): number {
  let n = 0;
  for (const _ of value) {
    n += 1;
  }
  return n;
}

const wordRun = /[\p{L}\p{N}]+/gu;

/**
 * The 1- and 2-character n-grams of a folded text, inside runs of letters and digits (a gram
 * never spans a space or punctuation, and neither can a 1–2 character query that finds it).
 * FTS5 trigram cannot answer queries shorter than 3 characters, and neither can pg_trgm for a
 * substring in the middle of a word, so these grams are indexed on their own.
 */
export function shortGrams(...texts: readonly string[]): string[] {
  const grams = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(wordRun)) {
      const chars = Array.from(match[0]);
      for (let i = 0; i < chars.length; i += 1) {
        const one = chars[i] as string;
        grams.add(one);
        const next = chars[i + 1];
        if (next !== undefined) {
          grams.add(one + next);
        }
      }
    }
  }
  return [...grams];
}

const tokenCache = new Map<string, string>();

/**
 * A gram as one opaque ASCII token (code points in hex joined by "x"), so a full-text
 * tokenizer can never split or fold it: 张三 → 5f20x4e09.
 */
export function gramToken(gram: string): string {
  let token = tokenCache.get(gram);
  if (token === undefined) {
    token = Array.from(gram, (c) => (c.codePointAt(0) ?? 0).toString(16)).join('x');
    // Bulk indexing asks for the same few thousand grams over and over; keep the cache bounded.
    if (tokenCache.size >= 200_000) {
      tokenCache.clear();
    }
    tokenCache.set(gram, token);
  }
  return token;
}

/** Whether a short query can be answered from the n-gram index (letters and digits only). */
export function isGram(value: string): boolean {
  return charLength(value) < trigramMinLength && /^[\p{L}\p{N}]+$/u.test(value);
}

export interface SearchQuery {
  /** The folded text, matched as a substring of names, company and email. */
  text: string;
  /** The digits when the query looks like (part of) a phone number and has at least 3 of them. */
  digits: string | null;
  /** Short queries match names and company through the n-gram index only. */
  short: boolean;
}

/** Reads `q`; null when there is nothing to search for. */
export function parseSearchQuery(q: string | null | undefined): SearchQuery | null {
  const text = foldText(q).slice(0, 100);
  if (text === '') {
    return null;
  }
  const digits = /^[\d\s+().-]+$/.test(text) ? phoneDigits(text) : '';
  return { text, digits: digits.length >= trigramMinLength ? digits : null, short: charLength(text) < trigramMinLength };
}

/** A string as one FTS5 phrase ("…" with inner quotes doubled): never parsed as query syntax. */
export function ftsPhrase(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}
