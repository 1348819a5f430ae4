import { describe, expect, it } from 'vitest';
import { locales, pickLocale } from './locale';

describe('pickLocale', () => {
  it('falls back to English without a header', () => {
    expect(pickLocale(undefined)).toBe('en');
    expect(pickLocale(null)).toBe('en');
    expect(pickLocale('')).toBe('en');
  });

  it('maps every Chinese tag to zh-CN and every English tag to en, case-insensitively', () => {
    for (const header of ['zh-CN', 'zh', 'zh-Hans-CN', 'zh-TW', 'ZH-cn']) {
      expect(pickLocale(header), header).toBe('zh-CN');
    }
    for (const header of ['en', 'en-US', 'en-GB', 'EN']) {
      expect(pickLocale(header), header).toBe('en');
    }
  });

  it('takes the first supported language of a browser header', () => {
    expect(pickLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLocale('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(pickLocale('fr-FR, de;q=0.9, zh;q=0.8, en;q=0.7')).toBe('zh-CN');
  });

  it('honours q-values over list order', () => {
    expect(pickLocale('en;q=0.1, zh-CN;q=0.9')).toBe('zh-CN');
    expect(pickLocale('zh;q=0.5, en')).toBe('en');
  });

  it('never picks a language marked q=0 (not acceptable)', () => {
    expect(pickLocale('zh;q=0, en;q=0.5')).toBe('en');
    expect(pickLocale('en;q=0, zh;q=0.1')).toBe('zh-CN');
    expect(pickLocale('zh-CN;q=0')).toBe('en');
  });

  it('does not mistake other languages that merely start with the same letters', () => {
    expect(pickLocale('zha')).toBe('en');
    expect(pickLocale('eng-x-custom, zh')).toBe('zh-CN');
  });

  it('falls back to English for unsupported, wildcard or garbage headers', () => {
    for (const header of ['fr', 'de-DE,ja;q=0.5', '*', ';;;,,,', 'zh;q=abc', ';q=1', 'x'.repeat(10_000)]) {
      expect(pickLocale(header), header.slice(0, 20)).toBe('en');
    }
  });

  it('only ever returns a supported locale', () => {
    for (const header of ['zh', 'en', 'fr', '', 'zh-TW;q=0.3,en;q=0.3']) {
      expect(locales).toContain(pickLocale(header));
    }
  });
});
