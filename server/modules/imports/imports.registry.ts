import type { Kysely } from 'kysely';
import type { CustomFieldDefinition } from '../../../common/custom-fields';
import type { Database } from '../../db/types';
import type { DialectName } from '../../db/dialect';
import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import type { Permissions } from '../permissions/permissions.service';
import type { SourceRow } from './imports.files';
import type { WallClock } from '../../../common/time-zone';
import type { Mapping } from './imports.mapping';
import type { DuplicateMode, RowError, UserLookup } from './imports.values';

/**
 * The import pipeline is generic; an entity plugs in with one adapter (`registerImportEntity`).
 * The pipeline does, per batch of rows (see imports.pipeline.ts):
 *
 *   1. prepare   — mapped cells → values; custom fields through the API's validator;
 *   2. validate  — `adapter.validateRow` (pure, per row): built-in fields, dedupe keys;
 *   3. resolve   — `adapter.resolveBatch` (optional, batch reads: e.g. a contact's customer);
 *   4. dedupe    — `adapter.findExisting` (batch reads) + earlier rows of the batch, by `dedupeKeys`;
 *      then the duplicate mode (skip / update / create), required and unique custom fields;
 *   5. write     — `adapter.writeBatch` inside the batch's transaction (multi-row INSERTs, search index).
 *
 * Crash safety, resume, progress, the errors file, preview and permissions on the mapping are the
 * pipeline's: an adapter never sees them.
 */

/** What one import (or its preview) runs with: the importer's current permissions, the mapping, the mode. */
export interface ImportRun {
  deps: Deps;
  auth: AuthContext;
  mapping: Mapping;
  duplicateMode: DuplicateMode;
  /** The time stamped on every record of the batch. */
  now: string;
}

/** What the pipeline loads once per run and hands to every adapter call. */
export interface ImportContext<S> {
  run: ImportRun;
  workspaceId: string;
  /** The entity's custom field definitions (all), and those the mapping uses. */
  definitions: readonly CustomFieldDefinition[];
  mappedCustom: readonly CustomFieldDefinition[];
  users: UserLookup;
  /** Reads a time a cell gives without a zone in the workspace's time zone (imports.cells.ts). */
  wallClock: WallClock;
  /** Whatever the adapter's `setup` returned (picklists, scopes, tags, …). */
  state: S;
}

/** What `validateRow` makes of one row. */
export interface ValidatedRow<T> {
  errors: RowError[];
  /** Validated built-in columns the row sets (only cells with a value): an update writes exactly these. */
  patch: Record<string, string | number | null>;
  /** Normalised dedupe keys (`dedupeKeys` → value; null or '' = none). */
  keys: Record<string, string | null>;
  /** Anything else the adapter needs later (tag names, an owner, a parent record…). */
  extra: T;
}

/** A row after validation, as later phases see it. */
export interface PreparedRow<T> extends ValidatedRow<T> {
  row: SourceRow;
  /** Mapped field → the cell's text (non-empty cells only). */
  values: Record<string, string>;
  /** Validated custom field values of the row. */
  custom: Record<string, unknown>;
}

/** A record already in the database that rows may duplicate. */
export interface ExistingRecord {
  id: string;
  name: string;
  ownerId: string | null;
  /** The stored custom JSON (an update merges the row's custom values into it). */
  custom: unknown;
  /** Its normalised dedupe keys, comparable to a row's `keys`. */
  keys: Record<string, string | null>;
}

export interface RecordAccess {
  /** Whether the importer may see it (else a duplicate is reported without id and name). */
  visible: (record: ExistingRecord) => boolean;
  /** Whether "update existing" may change it. */
  editable: (record: ExistingRecord) => boolean;
}

/** A record to insert; later rows of the batch that duplicate it were merged in (patch and custom). */
export interface PendingCreate<T> {
  record: Record<string, string | number | null>;
  /** The row that created it first, then the rows merged into it. */
  rows: PreparedRow<T>[];
}

/** An existing record to update: the merged patch of its rows and its full new custom values. */
export interface PendingUpdate<T> {
  id: string;
  patch: Record<string, string | number | null>;
  custom: Record<string, unknown>;
  rows: PreparedRow<T>[];
}

