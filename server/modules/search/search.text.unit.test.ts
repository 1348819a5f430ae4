import { describe, expect, it } from 'vitest';
import { charLength, foldText, ftsPhrase, gramToken, isGram, parseSearchQuery, phoneDigits, shortGrams } from './search.text';

describe('search text', () => {
  it('folds case, width and spaces', () => {
    expect(foldText('  ＡＣＭＥ　Trading\tCo ')).toBe('acme trading co');
    expect(foldText('张三丰')).toBe('张三丰');
    expect(foldText(null)).toBe('');
  });

  it('reads phone digits from any formatting', () => {
    expect(phoneDigits('+86 (138) 1234-5678')).toBe('8613812345678');
    expect(phoneDigits(undefined)).toBe('');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(charLength('𠀋张')).toBe(2);
    expect('𠀋张'.length).toBe(3);
  });

  it('makes 1- and 2-character grams inside runs of letters and digits only', () => {
    expect(shortGrams('张三丰').sort()).toEqual(['三', '三丰', '丰', '张', '张三'].sort());
    expect(shortGrams('a b', '李-四').sort()).toEqual(['a', 'b', '四', '李'].sort());
    expect(shortGrams('𠀋张')).toContain('𠀋张');
    expect(shortGrams('')).toEqual([]);
  });

  it('turns a gram into one opaque ASCII token', () => {
    expect(gramToken('张三')).toBe('5f20x4e09');
    expect(gramToken('a')).toBe('61');
    expect(/^[0-9a-fx]+$/.test(gramToken('𠀋'))).toBe(true);
  });

  it('parses queries: text, phone digits when it looks like a number, short or not', () => {
    expect(parseSearchQuery('张')).toEqual({ text: '张', digits: null, short: true });
    expect(parseSearchQuery('张三')).toEqual({ text: '张三', digits: null, short: true });
    expect(parseSearchQuery(' 138-1234 ')).toEqual({ text: '138-1234', digits: '1381234', short: false });
    expect(parseSearchQuery('12')).toEqual({ text: '12', digits: null, short: true });
    expect(parseSearchQuery('abc123')).toEqual({ text: 'abc123', digits: null, short: false });
    expect(parseSearchQuery('   ')).toBeNull();
    expect(parseSearchQuery(undefined)).toBeNull();
  });

  it('knows which short queries the n-gram index can answer', () => {
    expect(isGram('张三')).toBe(true);
    expect(isGram('a1')).toBe(true);
    expect(isGram('a.')).toBe(false);
    expect(isGram('abc')).toBe(false);
  });

  it('quotes FTS5 phrases', () => {
    expect(ftsPhrase('say "hi"')).toBe('"say ""hi"""');
  });
});
