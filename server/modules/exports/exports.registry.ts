import type { Kysely } from 'kysely';
import type { CustomFieldDefinition } from '../../../common/custom-fields';
import type { Locale } from '../../../common/locale';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { sortValueOf } from '../../list/list-page';
import type { ListSpec, ParsedList } from '../../list/list-spec';
import { parseListQuery } from '../../list/parse-list';
import { fieldAccess, type Permissions } from '../permissions/permissions.service';

/**
 * Entities that can be exported (POST /exports { entity }). An entity registers once, from its
 * own module, and the export job does the rest: permission `<entity>:export`, the list's filter
 * parsing, keyset paging on a long-read worker, field rules on columns, CSV/XLSX writing,
 * progress, audit. See docs/import-export.md, "Adding export to an entity".
 */

/** What a cell needs besides its record: the language, option labels, the workspace's time zone. */
export interface CellContext {
  locale: Locale;
  /** The label of a picklist option (`label('customer.level', 'A')`), or the value if unknown. */
  label: (listKey: string, value: string | null | undefined) => string;
  /** An ISO instant as "YYYY-MM-DD HH:mm:ss" in the workspace's time zone ('' for none). */
  formatTime: (iso: string | null | undefined) => string;
  /** The word for the workspace's language. */
  word: (zh: string, en: string) => string;
}

export interface ExportColumnDef<Item> {
  /** Column key as requested in `columns` (the field's API name). */
  key: string;
  /** Headers: use the words the importer recognises, so an export imports back. */
  zh: string;
  en: string;
  /** The permission-catalog field guarding it: a hidden field's column is left out of the file. */
  permissionField?: string;
  cell: (item: Item, ctx: CellContext) => string;
}

/** A column ready to write: header in the workspace's language. */
export interface ExportColumn<Item> {
  key: string;
  header: string;
  permissionField?: string;
  cell: (item: Item, ctx: CellContext) => string;
}

export interface ExportPlan<Row, Item> {
  /**
   * One keyset page, run on `db`: at most `list.limit + 1` rows after `list.cursor`, in
   * `list.sort` order, within the requester's export scope, filters, search and selection —
   * normally the entity's list repo function as is. `db` is a long-read Kysely
   * (server/db/read-worker.ts): on SQLite its queries run on a worker thread.
   */
  page: (db: Kysely<Database>, list: ParsedList) => Promise<Row[]>;
  /** How many rows there are to export (for progress), run on `db` beside the pages. */
  count?: (db: Kysely<Database>) => Promise<number>;
  /**
   * Rows → what the cells read, with the entity's field rules applied exactly as its API applies
   * them (hidden left out, masked masked). Called on the main thread for slices of a page.
   */
  present: (rows: Row[]) => Item[] | Promise<Item[]>;
}

export interface ExportPlanInput {
  list: ParsedList;
  /** Values of `extraFilterKeys` given in the filter, comma lists split. */
  extra: Record<string, string[]>;
  /** A selection (within the filter), at most 5 000 ids. */
  ids: readonly string[] | undefined;
  definitions: readonly CustomFieldDefinition[];
  /** Keys of the columns being written (skip lookups no column needs). */
  columns: readonly string[];
}

export interface ExportEntity<Row extends { id: string }, Item> {
  /** Permission-catalog entity: needs `<entity>:export`; field rules of this entity apply. */
  entity: string;
  /** File name prefix and sheet name. */
  names: { zh: string; en: string };
  /** The entity's list spec: the export's filter and sort parse exactly like its list's query string. */
  listSpec: ListSpec;
  /** Filter keys the entity's list understands besides the spec's (e.g. `tag`), handed to `plan` as `extra`. */
  extraFilterKeys?: readonly string[];
  /** Built-in columns, in file order (the default set is all of them plus custom fields). */
  columns: readonly ExportColumnDef<Item>[];
  /** Where an item keeps its (already field-ruled) custom values: adds a `cf.<key>` column per custom field. */
  customValues?: (item: Item) => Record<string, unknown>;
  /** Builds one export's queries and presenter; throws AppError for a bad filter (checked when the export is requested). */
  plan: (deps: Deps, auth: AuthContext, input: ExportPlanInput) => Promise<ExportPlan<Row, Item>>;
}

// The registry is heterogeneous: each entity's Row/Item types meet only inside its own registration.
type AnyExportEntity = ExportEntity<{ id: string }, unknown>;
const entities = new Map<string, AnyExportEntity>();

