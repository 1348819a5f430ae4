import { type CellError, cell, codeAt, DIGIT_0, DIGIT_9, isSpace, trimmedEnd, trimmedStart } from './imports.cell-text';

/*
 * Number and amount cells as Excel in China writes them (1,200.50, ¥1,200, 1200元, full-width
 * digits) → the canonical text the API's validators take. Like the date cells (imports.cells.ts)
 * it scans character codes and hands back the cell's own string when it is canonical already.
 */

export const numberCellError: CellError = { error: 'must be a number: 1200, -3.5 or 1,200.50 (commas only between thousands)' };
export const moneyCellError: CellError = { error: 'must be an amount: 1200, 1,200.50 or ¥1,200 (commas only between thousands)' };


/**
 * Reads a number cell into canonical text (-1200.5): an optional sign, digits with commas only
 * between groups of three (1,200 or 1，200 — never 1,20, which may be a decimal comma), an
 * optional decimal point; full-width digits and spaces around it are fine. Money may carry ¥ / ￥ /
 * $ before the digits and 元 after them. Null when the cell is no such number.
 */
function numberText(text: string, money: boolean): string | null {
  cell.changed = false;
  let i = trimmedStart(text);
  const end = trimmedEnd(text, i);
  if (i > 0 || end < text.length) {
    cell.changed = true;
  }
  let negative = false;
  let sawSign = false;
  let sawCurrency = false;
  // A sign and a currency sign in either order: -¥1,200 and ¥-1,200.
  while (i < end) {
    const c = codeAt(text, i);
    if ((c === 0x2d || c === 0x2b) && !sawSign) {
      sawSign = true;
      negative = c === 0x2d;
      cell.changed = cell.changed || c === 0x2b;
      i += 1;
    } else if (money && !sawCurrency && (c === 0xa5 || c === 0xffe5 || c === 0x24)) {
      sawCurrency = true;
      cell.changed = true;
      i += 1;
      while (i < end && isSpace(text.charCodeAt(i))) {
        i += 1;
      }
    } else {
      break;
    }
  }
  let digitsEnd = end;
  // 元 after the amount (1200元, 1200 元).
  if (money && digitsEnd > i && text.charCodeAt(digitsEnd - 1) === 0x5143) {
    digitsEnd = trimmedEnd(text, i, digitsEnd - 1);
    cell.changed = true;
  }
  const digitsStart = i;
  let group = 0;
  let groups = 0;
  let integerDigits = 0;
  let fractionDigits = -1;
  for (; i < digitsEnd; i += 1) {
    const c = codeAt(text, i);
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      group += 1;
      if (fractionDigits >= 0) {
        fractionDigits += 1;
      } else {
        integerDigits += 1;
      }
    } else if (c === 0x2c && fractionDigits < 0) {
      // A thousands separator: the first group has 1–3 digits, every later one exactly 3.
      if (group === 0 || group > 3 || (groups > 0 && group !== 3)) {
        return null;
      }
      groups += 1;
      group = 0;
      cell.changed = true;
    } else if (c === 0x2e && fractionDigits < 0) {
      if (groups > 0 && group !== 3) {
        return null;
      }
      fractionDigits = 0;
    } else {
      return null;
    }
  }
  if (integerDigits === 0 || fractionDigits === 0 || (groups > 0 && fractionDigits < 0 && group !== 3)) {
    return null;
  }
  if (!cell.changed) {
    return text;
  }
  // Only a cell that was not canonical pays for a new string.
  let out = negative ? '-' : '';
  for (let k = digitsStart; k < digitsEnd; k += 1) {
    const c = codeAt(text, k);
    if (c !== 0x2c) {
      out += String.fromCharCode(c);
    }
  }
  return out;
}

/** A number cell → text the number validator takes (1,200.50 → 1200.50). */
export function numberCell(text: string): string | CellError {
  return numberText(text, false) ?? numberCellError;
}

/** An amount cell → a decimal string for the money validators (¥1,200 → 1200); decimals are checked there. */
export function moneyCell(text: string): string | CellError {
  return numberText(text, true) ?? moneyCellError;
}
