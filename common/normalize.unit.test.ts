import { describe, expect, it } from 'vitest';
import { companyKey, emailKey, phoneKey } from './normalize';

describe('companyKey', () => {
  it.each([
    ['上海好客科技有限公司', '上海好客科技'],
    ['上海好客科技股份有限公司', '上海好客科技'],
    ['上海 好客 科技（集团）有限公司', '上海好客科技'],
    ['ACME Co., Ltd.', 'acme'],
    ['Acme Inc', 'acme'],
    ['ａｃｍｅ　ＣＯ．，ＬＴＤ', 'acme'],
    ['Acme Corporation', 'acme'],
    ['Disco', 'disco'],
    ['公司', '公司'],
    ['', ''],
  ])('%s → %s', (input, key) => {
    expect(companyKey(input)).toBe(key);
  });

  it('treats names differing only in case, spaces, punctuation and suffix as the same', () => {
    expect(companyKey('Haoke Software Co., Ltd.')).toBe(companyKey('haoke software'));
    expect(companyKey('北京·好客 有限公司')).toBe(companyKey('北京好客'));
  });
});

describe('phoneKey', () => {
  it.each([
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['0086 13812345678', '13812345678'],
    ['(010) 6552-1234', '01065521234'],
    ['123', null],
    ['', null],
  ])('%s → %s', (input, key) => {
    expect(phoneKey(input)).toBe(key);
  });
});

describe('emailKey', () => {
  it('lower-cases and trims; rejects non-emails', () => {
    expect(emailKey('  Alice@Example.COM ')).toBe('alice@example.com');
    expect(emailKey('not an email')).toBeNull();
    expect(emailKey(null)).toBeNull();
  });
});
