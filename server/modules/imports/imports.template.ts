import ExcelJS from 'exceljs';
import type { CustomFieldDefinition, CustomFieldType } from '../../../common/custom-fields';
import type { Locale } from '../../../common/locale';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { canWriteField, requirePermission } from '../permissions/permissions.service';
import { importFieldGuard } from './imports.mapping';
import { presentedLabel } from '../picklists/picklist-defaults';
import { listPicklists } from '../picklists/picklists.service';
import './imports.entities';
import { importAdapter } from './imports.registry';

/*
 * 下载导入模板: an empty file with the entity's columns, headers worded so the mapping step guesses
 * every one of them (imports.template.test.ts checks that), plus — in the Excel version — a second
 * sheet saying what each column takes. Only columns the user may fill appear: fields their field
 * rules keep from them are left out (the importer would refuse a mapping to them).
 */

export type TemplateFormat = 'csv' | 'xlsx';

export interface TemplateColumn {
  field: string;
  header: string;
  required: boolean;
  hint: string;
  /** The values to pick from, where the column takes one of a list: the Excel template offers them as a dropdown. */
  choices: string[];
}

const typeHints: Readonly<Record<CustomFieldType, readonly [string, string]>> = {
  text: ['文本', 'text'],
  longText: ['文本', 'text'],
  number: ['数字，如 1,200 或 3.5', 'a number, e.g. 1,200 or 3.5'],
  money: ['金额，如 ¥1,200.50 或 1200元', 'an amount, e.g. 1,200.50'],
  date: ['日期，如 2025-03-05 或 2025/3/5', 'a date, year first: 2025-03-05 or 2025/3/5'],
  datetime: ['日期时间，如 2025-03-05 14:30（按工作区时区）', "a date and time, e.g. 2025-03-05 14:30 (the workspace's time zone)"],
  singleSelect: ['选项之一', 'one of the options'],
  multiSelect: ['一个或多个选项，用逗号分隔', 'one or more options, separated by commas'],
  user: ['用户姓名或邮箱', "a user's name or email"],
  boolean: ['是 / 否', 'yes / no'],
  phone: ['电话号码', 'a phone number'],
  email: ['邮箱地址', 'an email address'],
  url: ['网址（http/https）', 'a web address (http/https)'],
};

function word(pair: readonly [string, string], locale: Locale): string {
  return locale === 'zh-CN' ? pair[0] : pair[1];
}

function customHint(d: CustomFieldDefinition, locale: Locale): string {
  const base = word(typeHints[d.type], locale);
  const options = d.options.map((o) => o.label).join(locale === 'zh-CN' ? '、' : ', ');
  return (d.type === 'singleSelect' || d.type === 'multiSelect') && options ? `${base}: ${options}` : base;
}

/** The template's columns for this user: built-in fields they may fill, then custom fields. */
export async function templateColumns(deps: Deps, auth: AuthContext, entity: string, locale: Locale): Promise<TemplateColumn[]> {
  const adapter = importAdapter(entity);
  if (!adapter) {
    throw new AppError('validation_failed', { errors: [{ path: 'entity', message: `cannot import ${entity}` }] });
  }
  requirePermission(auth.permissions, `${entity}:import`);
  const [definitions, picklists] = await Promise.all([customFieldDefinitions(deps, auth.workspaceId, entity), listPicklists(deps, auth.workspaceId)]);
  // The columns the mapping step would accept from this user (validateMapping's rule).
  const writable = (field: string) => {
    const guard = importFieldGuard(entity, adapter, field);
    return guard === null || canWriteField(auth.permissions, guard.entity, guard.field);
  };
  const columns: TemplateColumn[] = [];
  for (const field of adapter.templateFields ?? adapter.fields) {
    const required = adapter.requiredFields.includes(field);
    if (!required && !writable(field)) {
      continue;
    }
    const label = adapter.templateLabels[field];
    const list = adapter.optionLists?.[field];
    const options = list ? (picklists[list] ?? []).filter((o) => o.active).map((o) => presentedLabel(list, o.value, o.label, locale)) : [];
    const hint = options.length > 0 ? `${word(['选项之一', 'one of'], locale)}: ${options.join(locale === 'zh-CN' ? '、' : ', ')}` : adapter.templateHints?.[field];
    columns.push({
      field,
      header: label ? word(label, locale) : field,
      required,
      hint: typeof hint === 'string' ? hint : hint ? word(hint, locale) : '',
      choices: options,
    });
  }
  for (const d of definitions) {
    if (writable(`cf.${d.key}`)) {
      const choices = d.type === 'singleSelect' ? d.options.map((o) => o.label) : d.type === 'boolean' ? [word(['是', 'yes'], locale), word(['否', 'no'], locale)] : [];
      columns.push({ field: `cf.${d.key}`, header: d.label, required: d.required, hint: customHint(d, locale), choices });
    }
  }
  return columns;
}

