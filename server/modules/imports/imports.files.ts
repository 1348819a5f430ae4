import fs from 'node:fs';
import path from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export type FileFormat = 'csv' | 'xlsx';
/** What a CSV's bytes were decoded as: Excel in China saves "CSV" as GB18030/GBK, or UTF-8 with a BOM. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface SourceFile {
  path: string;
  format: FileFormat;
  encoding: TextEncoding;
  delimiter: string;
}

/** One non-empty row of the file: its number as a spreadsheet shows it (the header is usually 1) and its cells. */
export interface SourceRow {
  rowNumber: number;
  cells: string[];
}

export const maxColumns = 200;
const maxCellLength = 10_000;

export function importsDir(dataDir: string, workspaceId: string): string {
  return path.join(dataDir, 'imports', workspaceId);
}

/** xlsx is a zip (PK\3\4); the legacy binary .xls (an OLE container) is refused with a clear message. */
export function detectFormat(head: Buffer, fileName: string): FileFormat | 'xls' | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return 'xlsx';
  }
  if (head.length >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    return 'xls';
  }
  // Anything else that is text is read as CSV/TSV, whatever its extension says (.csv, .txt, .tsv).
  if (/\.(xlsx|xlsm)$/i.test(fileName)) {
    return null;
  }
  return head.includes(0) && !(head[0] === 0xff && head[1] === 0xfe) && !(head[0] === 0xfe && head[1] === 0xff) ? null : 'csv';
}

/** The head of the file must be valid UTF-8 up to the last complete character. */
function isUtf8(head: Buffer): boolean {
  let end = head.length;
  // Drop a multi-byte sequence cut off by the end of the sample.
  for (let back = 1; back <= 3 && end - back >= 0; back += 1) {
    const byte = head[end - back] ?? 0;
    if ((byte & 0xc0) === 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (back < need) {
        end -= back;
      }
      break;
    }
    if ((byte & 0x80) === 0) {
      break;
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** BOMs first; otherwise valid UTF-8 is UTF-8 and anything else is GB18030 (a superset of GBK and GB2312). */
export function detectEncoding(head: Buffer): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return 'utf-8-bom';
  }
  if (head[0] === 0xff && head[1] === 0xfe) {
    return 'utf-16le';
  }
  if (head[0] === 0xfe && head[1] === 0xff) {
    return 'utf-16be';
  }
  return isUtf8(head) ? 'utf-8' : 'gb18030';
}

export function decodeHead(head: Buffer, encoding: TextEncoding): string {
  return iconv.decode(head, encoding === 'utf-8-bom' ? 'utf-8' : encoding);
}

/** The separator of the first line, outside quotes: comma, tab (Excel's "Unicode text") or semicolon. */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && (ch === '\n' || ch === '\r')) {
      break;
    } else if (!quoted && ch in counts) {
      counts[ch] = (counts[ch] ?? 0) + 1;
    }
  }
  const [best] = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : ',';
}

export async function readHead(file: string, bytes = 64 * 1024): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Counts the bytes flowing through, so a scan can extrapolate a row count from a sample. */
export class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

function csvText(cell: unknown): string {
  let text = typeof cell === 'string' ? cell.trim() : '';
  // Exports guard formula-like cells with an apostrophe (CSV injection); it is not part of the value.
  if (text.length > 1 && text.charCodeAt(0) === 39 && /^'[=+\-@]/.test(text)) {
    text = text.slice(1);
  }
  return text.length > maxCellLength ? text.slice(0, maxCellLength) : text;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** An Excel cell as the text a person would type: dates as YYYY-MM-DD, formulas as their result. */
export function excelText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value.trim();
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : '';
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      return '';
    }
    // exceljs hands Excel's wall-clock time over as if it were UTC: keep it a wall-clock time (no
    // zone), so a date-and-time field reads it in the workspace's zone like the same CSV cell.
    const date = `${value.getUTCFullYear()}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())}`;
    const midnight = value.getUTCHours() === 0 && value.getUTCMinutes() === 0 && value.getUTCSeconds() === 0;
    return midnight ? date : `${date} ${pad2(value.getUTCHours())}:${pad2(value.getUTCMinutes())}:${pad2(value.getUTCSeconds())}`;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: unknown }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) {
      return v.richText.map((r) => (typeof r.text === 'string' ? r.text : '')).join('').trim();
    }
    if ('result' in v) {
      return excelText(v.result);
    }
    if ('text' in v) {
      return excelText(v.text);
    }
  }
  return '';
}

function isEmpty(cells: readonly string[]): boolean {
  return cells.every((c) => c === '');
}

/**
 * Every non-empty row of a CSV, with spreadsheet row numbers: each CSV record is one row (a
 * quoted newline stays inside its cell, as in Excel) and empty lines keep their number.
 */
