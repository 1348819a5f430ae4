import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectEncoding, detectFormat, excelText } from './imports.files';
import { guessMapping, headerKey } from './imports.mapping';
import { optionLookup, optionKey, parseFlag, pickFlag, pickOption, type RowError, rowBody, setKeyColumns, splitList } from './imports.values';

describe('import file detection', () => {
  it('tells UTF-8 (with and without BOM), UTF-16 and GB18030 apart', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('utf-8-bom');
    expect(detectEncoding(Buffer.from('客户名称,电话', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('name,phone', 'ascii'))).toBe('utf-8');
    expect(detectEncoding(iconv.encode('客户名称,电话', 'gbk'))).toBe('gb18030');
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toBe('utf-16le');
    // A multi-byte character cut off by the end of the sample is still UTF-8.
    expect(detectEncoding(Buffer.from('客户名称', 'utf8').subarray(0, 10))).toBe('utf-8');
  });

  it('finds the separator outside quotes, and the format by content', () => {
    expect(detectDelimiter('a,b,c\n1;2;3')).toBe(',');
    expect(detectDelimiter('"a,b";c;d\n')).toBe(';');
    expect(detectDelimiter('客户\t电话\t邮箱')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
    expect(detectFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04]), 'x.csv')).toBe('xlsx');
    expect(detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), 'x.xls')).toBe('xls');
    expect(detectFormat(Buffer.from('a,b'), 'x.txt')).toBe('csv');
    expect(detectFormat(Buffer.from('a,b'), 'x.xlsx')).toBeNull();
    expect(detectFormat(Buffer.from([0x00, 0x01, 0x02]), 'x.bin')).toBeNull();
  });

  it('reads Excel cells as the text a person typed', () => {
    expect(excelText(13812345678)).toBe('13812345678');
    expect(excelText(new Date(Date.UTC(2025, 0, 2)))).toBe('2025-01-02');
    expect(excelText(new Date(Date.UTC(2025, 2, 5, 14, 30)))).toBe('2025-03-05 14:30:00');
    expect(excelText({ richText: [{ text: 'a' }, { text: 'b' }] })).toBe('ab');
    expect(excelText({ formula: 'A1', result: 7 })).toBe('7');
    expect(excelText({ text: 'link', hyperlink: 'http://x' })).toBe('link');
    expect(excelText({ error: '#N/A' })).toBe('');
    expect(excelText(null)).toBe('');
  });
});

describe('column mapping', () => {
  it('normalises headers: width, case, spaces, punctuation, required marks and notes', () => {
    expect(headerKey('客户名称（必填）*')).toBe('客户名称');
    expect(headerKey('E-mail ')).toBe('email');
    expect(headerKey('Ｐｈｏｎｅ')).toBe('phone');
    expect(headerKey('Company Name')).toBe('companyname');
  });

  it('guesses from past choices, custom labels, the dictionary and custom keys — each field once', () => {
    const definitions = [{ key: 'region', label: '区域', type: 'text' as const, required: false, unique: false, options: [] }];
    const remembered = new Map<string, string | null>([
      ['编号', 'cf.region'],
      ['备注', null],
    ]);
    expect(guessMapping('customer', ['公司名称', '客户名称', '手机', '区域', '备注', 'REGION', '编号'], definitions, new Map())).toEqual({ '0': 'name', '2': 'phone', '3': 'cf.region', '4': 'remark' });
    expect(guessMapping('customer', ['客户', '备注', '编号'], definitions, remembered)).toEqual({ '0': 'name', '2': 'cf.region' });
    expect(guessMapping('contact', ['公司', '姓名', '微信', '职位'], [], new Map())).toEqual({ '0': 'customer', '1': 'name', '2': 'wechat', '3': 'title' });
  });

  it('numbers the people of a customer row: 联系人1 / 联系人2手机 / 第二联系人邮箱 / 联系人三微信 / Contact 3 Phone', () => {
    const headers = ['客户名称', '联系人1', '联系人1 手机', '第二联系人', '第二联系人邮箱', '联系人2职务', '联系人三', '联系人三微信', 'Contact 3 Phone'];
    expect(guessMapping('customer', headers, [], new Map())).toEqual({
      '0': 'name',
      '1': 'contactName',
      '2': 'contactPhone',
      '3': 'contact2Name',
      '4': 'contact2Email',
      '5': 'contact2Title',
      '6': 'contact3Name',
      '7': 'contact3Wechat',
      '8': 'contact3Phone',
    });
  });
});

describe('cell values', () => {
  it('finds options by value, label, and the parts of a bracketed label', () => {
    const lookup = optionLookup([
      { value: 'A', label: 'A（重点客户）' },
      { value: 'web', label: '官网' },
    ]);
    expect(lookup.get(optionKey('a'))).toBe('A');
    expect(lookup.get(optionKey('A（重点客户）'))).toBe('A');
    expect(lookup.get(optionKey('重点客户'))).toBe('A');
    expect(lookup.get(optionKey('官网'))).toBe('web');
    expect(lookup.get(optionKey('WEB'))).toBe('web');
  });

  it('splits lists and reads yes/no', () => {
    expect(splitList('VIP, 华东；展会、VIP')).toEqual(['VIP', '华东', '展会']);
    expect([parseFlag('是'), parseFlag('否'), parseFlag('Yes'), parseFlag('0'), parseFlag('maybe')]).toEqual([true, false, true, false, null]);
  });

  it('builds a row body from the cells it has, leaving absent fields absent', () => {
    const values = { name: '上海星辰', phone: '138 0013 8000', city: '上海', level: '重点客户', vip: '是', kind: '合伙' };
    const errors: RowError[] = [];
    const body = rowBody(values, ['phone', 'email', 'city']);
    expect(body).toEqual({ name: '上海星辰', phone: '138 0013 8000', city: '上海' });
    expect('email' in body).toBe(false);
    pickOption(body, values, 'level', optionLookup([{ value: 'A', label: 'A（重点客户）' }]), 'not one of the configured options', errors);
    pickOption(body, values, 'kind', optionLookup([{ value: 'company', label: '公司' }]), 'must be company or person', errors);
    pickOption(body, values, 'source', optionLookup([]), 'never asked: no cell', errors);
    pickFlag(body, values, 'vip', errors);
    pickFlag(body, { maybe: '也许' }, 'maybe', errors);
    expect(body).toEqual({ name: '上海星辰', phone: '138 0013 8000', city: '上海', level: 'A', vip: true });
    expect(errors).toEqual([
      { field: 'kind', message: 'must be company or person' },
      { field: 'maybe', message: 'must be yes or no (是/否)' },
    ]);
  });

  it('writes a dedupe key column only beside a field the patch writes', () => {
    const patch: Record<string, string | number | null> = { phone: '13800138000', name: 'x' };
    setKeyColumns(patch, { phone: '13800138000', email: 'a@b.c', name: null }, ['phone', 'email', 'name']);
    expect(patch).toEqual({ phone: '13800138000', phoneKey: '13800138000', name: 'x', nameKey: null });
  });
});
