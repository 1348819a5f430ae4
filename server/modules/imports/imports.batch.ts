import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import type { AuthContext } from '../../http/auth-context';
import { contactImporter } from './imports.contacts';
import { customerImporter } from './imports.customers';
import type { SourceRow } from './imports.files';
import type { ImportEntity, Mapping } from './imports.mapping';
import type { DuplicateMode, RowOutcome } from './imports.values';

/** What one import (or its preview) runs with: the importer's current permissions, the mapping, the mode. */
export interface ImportRun {
  deps: Deps;
  auth: AuthContext;
  mapping: Mapping;
  duplicateMode: DuplicateMode;
  /** The time stamped on every record of the batch. */
  now: string;
}

/** A batch decided: what happens to each row, and the writes that make it so. */
export interface BatchPlan {
  outcomes: RowOutcome[];
  /** Runs in the batch's transaction (pass it), after the import's cursor moved. */
  write: (trx: Kysely<Database>) => Promise<void>;
}

export interface EntityImporter {
  /** Validates and classifies rows (reads only); `preview` also looks for duplicates in "create" mode. */
  plan: (db: Kysely<Database>, rows: readonly SourceRow[], options: { preview: boolean }) => Promise<BatchPlan>;
}

export async function entityImporter(entity: ImportEntity, run: ImportRun): Promise<EntityImporter> {
  return entity === 'contact' ? contactImporter(run) : customerImporter(run);
}
