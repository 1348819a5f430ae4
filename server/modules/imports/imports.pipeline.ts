import type { Kysely } from 'kysely';
import { parseJson } from '../../db/dialect';
import type { Database } from '../../db/types';
import { AppError } from '../../http/app-error';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { lockUniqueValues, uniqueValueHolders } from '../custom-fields/unique-values';
import { workspaceTimezone } from '../follow-ups/follow-ups.repo';
import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { zoneClock } from '../../../common/time-zone';
import type { SourceRow } from './imports.files';
import {
  type ExistingRecord,
  type ImportAdapter,
  type ImportContext,
  importAdapter,
  type ImportRun,
  type PendingCreate,
  type PendingUpdate,
  type PreparedRow,
  type RecordAccess,
} from './imports.registry';
import { customFromCells, customOptionLookups, type DuplicateRef, loadUsers, mappedValues, missingRequired, type RowError, type RowOutcome } from './imports.values';

import './imports.entities';

export type { ImportRun } from './imports.registry';

/** A batch decided: what happens to each row, and the writes that make it so. */
export interface BatchPlan {
  outcomes: RowOutcome[];
  /** Runs in the batch's transaction (pass it), after the import's cursor moved. */
  write: (trx: Kysely<Database>) => Promise<void>;
}

/** Rows through phases 1+2 (no database access): made ahead of `plan` so a job can overlap it with the previous batch's writes. */
export interface PreparedBatch {
  rows: readonly SourceRow[];
  prepared: PreparedRow<unknown>[];
}

export interface EntityImporter {
  adapter: ImportAdapter;
  /** Phases 1+2 only: pure, per row. */
  prepare: (rows: readonly SourceRow[]) => PreparedBatch;
  /** Validates and classifies rows (reads only); `preview` also looks for duplicates in "create" mode. */
  plan: (db: Kysely<Database>, rows: readonly SourceRow[] | PreparedBatch, options: { preview: boolean }) => Promise<BatchPlan>;
}

type Target<T> = { kind: 'existing'; existing: ExistingRecord } | { kind: 'new'; pending: PendingCreate<T> };

const everything: RecordAccess = { visible: () => true, editable: () => true };

/** Phase 1+2: mapped cells → custom values (the API's validator) → the adapter's row validation. */
function prepareRows<S, T>(adapter: ImportAdapter<S, T>, ctx: ImportContext<S>, rows: readonly SourceRow[]): PreparedRow<T>[] {
  const customOptions = customOptionLookups(ctx.definitions);
  return rows.map((row) => {
    const values = mappedValues(ctx.run.mapping, row.cells);
    const validated = adapter.validateRow(ctx, values, row);
    const custom = ctx.mappedCustom.length > 0 ? customFromCells(ctx.mappedCustom, values, ctx.users, customOptions, ctx.wallClock) : { values: {}, errors: [] };
    return { ...validated, row, values, custom: custom.values, errors: [...validated.errors, ...custom.errors] };
  });
}

/** Phase 3: the existing records per dedupe key (the adapter lists them oldest first: the first wins). */
function indexExisting(keys: readonly string[], records: readonly ExistingRecord[]): Map<string, Map<string, ExistingRecord>> {
  const byKey = new Map(keys.map((k) => [k, new Map<string, ExistingRecord>()]));
  for (const r of records) {
    for (const key of keys) {
      const value = r.keys[key];
      const map = byKey.get(key);
      if (value && map && !map.has(value)) {
        map.set(value, r);
      }
    }
  }
  return byKey;
}

function customObject(value: unknown): Record<string, unknown> {
  const parsed = typeof value === 'string' ? parseJson(value) : value;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...(parsed as Record<string, unknown>) } : {};
}

/**
 * The import pipeline for one entity and one run: loads the run's context once, then plans batches
 * (prepare → validate → resolve → dedupe → decide) whose `write` the job runs in its transaction.
 */
