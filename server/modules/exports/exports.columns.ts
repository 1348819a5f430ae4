import { zoneClock } from '../../../common/time-zone';

/** Cell and record formatting shared by every export (see exports.registry.ts for the columns). */

/**
 * ISO instants as local "YYYY-MM-DD HH:mm:ss" in the workspace's time zone, the way a person in
 * the office reads them in Excel. The zone offset is looked up once per hour of time, not per cell.
 */
export function timeFormatter(timeZone: string): (iso: string | null | undefined) => string {
  const { offsetAt } = zoneClock(timeZone);
  // Canonical ISO instants (what both dialects hand back): the local "YYYY-MM-DD HH" of each UTC
  // hour is computed once; minutes and seconds are copied when the zone's offset is whole hours.
  const hourPrefixes = new Map<string, string>();
  const canonical = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
  return (iso) => {
    if (!iso) {
      return '';
    }
    const key = iso.slice(0, 13);
    const prefix = hourPrefixes.get(key);
    if (prefix !== undefined && canonical.test(iso)) {
      return `${prefix}${iso.slice(13, 19)}`;
    }
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) {
      return '';
    }
    const offset = offsetAt(ms);
    const local = new Date(ms + offset).toISOString();
    if (offset % 3_600_000 === 0 && canonical.test(iso)) {
      hourPrefixes.set(key, `${local.slice(0, 10)} ${local.slice(11, 13)}`);
    }
    return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
  };
}

const needsQuotes = /[",\r\n]/;
/** After a leading + or -: a plain number or phone number (digits, spaces, brackets, dots, dashes) is no formula. */
const plainNumber = /^[+-][\d\s().-]*$/;

/** Text Excel would run as a formula (=, @, tab, CR, or +/- not followed by a plain number or phone). */
function formulaLike(v: string): boolean {
  const first = v.charCodeAt(0);
  // = @ \t \r
  if (first === 61 || first === 64 || first === 9 || first === 13) {
    return true;
  }
  // + -
  return (first === 43 || first === 45) && !plainNumber.test(v);
}

/** One CSV cell: formula-like text gets a leading apostrophe (CSV injection); quoted when needed. */
function csvCell(value: string): string {
  const v = value.length > 0 && formulaLike(value) ? `'${value}` : value;
  return needsQuotes.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * One CSV record (RFC 4180, CRLF). Written by hand: csv-stringify spends ~15 µs a row on what is,
 * for plain strings, this. A cell that Excel would evaluate as a formula gets a leading
 * apostrophe (CSV injection); the importer takes it off again.
 */
export function csvRecord(values: readonly string[]): string {
  let line = '';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) {
      line += ',';
    }
    line += csvCell(values[i] ?? '');
  }
  return `${line}\r\n`;
}
