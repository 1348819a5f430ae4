import type { Deps } from '../../deps';
import { removeStoredFiles } from './files.service';

/** An upload nothing carries is kept this long: time for the form it was picked in to be sent. */
export const unattachedFileDays = 7;

/**
 * The daily sweep of uploads that nothing carries: picked in a follow-up or contract form that was
 * never sent, or taken off a follow-up by an edit. Older than `unattachedFileDays`, their rows and
 * contents go, in batches; returns how many.
 */
export async function sweepUnattachedFiles(deps: Deps, batchSize = 500): Promise<number> {
  const cutoff = new Date(deps.now().getTime() - unattachedFileDays * 86_400_000).toISOString();
  let swept = 0;
  for (;;) {
    const batch = await deps.db
      .selectFrom('files as fl')
      .select(['fl.id', 'fl.storageKey'])
      .where('fl.createdAt', '<', cutoff)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('followUpFiles as ff').select('ff.fileId').whereRef('ff.fileId', '=', 'fl.id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('contractFiles as cf').select('cf.fileId').whereRef('cf.fileId', '=', 'fl.id'))))
      .limit(batchSize)
      .execute();
    if (batch.length === 0) {
      return swept;
    }
    // A link made between the read and the delete keeps its file: the delete checks again.
    const deleted = await deps.db
      .deleteFrom('files')
      .where('id', 'in', batch.map((f) => f.id))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('followUpFiles as ff').select('ff.fileId').whereRef('ff.fileId', '=', 'files.id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('contractFiles as cf').select('cf.fileId').whereRef('cf.fileId', '=', 'files.id'))))
      .returning(['id', 'storageKey'])
      .execute();
    await removeStoredFiles(deps, deleted.map((f) => f.storageKey));
    swept += deleted.length;
    if (batch.length < batchSize) {
      return swept;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