async function* csvRows(file: SourceFile, counter?: ByteCounter): AsyncGenerator<SourceRow> {
  const input = fs.createReadStream(file.path, { highWaterMark: 256 * 1024 });
  let source: NodeJS.ReadableStream = input;
  if (counter) {
    source = source.pipe(counter);
  }
  // Plain UTF-8 goes to the parser as bytes (it strips a BOM); everything else is decoded first.
  if (file.encoding !== 'utf-8' && file.encoding !== 'utf-8-bom') {
    source = source.pipe(iconv.decodeStream(file.encoding));
  }
  const parser = parse({
    delimiter: file.delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: 1024 * 1024,
  });
  input.on('error', (error) => parser.destroy(error));
  const records = source.pipe(parser) as AsyncIterable<string[]>;
  let rowNumber = 0;
  try {
    for await (const record of records) {
      rowNumber += 1;
      const cells = record.length > maxColumns ? record.slice(0, maxColumns).map(csvText) : record.map(csvText);
      if (!isEmpty(cells)) {
        yield { rowNumber, cells };
      }
    }
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/**
 * exceljs's streaming reader sometimes starts a worksheet before it has read the workbook part that
 * a file written by exceljs stores last, and throws (exceljs/exceljs#3064: a race, seen here once
 * in a CI run under load). Nothing has been read yet when it does, so the file is read again.
 */
const xlsxAttempts = 3;

function isWorkbookRace(error: unknown): boolean {
  return error instanceof TypeError && /reading 'sheets'/.test(error.message);
}

/** The first worksheet's non-empty rows, streamed (the sheet is never held in memory). */
async function* xlsxRows(file: SourceFile, counter?: ByteCounter): AsyncGenerator<SourceRow> {
  for (let attempt = 1; ; attempt += 1) {
    let started = false;
    const counted = counter?.bytes ?? 0;
    try {
      for await (const row of xlsxRowsOnce(file, counter)) {
        started = true;
        yield row;
      }
      return;
    } catch (error) {
      if (started || attempt >= xlsxAttempts || !isWorkbookRace(error)) {
        throw error;
      }
      if (counter) {
        counter.bytes = counted;
      }
    }
  }
}

async function* xlsxRowsOnce(file: SourceFile, counter?: ByteCounter): AsyncGenerator<SourceRow> {
  const input = fs.createReadStream(file.path);
  // Each attempt counts through a tap of its own into the shared counter: a read that is started
  // again must not find the first attempt's reader still piped to it.
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (counter) {
        counter.bytes += chunk.length;
      }
      callback(null, chunk);
    },
  });
  const stream: Readable = input.pipe(tap);
  // Styles are read because a date in Excel is a number whose format says "date".
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'ignore' });
  try {
    for await (const worksheet of workbook) {
      for await (const row of worksheet) {
        const values = Array.isArray(row.values) ? (row.values as unknown[]) : [];
        const cells: string[] = [];
        for (let i = 1; i < values.length && i <= maxColumns; i += 1) {
          const text = excelText(values[i]);
          cells.push(text.length > maxCellLength ? text.slice(0, maxCellLength) : text);
        }
        if (!isEmpty(cells)) {
          yield { rowNumber: row.number, cells };
        }
      }
      break;
    }
  } finally {
    input.destroy();
  }
}

export function readRows(file: SourceFile, counter?: ByteCounter): AsyncGenerator<SourceRow> {
  return file.format === 'xlsx' ? xlsxRows(file, counter) : csvRows(file, counter);
}

/** The rows after the header (the first non-empty row), as the job and the preview take them. */
export async function* dataRows(file: SourceFile): AsyncGenerator<SourceRow> {
  let header = true;
  for await (const row of readRows(file)) {
    if (header) {
      header = false;
      continue;
    }
    yield row;
  }
}

export interface FileScan {
  headerRow: number;
  headers: string[];
  samples: string[][];
  /** Data rows: exact when the whole file was read, else extrapolated from the bytes the sample took. */
  rowCount: number;
  exact: boolean;
}

/**
 * Reads the header, a few sample rows, and counts rows: exactly up to `countLimit`, beyond that
 * by extrapolating from how many bytes those rows took.
 */
export async function scanFile(file: SourceFile, size: number, options: { samples?: number; countLimit?: number } = {}): Promise<FileScan> {
  const sampleCount = options.samples ?? 5;
  const countLimit = options.countLimit ?? 50_000;
  const counter = new ByteCounter();
  let header: SourceRow | null = null;
  const samples: string[][] = [];
  let rows = 0;
  let exact = true;
  for await (const row of readRows(file, counter)) {
    if (!header) {
      header = row;
      continue;
    }
    rows += 1;
    if (samples.length < sampleCount) {
      samples.push(row.cells);
    }
    if (rows >= countLimit) {
      exact = false;
      break;
    }
  }
  if (!header) {
    return { headerRow: 1, headers: [], samples: [], rowCount: 0, exact: true };
  }
  const rowCount = exact || counter.bytes === 0 ? rows : Math.max(rows, Math.round((rows * size) / counter.bytes));
  return { headerRow: header.rowNumber, headers: header.cells, samples, rowCount, exact };
}

/** Streams an upload to disk under a temporary name; the caller renames or deletes it. */
export async function saveUpload(stream: Readable, target: string): Promise<number> {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  let size = 0;
  const out = fs.createWriteStream(target, { flags: 'wx' });
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
    });
    stream.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
    stream.pipe(out);
  });
  return size;
}

