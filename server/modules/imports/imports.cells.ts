import type { WallClock } from '../../../common/time-zone';
import { type CellError, cell, codeAt, DIGIT_0, DIGIT_9, isSpace, trimmedEnd, trimmedStart } from './imports.cell-text';

/**
 * Date and time cells as Excel in China writes them (2025/3/5, 2025年3月5日 14:30, full-width
 * digits) → the canonical text the API's validators take (2025-03-05, an ISO instant). Only forms
 * that can be read one way are accepted: a day-first or month-first 05/03/2025 stays an error, with
 * a message that lists what is accepted. Numbers and amounts: imports.number-cells.ts.
 *
 * This runs on every such cell of an import (up to 1M rows), so it scans character codes with no
 * regular expressions, keeps its partial results in module variables instead of objects, and hands
 * back the cell's own string when it is canonical already.
 */

export const dateCellError: CellError = { error: 'must be a date, year first: 2025-03-05, 2025/3/5, 2025.3.5 or 2025年3月5日' };
export const noSuchDayError: CellError = { error: 'no such day in the calendar' };
export const datetimeCellError: CellError = { error: 'must be a date and time, year first: 2025-03-05 14:30, 2025/3/5 14:30:00, 2025年3月5日 14:30 or ISO 8601' };

const NO_VALUE = -1;

// The scanners' position and results: one cell at a time, synchronously, so module state is safe.
let pos = 0;
let year = 0;
let month = 0;
let day = 0;
let hour = 0;
let minute = 0;
let second = 0;
let millis = 0;
/** Minutes east of UTC written in the cell (Z, +08:00), or NO_VALUE when it names no zone. */
let zoneMinutes = NO_VALUE;


/** Reads min..max digits at `pos`; NO_VALUE if there are fewer than min. */
function digits(text: string, end: number, min: number, max: number): number {
  let value = 0;
  let n = 0;
  while (pos < end && n < max) {
    const c = codeAt(text, pos);
    if (c < DIGIT_0 || c > DIGIT_9) {
      break;
    }
    value = value * 10 + (c - DIGIT_0);
    pos += 1;
    n += 1;
  }
  return n < min ? NO_VALUE : value;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) {
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  }
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * A year-first date at `pos`: 2025-03-05, 2025/3/5, 2025.3.5, 2025年3月5日 (日 or 号 optional).
 * 0 = read (into year/month/day), 1 = not such a date, 2 = shaped like one but not in the calendar.
 */
function scanDate(text: string, end: number): 0 | 1 | 2 {
  year = digits(text, end, 4, 4);
  if (year === NO_VALUE || pos >= end) {
    return 1;
  }
  const sep = codeAt(text, pos);
  const chinese = sep === 0x5e74; // 年
  if (!chinese && sep !== 0x2d && sep !== 0x2f && sep !== 0x2e) {
    return 1;
  }
  pos += 1;
  const monthStart = pos;
  month = digits(text, end, 1, 2);
  if (month === NO_VALUE || pos >= end) {
    return 1;
  }
  const sep2 = codeAt(text, pos);
  if (chinese ? sep2 !== 0x6708 : sep2 !== sep) {
    return 1;
  }
  pos += 1;
  const dayStart = pos;
  day = digits(text, end, 1, 2);
  if (day === NO_VALUE) {
    return 1;
  }
  if (chinese && pos < end) {
    const c = text.charCodeAt(pos);
    // 日 or 号
    if (c === 0x65e5 || c === 0x53f7) {
      pos += 1;
    }
  }
  if (sep !== 0x2d || chinese || dayStart - monthStart !== 3 || pos - dayStart !== 2) {
    cell.changed = true;
  }
  return year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ? 2 : 0;
}

/** H:mm, H:mm:ss or H:mm:ss.fff at `pos` (full-width colons too), into hour/minute/second/millis. */
function scanTime(text: string, end: number): boolean {
  const start = pos;
  hour = digits(text, end, 1, 2);
  if (hour === NO_VALUE || pos - start !== 2) {
    cell.changed = true;
  }
  if (hour === NO_VALUE || pos >= end || codeAt(text, pos) !== 0x3a) {
    return false;
  }
  pos += 1;
  minute = digits(text, end, 2, 2);
  second = 0;
  millis = 0;
  if (minute === NO_VALUE) {
    return false;
  }
  if (pos < end && codeAt(text, pos) === 0x3a) {
    pos += 1;
    second = digits(text, end, 2, 2);
    if (second === NO_VALUE) {
      return false;
    }
    if (pos < end && codeAt(text, pos) === 0x2e) {
      pos += 1;
      const fractionStart = pos;
      const fraction = digits(text, end, 1, 3);
      if (fraction === NO_VALUE) {
        return false;
      }
      millis = fraction * (pos - fractionStart === 1 ? 100 : pos - fractionStart === 2 ? 10 : 1);
      // Beyond milliseconds is noise for an instant stored to the millisecond.
      while (pos < end && codeAt(text, pos) >= DIGIT_0 && codeAt(text, pos) <= DIGIT_9) {
        pos += 1;
      }
    }
  } else {
    cell.changed = true;
  }
  return hour <= 23 && minute <= 59 && second <= 59;
}

