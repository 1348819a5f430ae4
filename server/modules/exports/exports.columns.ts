import type { CustomFieldDefinition } from '../../../common/custom-fields';
import type { Locale } from '../../../common/locale';
import type { Customer } from '../customers/customers.schema';
import { fieldAccess, type Permissions } from '../permissions/permissions.service';

/** What a cell needs besides the record: option labels, the language, the workspace's time zone. */
export interface CellContext {
  locale: Locale;
  labels: Record<'level' | 'source' | 'industry', Map<string, string>>;
  formatTime: (iso: string | null | undefined) => string;
}

export interface ExportColumn {
  key: string;
  header: string;
  /** The permission-catalog field guarding it: a hidden field's column is left out of the file. */
  permissionField?: string;
  cell: (c: Customer, ctx: CellContext) => string;
}

const stageLabels: Record<string, { zh: string; en: string }> = {
  prospect: { zh: '潜在', en: 'Prospect' },
  intent: { zh: '意向', en: 'Intent' },
  customer: { zh: '成交', en: 'Customer' },
  loyal: { zh: '忠诚', en: 'Loyal' },
  churned: { zh: '流失', en: 'Churned' },
};

function text(value: string | null | undefined): string {
  return value ?? '';
}

/**
 * Built-in customer columns. Headers are the words the importer recognises, so an exported file
 * imports back with its columns mapped.
 */
const builtIn: { key: string; zh: string; en: string; permissionField?: string; cell: ExportColumn['cell'] }[] = [
  { key: 'name', zh: '客户名称', en: 'Name', cell: (c) => c.name },
  { key: 'kind', zh: '客户类型', en: 'Kind', cell: (c, x) => (c.kind === 'person' ? (x.locale === 'zh-CN' ? '个人' : 'person') : x.locale === 'zh-CN' ? '公司' : 'company') },
  { key: 'phone', zh: '电话', en: 'Phone', permissionField: 'phone', cell: (c) => text(c.phone) },
  { key: 'email', zh: '邮箱', en: 'Email', permissionField: 'email', cell: (c) => text(c.email) },
  { key: 'website', zh: '网址', en: 'Website', permissionField: 'website', cell: (c) => text(c.website) },
  { key: 'level', zh: '级别', en: 'Level', permissionField: 'level', cell: (c, x) => (c.level ? (x.labels.level.get(c.level) ?? c.level) : '') },
  { key: 'source', zh: '来源', en: 'Source', permissionField: 'source', cell: (c, x) => (c.source ? (x.labels.source.get(c.source) ?? c.source) : '') },
  { key: 'industry', zh: '行业', en: 'Industry', permissionField: 'industry', cell: (c, x) => (c.industry ? (x.labels.industry.get(c.industry) ?? c.industry) : '') },
  {
    key: 'lifecycleStage',
    zh: '生命周期',
    en: 'Lifecycle stage',
    permissionField: 'lifecycleStage',
    cell: (c, x) => {
      const label = c.lifecycleStage ? stageLabels[c.lifecycleStage] : undefined;
      return label ? (x.locale === 'zh-CN' ? label.zh : label.en) : '';
    },
  },
  { key: 'dealStatus', zh: '成交状态', en: 'Deal status', cell: (c, x) => (c.dealStatus === 'dealt' ? (x.locale === 'zh-CN' ? '已成交' : 'dealt') : x.locale === 'zh-CN' ? '未成交' : 'none') },
  { key: 'ownerName', zh: '负责人', en: 'Owner', permissionField: 'owner', cell: (c) => text(c.ownerName) },
  { key: 'province', zh: '省份', en: 'Province', permissionField: 'address', cell: (c) => text(c.province) },
  { key: 'city', zh: '城市', en: 'City', permissionField: 'address', cell: (c) => text(c.city) },
  { key: 'district', zh: '区县', en: 'District', permissionField: 'address', cell: (c) => text(c.district) },
  { key: 'address', zh: '地址', en: 'Address', permissionField: 'address', cell: (c) => text(c.address) },
  { key: 'remark', zh: '备注', en: 'Remark', permissionField: 'remark', cell: (c) => text(c.remark) },
  { key: 'tags', zh: '标签', en: 'Tags', permissionField: 'tags', cell: (c) => (c.tags ?? []).map((t) => t.name).join(', ') },
  { key: 'primaryContactName', zh: '首要联系人', en: 'Primary contact', cell: (c) => text(c.primaryContactName) },
  { key: 'locked', zh: '锁定', en: 'Locked', cell: (c, x) => (c.locked ? (x.locale === 'zh-CN' ? '是' : 'yes') : x.locale === 'zh-CN' ? '否' : 'no') },
  { key: 'lastFollowupAt', zh: '最近跟进时间', en: 'Last follow-up', cell: (c, x) => x.formatTime(c.lastFollowupAt) },
  { key: 'lastFollowupContent', zh: '最近跟进内容', en: 'Last follow-up content', cell: (c) => text(c.lastFollowupContent) },
  { key: 'nextFollowupAt', zh: '下次联系时间', en: 'Next follow-up', cell: (c, x) => x.formatTime(c.nextFollowupAt) },
  { key: 'createdAt', zh: '创建时间', en: 'Created at', cell: (c, x) => x.formatTime(c.createdAt) },
  { key: 'updatedAt', zh: '更新时间', en: 'Updated at', cell: (c, x) => x.formatTime(c.updatedAt) },
];

