import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { ByteCounter, readRows } from './imports.files';

/** The reader's method that meets exceljs#3064's race: it reads the workbook model a file written by exceljs stores last. */
type ReaderProto = { _parseWorksheet: (...args: unknown[]) => AsyncGenerator<unknown> };
const proto = (ExcelJS.stream.xlsx.WorkbookReader as unknown as { prototype: ReaderProto }).prototype;
const original = proto._parseWorksheet;

async function xlsxFile(): Promise<string> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('客户').addRows([
    ['客户名称', '电话'],
    ['甲公司', '13800000001'],
  ]);
  book.addWorksheet('说明').addRow(['not data']);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'haoke-xlsx-')), 'race.xlsx');
  await book.xlsx.writeFile(file);
  return file;
}

async function rowsOf(file: string, counter: ByteCounter): Promise<string[][]> {
  const out: string[][] = [];
  for await (const row of readRows({ path: file, format: 'xlsx', encoding: 'utf-8', delimiter: ',' }, counter)) {
    out.push(row.cells);
  }
  return out;
}

describe('xlsx reading and exceljs#3064', () => {
  afterEach(() => {
    proto._parseWorksheet = original;
  });

  it('reads the file again when the streaming reader trips over the workbook part it has not read yet', async () => {
    const file = await xlsxFile();
    let calls = 0;
    proto._parseWorksheet = function (this: unknown, ...args: unknown[]) {
      calls += 1;
      if (calls === 1) {
        // What the reader throws when it reaches a worksheet before the workbook model.
        throw new TypeError("Cannot read properties of undefined (reading 'sheets')");
      }
      return original.apply(this, args);
    };
    const counter = new ByteCounter();
    expect(await rowsOf(file, counter)).toEqual([
      ['客户名称', '电话'],
      ['甲公司', '13800000001'],
    ]);
    expect(calls).toBe(2);
    // The failed attempt's bytes are not counted twice: the count is the file's size.
    expect(counter.bytes).toBe(fs.statSync(file).size);
  });

  it('gives up after three attempts, and does not retry other errors', async () => {
    const file = await xlsxFile();
    proto._parseWorksheet = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'sheets')");
    };
    await expect(rowsOf(file, new ByteCounter())).rejects.toThrow(/sheets/);
    let calls = 0;
    proto._parseWorksheet = () => {
      calls += 1;
      throw new Error('broken');
    };
    await expect(rowsOf(file, new ByteCounter())).rejects.toThrow('broken');
    expect(calls).toBe(1);
  });
});
