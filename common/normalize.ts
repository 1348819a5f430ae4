/**
 * Normalisation for duplicate detection: two values that a person would call "the same" get the
 * same key. Used on every write and by import, so keys are stored and indexed.
 */

/** Digits only; +86 / 0086 country prefixes dropped, so 138-1234-5678 = +86 13812345678. */
export function phoneKey(value: string | null | undefined): string | null {
  if (!value) {
    return null;
  }
  let digits = value.replace(/\D+/g, '');
  if (digits.startsWith('0086')) {
    digits = digits.slice(4);
  } else if (digits.startsWith('86') && digits.length === 13) {
    digits = digits.slice(2);
  }
  return digits.length >= 5 ? digits : null;
}

export function emailKey(value: string | null | undefined): string | null {
  if (!value) {
    return null;
  }
  const trimmed = value.trim().toLowerCase();
  return trimmed.includes('@') ? trimmed : null;
}

// Longest first, so 股份有限公司 is removed before 有限公司.
const companySuffixes = [
  '股份有限公司',
  '有限责任公司',
  '集团有限公司',
  '有限公司',
  '集团公司',
  '分公司',
  '集团',
  '公司',
  'corporation',
  'incorporated',
  'company',
  'limited',
  'co ltd',
  'coltd',
  'gmbh',
  'corp',
  'inc',
  'llc',
  'ltd',
  'plc',
  'co',
];

/**
 * Company names ignoring case, width, spaces, punctuation and legal suffixes:
 * "ACME Co., Ltd." = "acme" = "Ａｃｍｅ 有限公司".
 */
export function companyKey(value: string | null | undefined): string {
  if (!value) {
    return '';
  }
  // NFKC folds full-width letters and digits to ASCII.
  let key = value.normalize('NFKC').toLowerCase();
  key = key.replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  let changed = true;
  while (changed) {
    changed = false;
    for (const suffix of companySuffixes) {
      if (key.endsWith(suffix) && key.length > suffix.length) {
        const before = key.slice(0, -suffix.length);
        // Latin suffixes only as whole words ("disco" keeps its "co").
        if (/^[a-z ]+$/.test(suffix) && !/[\s\p{Script=Han}]$/u.test(before)) {
          continue;
        }
        key = before.trim();
        changed = true;
      }
    }
  }
  return key.replace(/\s+/g, '');
}
