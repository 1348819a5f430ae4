/** Character-level reading shared by the date and number cell parsers (imports.cells.ts, imports.number-cells.ts). */

/** Why a cell was refused; the instances are shared, so refusing a cell allocates nothing. */
export interface CellError {
  readonly error: string;
}

export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;

/**
 * The cell being read: whether it used anything its canonical form does not (full-width
 * characters, other separators, spaces around it). One cell at a time, synchronously, so one
 * shared object is safe — and reading a cell allocates nothing.
 */
export const cell = { changed: false };

/** The ASCII code at `i`, a full-width character read as the one it stands for (０→0, ，→',', ：→':'). */
export function codeAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xff01 && c <= 0xff5e) {
    cell.changed = true;
    return c - 0xfee0;
  }
  return c;
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x3000;
}

export function trimmedStart(text: string): number {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) {
    i += 1;
  }
  return i;
}

export function trimmedEnd(text: string, start: number, end = text.length): number {
  let i = end;
  while (i > start && isSpace(text.charCodeAt(i - 1))) {
    i -= 1;
  }
  return i;
}
