import { once } from 'node:events';
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvRecord } from './exports.columns';

/** Writes an export file: rows of cell texts, in order; `close` finishes the file. */
export interface RowWriter {
  /** Resolves when the file can take more (back-pressure), not when the rows are on disk. */
  write: (rows: readonly (readonly string[])[]) => Promise<void>;
  close: () => Promise<void>;
}

/** Waits while a stream's buffer is over its high-water mark. */
async function drained(out: Writable): Promise<void> {
  if (out.writableNeedDrain) {
    await once(out, 'drain');
  }
}

/** CSV with a UTF-8 BOM, so Excel opens Chinese text correctly; one write per batch of rows. */
export function csvWriter(file: string, headers: readonly string[]): RowWriter {
  const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
  let failed: Error | null = null;
  out.on('error', (error) => {
    failed = error;
  });
  out.write(`\ufeff${csvRecord(headers)}`);
  return {
    write: async (rows) => {
      if (failed) {
        throw failed;
      }
      let text = '';
      for (const r of rows) {
        text += csvRecord(r);
      }
      out.write(text);
      await drained(out);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (failed) {
          reject(failed);
          return;
        }
        out.once('error', reject);
        out.end(() => resolve());
      }),
  };
}

/**
 * exceljs hands each committed row to the zip compressor without ever saying "wait" (its sheet
 * stream's write always returns true), so rows produced faster than they are deflated pile up
 * in memory. Wait for the compressor's input to drain before writing the next batch.
 */
async function compressorCaughtUp(sheet: unknown): Promise<void> {
  const pipes = (sheet as { stream?: { pipes?: unknown } }).stream?.pipes;
  for (const pipe of Array.isArray(pipes) ? pipes : []) {
    // archiver's streams come from the readable-stream package: no writableNeedDrain, only the state.
    const target = pipe as Writable & { _writableState?: { needDrain?: boolean } };
    while (target.writableNeedDrain ?? target._writableState?.needDrain) {
      await once(target, 'drain');
    }
  }
}

/** XLSX streamed row by row (exceljs WorkbookWriter), never held in memory. */
export function xlsxWriter(file: string, headers: readonly string[], sheetName: string): RowWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...headers]).commit();
  return {
    write: async (rows) => {
      for (const r of rows) {
        sheet.addRow([...r]).commit();
      }
      await compressorCaughtUp(sheet);
    },
    close: async () => {
      sheet.commit();
      await workbook.commit();
    },
  };
}