export interface ImportAdapter<S = unknown, T = unknown> {
  /** The entity name: also the permission prefix (`<entity>:import`) and the custom-fields entity. */
  entity: string;
  /** Built-in fields a column may map to (custom fields are `cf.<key>`). */
  fields: readonly string[];
  /** The import template's columns, in order (default: `fields`): a field only some files have can stay out of it. */
  templateFields?: readonly string[];
  /** Fields the mapping must include. */
  requiredFields: readonly string[];
  /** Import field → permission-catalog field guarding it (field rules apply as in forms); `entity:field` names another entity's field. */
  permissionFields: Readonly<Record<string, string>>;
  /** Headers people write, in 中文 and English, per field (normalised by headerKey when compared). */
  headerGuesses: Readonly<Record<string, readonly string[]>>;
  /** The import template's header per field, [中文, English]: worded so `headerGuesses` maps it back (imports.template.test.ts). */
  templateLabels: Readonly<Record<string, readonly [string, string]>>;
  /** Optional: what the template's instructions say a field takes, [中文, English]. */
  templateHints?: Readonly<Record<string, readonly [string, string]>>;
  /** Optional: the option list (picklist key) a field takes its values from; the template lists its options. */
  optionLists?: Readonly<Record<string, string>>;
  /** Dedupe keys in order of preference (e.g. name, phone, email); they name the duplicate's reason. */
  dedupeKeys: readonly string[];
  /** Look for duplicates in "create anyway" mode too (the default looks only for skip/update and previews). */
  dedupeInCreateMode?: boolean;
  /** Tables to ANALYZE as an import grows (their planner statistics go stale fast). */
  analyzeTables: readonly string[];
  /**
   * Optional: what a run needs beyond `<entity>:import` and the mapped fields' rules, given its
   * mapping and duplicate handling (throws AppError). Checked when the import is previewed or
   * started, so the wizard says so before a job is queued; `setup` checks it again when the job runs.
   */
  checkRun?: (permissions: Permissions, mapping: Mapping, duplicateMode: DuplicateMode) => void;
  /** Loads what validation needs once per run. Throw AppError when the importer lacks a permission. */
  setup: (ctx: Omit<ImportContext<never>, 'state'>) => Promise<S>;
  /** Pure, per row: built-in fields through the entity's API schema, option lists, dedupe keys. */
  validateRow: (ctx: ImportContext<S>, values: Record<string, string>, row: SourceRow) => ValidatedRow<T>;
  /** Optional batch reads after validation; may add errors to rows and fill keys/extra. */
  resolveBatch?: (ctx: ImportContext<S>, db: Kysely<Database>, rows: PreparedRow<T>[]) => Promise<void>;
  /** Existing records sharing a key with these rows, oldest first (the first one per key wins). */
  findExisting: (ctx: ImportContext<S>, db: Kysely<Database>, rows: readonly PreparedRow<T>[]) => Promise<ExistingRecord[]>;
  /** Who may see / edit the duplicates found; default: everything found is visible and editable. */
  access?: (ctx: ImportContext<S>, db: Kysely<Database>, records: readonly ExistingRecord[]) => Promise<RecordAccess>;
  /** The full row (every column) to insert for a new record. */
  newRecord: (ctx: ImportContext<S>, row: PreparedRow<T>) => Record<string, string | number | null>;
  /** Writes a batch inside its transaction: inserts, updates (see `updateRecords`), links, search index. */
  writeBatch: (ctx: ImportContext<S>, trx: Kysely<Database>, batch: { creates: PendingCreate<T>[]; updates: PendingUpdate<T>[] }) => Promise<void>;
  /**
   * Optional: the search entries of *new* records are written by the job's closing "indexing"
   * stage in bulk (imports.indexing.ts) instead of in every batch; `writeBatch` then indexes only
   * its updates. Without it, `writeBatch` indexes everything itself.
   */
  deferredIndex?: DeferredIndex;
}

/** How the indexing stage indexes the records an import created (see imports.indexing.ts). */
export interface DeferredIndex {
  /**
   * In `trx`: looks at the next `limit` records of the workspace after `after` (id order; ids are
   * UUIDv7, so an import's records sort after its start), writes the entries of the live ones that
   * have none — the bulk path (no read-back, no upsert), or with `upsert` the usual reindex (for a
   * window in which a concurrent edit indexed one first) — and returns how many it indexed and the
   * last id it looked at (null: nothing left). `unindexedRecords` does the look-up.
   */
  indexBatch: (
    trx: Kysely<Database>,
    dialect: DialectName,
    workspaceId: string,
    after: string,
    limit: number,
    options: { upsert: boolean },
  ) => Promise<{ indexed: number; last: string | null }>;
}

const adapters = new Map<string, ImportAdapter>();

/** Makes an entity importable. Call at module load (see imports.entities.ts for where modules are loaded). */
export function registerImportEntity<S, T>(adapter: ImportAdapter<S, T>): void {
  adapters.set(adapter.entity, adapter as unknown as ImportAdapter);
}

export function importAdapter(entity: string): ImportAdapter | undefined {
  return adapters.get(entity);
}

export function importEntityNames(): string[] {
  return [...adapters.keys()];
}

export function isImportEntity(value: string): boolean {
  return adapters.has(value);
}
