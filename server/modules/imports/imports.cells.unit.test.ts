import { describe, expect, it } from 'vitest';
import { dateCell, dateCellError, datetimeCell, datetimeCellError, noSuchDayError } from './imports.cells';
import { moneyCell, moneyCellError, numberCell, numberCellError } from './imports.number-cells';
import { zoneClock } from '../../../common/time-zone';

const shanghai = zoneClock('Asia/Shanghai').toInstant;
const utc = zoneClock('UTC').toInstant;

describe('date cells', () => {
  it('hands back canonical text itself (no new string)', () => {
    const text = '2025-03-05';
    expect(dateCell(text)).toBe(text);
  });

  it.each([
    ['2025/3/5', '2025-03-05'],
    ['2025/03/05', '2025-03-05'],
    ['2025-3-5', '2025-03-05'],
    ['2025.3.5', '2025-03-05'],
    ['2025.03.05', '2025-03-05'],
    ['2025年3月7日', '2025-03-07'],
    ['2025年03月07号', '2025-03-07'],
    ['2025年3月7', '2025-03-07'],
    ['２０２５／３／５', '2025-03-05'],
    [' 2025/3/5\u3000', '2025-03-05'],
    ['2024/2/29', '2024-02-29'],
    // Excel writes a date cell formatted with a time as midnight.
    ['2025/3/5 0:00', '2025-03-05'],
    ['2025-03-05 00:00:00', '2025-03-05'],
    ['2025-03-05T00:00:00', '2025-03-05'],
  ])('reads %s as %s', (text, expected) => {
    expect(dateCell(text)).toBe(expected);
  });

  it.each(['05/03/2025', '3/5/2025', '25/3/5', '2025/3', '2025/3-5', '2025-003-05', '2025/3/5 14:30', '2025/3/5x', '20250305', 'abc', '', '2025年3月5日号'])('refuses %s with the accepted formats', (text) => {
    expect(dateCell(text)).toBe(dateCellError);
  });

  it.each(['2025/2/30', '2025-02-29', '2025-13-01', '2025/4/31', '2025-00-10', '2025-01-00', '1900/2/29'])('refuses %s: not in the calendar', (text) => {
    expect(dateCell(text)).toBe(noSuchDayError);
  });
});

describe('datetime cells', () => {
  it('hands back a canonical UTC instant itself', () => {
    const text = '2025-03-05T06:30:00.000Z';
    expect(datetimeCell(text, shanghai)).toBe(text);
  });

  it.each([
    ['2025/3/5 14:30', '2025-03-05T06:30:00.000Z'],
    ['2025/03/05 14:30:15', '2025-03-05T06:30:15.000Z'],
    ['2025-3-5 9:05', '2025-03-05T01:05:00.000Z'],
    ['2025.3.5 14:30', '2025-03-05T06:30:00.000Z'],
    ['2025年3月5日 14:30', '2025-03-05T06:30:00.000Z'],
    ['2025年3月5日14:30', '2025-03-05T06:30:00.000Z'],
    ['2025-03-05T14:30:00', '2025-03-05T06:30:00.000Z'],
    ['2025-03-05 14：30', '2025-03-05T06:30:00.000Z'],
    ['2025/3/5', '2025-03-04T16:00:00.000Z'],
    ['2025-03-05T14:30:00.5+08:00', '2025-03-05T06:30:00.500Z'],
    ['2025-03-05T06:30:00Z', '2025-03-05T06:30:00.000Z'],
    ['2025-03-05 14:30:00 +0100', '2025-03-05T13:30:00.000Z'],
    ['2025-03-05T06:30:00.123456Z', '2025-03-05T06:30:00.123Z'],
  ])('reads %s (Asia/Shanghai) as %s', (text, expected) => {
    expect(datetimeCell(text, shanghai)).toBe(expected);
  });

  it('reads a time without a zone in the workspace zone, across a DST change', () => {
    expect(datetimeCell('2025/3/5 14:30', utc)).toBe('2025-03-05T14:30:00.000Z');
    const newYork = zoneClock('America/New_York').toInstant;
    expect(datetimeCell('2025/3/8 12:00', newYork)).toBe('2025-03-08T17:00:00.000Z');
    expect(datetimeCell('2025/3/10 12:00', newYork)).toBe('2025-03-10T16:00:00.000Z');
    // An unknown zone reads as UTC rather than failing the import.
    expect(datetimeCell('2025/3/5 14:30', zoneClock('Mars/Olympus').toInstant)).toBe('2025-03-05T14:30:00.000Z');
  });

  it.each(['05/03/2025 14:30', '2025/3/5 24:00', '2025/3/5 14:60', '2025/3/5 14', '2025/3/5 14:3', '2025/3/5T', '2025/3/5 14:30 PM', '2025-03-05T14:30:00+25:00', 'now'])('refuses %s', (text) => {
    expect(datetimeCell(text, shanghai)).toBe(datetimeCellError);
  });

  it('refuses a day that is not in the calendar', () => {
    expect(datetimeCell('2025/2/30 10:00', shanghai)).toBe(noSuchDayError);
  });
});

describe('number and money cells', () => {
  it('hands back canonical text itself', () => {
    for (const text of ['1200', '-3.5', '0', '1200.50']) {
      expect(numberCell(text)).toBe(text);
      expect(moneyCell(text)).toBe(text);
    }
  });

  it.each([
    ['1,200', '1200'],
    ['1，200.50', '1200.50'],
    ['12,345,678.9', '12345678.9'],
    ['-1,200', '-1200'],
    ['+12', '12'],
    ['１２００', '1200'],
    ['１，２００．５', '1200.5'],
    [' 1200 ', '1200'],
  ])('reads the number %s as %s', (text, expected) => {
    expect(numberCell(text)).toBe(expected);
    expect(moneyCell(text)).toBe(expected);
  });

  it.each([
    ['¥1,200', '1200'],
    ['￥1,200.50', '1200.50'],
    ['$ 99.90', '99.90'],
    ['-¥1,200', '-1200'],
    ['¥-1,200', '-1200'],
    ['1200元', '1200'],
    ['1,200 元', '1200'],
  ])('reads the amount %s as %s', (text, expected) => {
    expect(moneyCell(text)).toBe(expected);
  });

  it.each(['1,20', '1200,50', '12,34,567', ',120', '1,,200', '1,2000', '1.2.3', '.5', '1.', '1,200.5,0', '--1', '1e5', '1 200', 'abc', '', '-', '¥', '¥1,200'])('refuses the number %s', (text) => {
    expect(numberCell(text)).toBe(numberCellError);
  });

  it.each(['¥¥1', '1,20', '元', '¥1元2', 'RMB 1200'])('refuses the amount %s', (text) => {
    expect(moneyCell(text)).toBe(moneyCellError);
  });
});