export function registerExportEntity<Row extends { id: string }, Item>(definition: ExportEntity<Row, Item>): void {
  if (entities.has(definition.entity)) {
    throw new Error(`export entity ${definition.entity} registered twice`);
  }
  entities.set(definition.entity, definition as unknown as AnyExportEntity);
}

export function exportEntity(entity: string): AnyExportEntity | undefined {
  return entities.get(entity);
}

export function exportEntityNames(): string[] {
  return [...entities.keys()];
}

const pagingKeys = new Set(['limit', 'cursor', 'count', 'deleted']);

/**
 * The filter of an export, parsed exactly as the entity's list parses its query string (same
 * errors for unknown or hidden fields); paging keys are ignored and the recycle bin is never exported.
 */
export function parseExportFilter(
  definition: AnyExportEntity,
  filter: Record<string, string | string[]>,
  definitions: readonly CustomFieldDefinition[],
  permissions: Permissions,
): { list: ParsedList; extra: Record<string, string[]> } {
  const rest: Record<string, string | string[]> = {};
  const extra: Record<string, string[]> = {};
  const extraKeys = new Set(definition.extraFilterKeys ?? []);
  for (const [key, value] of Object.entries(filter)) {
    if (pagingKeys.has(key)) {
      continue;
    }
    if (extraKeys.has(key)) {
      extra[key] = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter((v) => v !== '');
      continue;
    }
    rest[key] = value;
  }
  const list = parseListQuery(rest, definition.listSpec, definitions, (f) => fieldAccess(permissions, definition.entity, f));
  return { list, extra };
}

/**
 * The columns of an export: the requested ones (default: every built-in and custom field), minus
 * the fields the requester's role hides. Unknown keys are returned for a 400.
 */
export function exportColumns<Item>(
  definition: ExportEntity<{ id: string }, Item>,
  requested: readonly string[] | undefined,
  definitions: readonly CustomFieldDefinition[],
  permissions: Permissions,
  locale: Locale,
): { columns: ExportColumn<Item>[]; unknown: string[] } {
  const all = new Map<string, ExportColumn<Item>>();
  for (const b of definition.columns) {
    all.set(b.key, { key: b.key, header: locale === 'zh-CN' ? b.zh : b.en, cell: b.cell, ...(b.permissionField ? { permissionField: b.permissionField } : {}) });
  }
  const customValues = definition.customValues;
  if (customValues) {
    for (const d of definitions) {
      all.set(`cf.${d.key}`, { key: `cf.${d.key}`, header: d.label, permissionField: `cf.${d.key}`, cell: customCell(d, locale, customValues) });
    }
  }
  const keys = requested && requested.length > 0 ? [...new Set(requested)] : [...all.keys()];
  const unknown = keys.filter((k) => !all.has(k));
  const columns = keys
    .map((k) => all.get(k))
    .filter((c): c is ExportColumn<Item> => c !== undefined)
    .filter((c) => c.permissionField === undefined || fieldAccess(permissions, definition.entity, c.permissionField).access !== 'hidden');
  return { columns, unknown };
}

function customCell<Item>(d: CustomFieldDefinition, locale: Locale, valuesOf: (item: Item) => Record<string, unknown>): ExportColumn<Item>['cell'] {
  const labels = new Map(d.options.map((o) => [o.value, o.label]));
  return (item) => {
    const value = valuesOf(item)[d.key];
    if (value === undefined || value === null) {
      return '';
    }
    if (Array.isArray(value)) {
      return value.map((v) => labels.get(asText(v)) ?? asText(v)).join(', ');
    }
    if (typeof value === 'boolean') {
      return value ? (locale === 'zh-CN' ? '是' : 'yes') : locale === 'zh-CN' ? '否' : 'no';
    }
    return d.type === 'singleSelect' ? (labels.get(asText(value)) ?? asText(value)) : asText(value);
  };
}

function asText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** The keyset position after a row, for the next page in the list's sort (the list's own cursor value). */
export function cursorAfter(list: ParsedList, row: { id: string }): ParsedList['cursor'] {
  return { value: sortValueOf(list, row), id: row.id };
}

/** The registration of an entity; a name nobody registered is a bad request (400) that lists the ones there are. */
export function requireExportEntity(entity: string): AnyExportEntity {
  const definition = exportEntity(entity);
  if (!definition) {
    throw new AppError('validation_failed', { errors: [{ path: 'entity', message: `not an entity that exports; one of: ${exportEntityNames().sort().join(', ')}` }] });
  }
  return definition;
}