export async function entityImporter(entity: string, run: ImportRun): Promise<EntityImporter> {
  const found = importAdapter(entity);
  if (!found) {
    throw new AppError('validation_failed', { errors: [{ path: 'entity', message: `cannot import ${entity}` }] });
  }
  const adapter: ImportAdapter = found;
  const workspaceId = run.auth.workspaceId;
  const [definitions, users, timeZone] = await Promise.all([customFieldDefinitions(run.deps, workspaceId, entity), loadUsers(run.deps, workspaceId), workspaceTimezone(run.deps.db, workspaceId)]);
  const mapped = new Set(run.mapping.values());
  const mappedCustom = definitions.filter((d) => mapped.has(`cf.${d.key}`));
  const base = { run, workspaceId, definitions, mappedCustom, users, wallClock: zoneClock(timeZone).toInstant };
  const ctx: ImportContext<unknown> = { ...base, state: await adapter.setup(base) };

  function uniqueScalar(d: CustomFieldDefinition, p: PreparedRow<unknown>): string | number | boolean | null {
    const value = p.custom[d.key];
    if (!d.unique || value === undefined || value === null || Array.isArray(value) || typeof value === 'object') {
      return null;
    }
    return value as string | number | boolean;
  }

  /**
   * Who holds the batch's unique values, by field and value: all of them locked first (in the
   * one order every writer uses, so two imports of the same values queue instead of deadlocking),
   * then looked up in one query per field and 500 values instead of one per row.
   */
  async function uniqueHolders(db: Kysely<Database>, rows: readonly PreparedRow<unknown>[], lock: boolean): Promise<Map<string, Map<string, string[]>>> {
    const byField = new Map<string, (string | number | boolean)[]>();
    for (const d of mappedCustom) {
      const values = rows.map((p) => uniqueScalar(d, p)).filter((v) => v !== null);
      if (values.length > 0) {
        byField.set(d.key, values);
      }
    }
    if (lock) {
      // A form saving the same value waits for this batch to commit.
      const claims = [...byField].flatMap(([key, values]) => values.map((value) => ({ key, value })));
      await lockUniqueValues(db, run.deps.dialect, workspaceId, entity, claims);
    }
    const holders = new Map<string, Map<string, string[]>>();
    for (const [key, values] of byField) {
      holders.set(key, await uniqueValueHolders({ db, dialect: run.deps.dialect }, workspaceId, entity, key, values));
    }
    return holders;
  }

  function uniqueCustomErrors(p: PreparedRow<unknown>, excludeId: string | null, holders: Map<string, Map<string, string[]>>, seen: Map<string, number>): RowError[] {
    const errors: RowError[] = [];
    for (const d of mappedCustom) {
      const value = uniqueScalar(d, p);
      if (value === null) {
        continue;
      }
      const token = `${d.key}\u0000${JSON.stringify(value)}`;
      const earlier = seen.get(token);
      if (earlier !== undefined) {
        errors.push({ field: `cf.${d.key}`, message: `same value as row ${earlier}` });
      } else if ((holders.get(d.key)?.get(JSON.stringify(value)) ?? []).some((id) => id !== excludeId)) {
        errors.push({ field: `cf.${d.key}`, message: `already used by another ${entity}` });
      } else {
        seen.set(token, p.row.rowNumber);
      }
    }
    return errors;
  }

  function prepare(rows: readonly SourceRow[]): PreparedBatch {
    return { rows, prepared: prepareRows(adapter, ctx, rows) };
  }

  async function plan(db: Kysely<Database>, input: readonly SourceRow[] | PreparedBatch, options: { preview: boolean }): Promise<BatchPlan> {
    const { prepared } = 'prepared' in input ? input : prepare(input);
    if (adapter.resolveBatch) {
      await adapter.resolveBatch(
        ctx,
        db,
        prepared.filter((p) => p.errors.length === 0),
      );
    }
    const valid = prepared.filter((p) => p.errors.length === 0);
    const lookForDuplicates = run.duplicateMode !== 'create' || options.preview || adapter.dedupeInCreateMode === true;
    const existingRecords = lookForDuplicates && valid.length > 0 ? await adapter.findExisting(ctx, db, valid) : [];
    const existing = indexExisting(adapter.dedupeKeys, existingRecords);
    const access = adapter.access && existingRecords.length > 0 ? await adapter.access(ctx, db, existingRecords) : everything;
    const inBatch = new Map(adapter.dedupeKeys.map((k) => [k, new Map<string, PendingCreate<unknown>>()]));
    const creates: PendingCreate<unknown>[] = [];
    const updates = new Map<string, PendingUpdate<unknown>>();
    const uniqueSeen = new Map<string, number>();
    const holders = await uniqueHolders(db, valid, !options.preview);
    const outcomes: RowOutcome[] = [];

    for (const p of prepared) {
      const outcome: RowOutcome = { rowNumber: p.row.rowNumber, cells: p.row.cells, values: p.values, action: 'fail', errors: p.errors };
      outcomes.push(outcome);
      if (p.errors.length > 0) {
        continue;
      }
      let target: Target<unknown> | undefined;
      let reason: DuplicateRef['reason'] = adapter.dedupeKeys[0] ?? 'name';
      if (lookForDuplicates) {
        // A record in the database wins over an earlier row of the file.
        for (const key of adapter.dedupeKeys) {
          const k = p.keys[key];
          const hit = k ? existing.get(key)?.get(k) : undefined;
          if (hit) {
            target = { kind: 'existing', existing: hit };
            reason = key;
            break;
          }
        }
        for (const key of adapter.dedupeKeys) {
          const k = p.keys[key];
          const hit = !target && k ? inBatch.get(key)?.get(k) : undefined;
          if (hit) {
            target = { kind: 'new', pending: hit };
            reason = key;
          }
        }
      }
      if (target) {
        if (target.kind === 'new') {
          const first = target.pending.rows[0];
          outcome.duplicateOf = { id: null, name: String(target.pending.record.name ?? ''), rowNumber: first?.row.rowNumber ?? null, reason, visible: true };
        } else {
          const visible = access.visible(target.existing);
          outcome.duplicateOf = { id: visible ? target.existing.id : null, name: visible ? target.existing.name : null, rowNumber: null, reason, visible };
        }
      }
      if (target && run.duplicateMode === 'skip') {
        outcome.action = 'skip';
        continue;
      }
      if (target && run.duplicateMode === 'update') {
        if (target.kind === 'new') {
          // A later row of the same batch about the same record fills in the pending insert.
          const pending = target.pending;
          Object.assign(pending.record, p.patch, { custom: JSON.stringify({ ...customObject(pending.record.custom), ...p.custom }) });
          pending.rows.push(p);
          outcome.action = 'update';
          continue;
        }
        const found = target.existing;
        if (!access.editable(found)) {
          outcome.errors = [{ field: reason, message: `duplicate of a ${entity} you may not edit` }];
          continue;
        }
        const uniqueErrors = uniqueCustomErrors(p, found.id, holders, uniqueSeen);
        if (uniqueErrors.length > 0) {
          outcome.errors = uniqueErrors;
          continue;
        }
        const pending = updates.get(found.id) ?? { id: found.id, patch: {}, custom: customObject(found.custom), rows: [] };
        Object.assign(pending.patch, p.patch);
        Object.assign(pending.custom, p.custom);
        pending.rows.push(p);
        updates.set(found.id, pending);
        outcome.action = 'update';
        continue;
      }
      const required = missingRequired(definitions, p.custom);
      const uniqueErrors = required.length > 0 ? [] : uniqueCustomErrors(p, null, holders, uniqueSeen);
      if (required.length > 0 || uniqueErrors.length > 0) {
        outcome.errors = [...required, ...uniqueErrors];
        continue;
      }
      const created: PendingCreate<unknown> = { record: adapter.newRecord(ctx, p), rows: [p] };
      creates.push(created);
      for (const key of adapter.dedupeKeys) {
        const k = p.keys[key];
        const map = inBatch.get(key);
        if (k && map && !map.has(k)) {
          map.set(k, created);
        }
      }
      outcome.action = 'create';
    }

    return {
      outcomes,
      write: async (trx) => {
        if (creates.length > 0 || updates.size > 0) {
          await adapter.writeBatch(ctx, trx, { creates, updates: [...updates.values()] });
        }
      },
    };
  }

  return { adapter, prepare, plan };
}