export const defaultColumnKeys = builtIn.map((c) => c.key);

function customCell(d: CustomFieldDefinition, locale: Locale): ExportColumn['cell'] {
  const labels = new Map(d.options.map((o) => [o.value, o.label]));
  return (c) => {
    const value = c.custom[d.key];
    if (value === undefined || value === null) {
      return '';
    }
    if (Array.isArray(value)) {
      return value.map((v) => labels.get(v) ?? v).join(', ');
    }
    if (typeof value === 'boolean') {
      return value ? (locale === 'zh-CN' ? '是' : 'yes') : locale === 'zh-CN' ? '否' : 'no';
    }
    return d.type === 'singleSelect' ? (labels.get(String(value)) ?? String(value)) : String(value);
  };
}

/**
 * The columns of a customer export: the requested ones (default: every built-in and custom
 * field), minus the fields the requester's role hides. Unknown keys are returned for a 400.
 */
export function customerExportColumns(
  requested: readonly string[] | undefined,
  definitions: readonly CustomFieldDefinition[],
  permissions: Permissions,
  locale: Locale,
): { columns: ExportColumn[]; unknown: string[] } {
  const all = new Map<string, ExportColumn>();
  for (const b of builtIn) {
    all.set(b.key, { key: b.key, header: locale === 'zh-CN' ? b.zh : b.en, cell: b.cell, ...(b.permissionField ? { permissionField: b.permissionField } : {}) });
  }
  for (const d of definitions) {
    all.set(`cf.${d.key}`, { key: `cf.${d.key}`, header: d.label, permissionField: `cf.${d.key}`, cell: customCell(d, locale) });
  }
  const keys = requested && requested.length > 0 ? [...new Set(requested)] : [...all.keys()];
  const unknown = keys.filter((k) => !all.has(k));
  const columns = keys
    .map((k) => all.get(k))
    .filter((c): c is ExportColumn => c !== undefined)
    .filter((c) => c.permissionField === undefined || fieldAccess(permissions, 'customer', c.permissionField).access !== 'hidden');
  return { columns, unknown };
}

/**
 * ISO instants as local "YYYY-MM-DD HH:mm:ss" in the workspace's time zone, the way a person in
 * the office reads them in Excel. The zone offset is looked up once per hour of time, not per cell.
 */
export function timeFormatter(timeZone: string): (iso: string | null | undefined) => string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  } catch {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const hour = Math.floor(ms / 3_600_000);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      const parts = Object.fromEntries(format.formatToParts(new Date(hour * 3_600_000)).map((p) => [p.type, p.value]));
      const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
      offset = local - hour * 3_600_000;
      offsets.set(hour, offset);
    }
    return offset;
  };
  return (iso) => {
    if (!iso) {
      return '';
    }
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) {
      return '';
    }
    const local = new Date(ms + offsetAt(ms)).toISOString();
    return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
  };
}

const needsQuotes = /[",\r\n]/;
/** Text Excel would run as a formula (=, @, or +/- not followed by a plain number or phone). */
const formulaLike = /^(?:[=@\t\r]|[+-](?![\d\s().-]*$))/;

/**
 * One CSV record (RFC 4180, CRLF). Written by hand: csv-stringify spends ~15 µs a row on what is,
 * for plain strings, this. A cell that Excel would evaluate as a formula gets a leading
 * apostrophe (CSV injection); the importer takes it off again.
 */
export function csvRecord(values: readonly string[]): string {
  let line = '';
  for (let i = 0; i < values.length; i += 1) {
    let v = values[i] ?? '';
    if (formulaLike.test(v)) {
      v = `'${v}`;
    }
    if (i > 0) {
      line += ',';
    }
    line += needsQuotes.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }
  return `${line}\r\n`;
}