/** Z, +08:00, +0800 or +08 at `pos` up to `end`, into zoneMinutes; false if something else follows. */
function scanZone(text: string, end: number): boolean {
  zoneMinutes = NO_VALUE;
  if (pos === end) {
    return true;
  }
  while (pos < end && isSpace(text.charCodeAt(pos))) {
    pos += 1;
    cell.changed = true;
  }
  const c = pos < end ? codeAt(text, pos) : 0;
  if (c === 0x5a || c === 0x7a) {
    cell.changed = cell.changed || c === 0x7a;
    pos += 1;
    zoneMinutes = 0;
    return pos === end;
  }
  if (c !== 0x2b && c !== 0x2d) {
    return false;
  }
  pos += 1;
  const h = digits(text, end, 2, 2);
  if (h === NO_VALUE) {
    return false;
  }
  if (pos < end && codeAt(text, pos) === 0x3a) {
    pos += 1;
  }
  const m = pos < end ? digits(text, end, 2, 2) : 0;
  if (m === NO_VALUE || pos !== end || h > 23 || m > 59) {
    return false;
  }
  zoneMinutes = (c === 0x2d ? -1 : 1) * (h * 60 + m);
  // Stored as UTC (…Z), so any written offset is a change from the canonical form.
  cell.changed = true;
  return true;
}

/** Starts a cell: past its surrounding spaces (a change from the canonical form); the end of its text. */
function beginCell(text: string): number {
  pos = trimmedStart(text);
  const end = trimmedEnd(text, pos);
  cell.changed = pos > 0 || end < text.length;
  return end;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A date cell → YYYY-MM-DD. A time of exactly midnight may follow (Excel writes 2025/3/5 0:00). */
export function dateCell(text: string): string | CellError {
  const end = beginCell(text);
  const scanned = scanDate(text, end);
  if (scanned === 1) {
    return dateCellError;
  }
  if (pos < end) {
    cell.changed = true;
    if (!skipDateTimeGap(text, end) || !scanTime(text, end) || pos !== end || hour !== 0 || minute !== 0 || second !== 0 || millis !== 0) {
      return dateCellError;
    }
  }
  if (scanned === 2) {
    return noSuchDayError;
  }
  return cell.changed ? `${year}-${pad2(month)}-${pad2(day)}` : text;
}

/** Between a date and its time: spaces, or one T. True when a time follows. */
function skipDateTimeGap(text: string, end: number): boolean {
  const start = pos;
  if (pos < end && text.charCodeAt(pos) === 0x54) {
    pos += 1;
    return pos < end;
  }
  while (pos < end && isSpace(text.charCodeAt(pos))) {
    pos += 1;
  }
  // After 年月日 a time may follow directly (2025年3月5日14:30).
  return pos < end && (pos > start || !isDigitAt(text, start - 1));
}

function isDigitAt(text: string, i: number): boolean {
  const c = i >= 0 ? codeAt(text, i) : 0;
  return c >= DIGIT_0 && c <= DIGIT_9;
}

/**
 * A date-and-time cell → an ISO instant (2025-03-05T06:30:00.000Z). A time without a zone is read
 * in the workspace's zone (`wallClock`), as the person who typed it meant it; a date alone is its
 * midnight there. An ISO instant in UTC comes back as it is.
 */
export function datetimeCell(text: string, wallClock: WallClock): string | CellError {
  const end = beginCell(text);
  const scanned = scanDate(text, end);
  if (scanned === 1) {
    return datetimeCellError;
  }
  hour = 0;
  minute = 0;
  second = 0;
  millis = 0;
  zoneMinutes = NO_VALUE;
  let hasTime = false;
  if (pos < end) {
    if (text.charCodeAt(pos) !== 0x54) {
      cell.changed = true;
    }
    if (!skipDateTimeGap(text, end) || !scanTime(text, end) || !scanZone(text, end)) {
      return datetimeCellError;
    }
    hasTime = true;
  }
  if (scanned === 2) {
    return noSuchDayError;
  }
  const fields = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (zoneMinutes === 0 && !cell.changed && hasTime && text.length === 24) {
    // Exactly YYYY-MM-DDTHH:mm:ss.sssZ: already what the API stores.
    return text;
  }
  const instant = zoneMinutes === NO_VALUE ? wallClock(fields) : fields - zoneMinutes * 60_000;
  return new Date(instant).toISOString();
}