/** A required column's header carries a `*` (the mapping step ignores it when matching). */
function headerText(c: TemplateColumn): string {
  return c.required ? `${c.header}*` : c.header;
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** exceljs keeps a sheet's validations by address, ranges included, but its typings only declare the per-cell form. */
function ranged(sheet: ExcelJS.Worksheet): ExcelJS.Worksheet & { dataValidations: { add: (address: string, validation: ExcelJS.DataValidation) => void } } {
  return sheet as ExcelJS.Worksheet & { dataValidations: { add: (address: string, validation: ExcelJS.DataValidation) => void } };
}

/** Rows of the first sheet that get a column's dropdown (Excel checks nothing below them). */
const dropdownRows = 10_000;

/**
 * A dropdown on each column that takes one of a list, its values on a hidden sheet (a list written
 * into the rule itself is capped at 255 characters). Another value is warned about, not refused:
 * the importer also takes values, English labels and the defaults' other wording.
 */
function addDropdowns(book: ExcelJS.Workbook, sheet: ExcelJS.Worksheet, columns: readonly TemplateColumn[], zh: boolean): void {
  const listed = columns.map((c, index) => ({ c, index })).filter(({ c }) => c.choices.length > 0);
  if (listed.length === 0) {
    return;
  }
  const name = zh ? '选项' : 'Options';
  const lists = book.addWorksheet(name, { state: 'hidden' });
  listed.forEach(({ c, index }, k) => {
    const column = lists.getColumn(k + 1);
    column.values = [c.header, ...c.choices];
    const letter = column.letter;
    const target = sheet.getColumn(index + 1).letter;
    ranged(sheet).dataValidations.add(`${target}2:${target}${dropdownRows + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`'${name}'!$${letter}$2:$${letter}$${c.choices.length + 1}`],
      showErrorMessage: true,
      errorStyle: 'warning',
      error: zh ? '不是列表中的选项，仍要使用吗？' : 'Not one of the listed options. Use it anyway?',
    });
  });
}

/** The template file: CSV (UTF-8 with BOM, as Excel in China opens it) or XLSX with an instructions sheet. */
export async function templateFile(columns: readonly TemplateColumn[], format: TemplateFormat, names: { sheet: string; locale: Locale }): Promise<Buffer> {
  if (format === 'csv') {
    return Buffer.from(`\ufeff${columns.map((c) => csvCell(headerText(c))).join(',')}\r\n`, 'utf8');
  }
  const zh = names.locale === 'zh-CN';
  const book = new ExcelJS.Workbook();
  // The importer reads the first sheet: the columns go there, the instructions after it.
  const sheet = book.addWorksheet(names.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: headerText(c), key: c.field, width: Math.max(12, Math.min(40, c.header.length * 2 + 4)) }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  columns.forEach((c, index) => {
    const cell = head.getCell(index + 1);
    if (c.required) {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFE7BA' } };
    }
    if (c.hint) {
      cell.note = c.hint;
    }
  });
  const help = book.addWorksheet(zh ? '填写说明' : 'Instructions');
  help.columns = [
    { header: zh ? '列' : 'Column', key: 'column', width: 24 },
    { header: zh ? '必填' : 'Required', key: 'required', width: 10 },
    { header: zh ? '填写说明' : 'What to enter', key: 'hint', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of columns) {
    help.addRow({ column: c.header, required: c.required ? (zh ? '是' : 'yes') : '', hint: c.hint });
  }
  help.addRow({});
  help.addRow({ column: zh ? '每行一条记录，从第 2 行开始填写；不需要的列可以删除，列的顺序可以调整。' : 'One record per row from row 2; columns you do not need may be removed or reordered.' });
  // Last: the instructions stay the second sheet, the option lists a hidden third.
  addDropdowns(book, sheet, columns, zh);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const sheetNames: Readonly<Record<string, readonly [string, string]>> = {
  customer: ['客户', 'Customers'],
  contact: ['联系人', 'Contacts'],
  lead: ['线索', 'Leads'],
  product: ['产品', 'Products'],
};

/** GET /imports/template: the file, its name and type. */
export async function importTemplate(deps: Deps, auth: AuthContext, entity: string, format: TemplateFormat, locale: Locale): Promise<{ fileName: string; contentType: string; body: Buffer }> {
  const columns = await templateColumns(deps, auth, entity, locale);
  const sheet = word(sheetNames[entity] ?? [entity, entity], locale);
  const body = await templateFile(columns, format, { sheet, locale });
  const fileName = `${sheet}${locale === 'zh-CN' ? '导入模板' : ' import template'}.${format}`;
  return { fileName, contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body };
}
