import type { Deps } from '../../deps';
import { fileCarried } from './files.repo';
import { removeStoredFiles } from './files.service';

/** An upload nothing carries is kept this long: time for the form it was picked in to be sent. */
export const unattachedFileDays = 7;

/**
 * The daily sweep of uploads that nothing carries: picked in a follow-up or contract form that was
 * never sent, or taken off a follow-up by an edit. Older than `unattachedFileDays`, their rows and
 * contents go, workspace by workspace (through the files' (workspace_id, created_at) index), in
 * batches; returns how many.
 */
export async function sweepUnattachedFiles(deps: Deps, batchSize = 500): Promise<number> {
  const cutoff = new Date(deps.now().getTime() - unattachedFileDays * 86_400_000).toISOString();
  const workspaces = await deps.db.selectFrom('workspaces').select('id').execute();
  let swept = 0;
  for (const { id: workspaceId } of workspaces) {
    for (;;) {
      const batch = await deps.db
        .selectFrom('files as fl')
        .select('fl.id')
        .where('fl.workspaceId', '=', workspaceId)
        .where('fl.createdAt', '<', cutoff)
        .where((eb) => eb.not(fileCarried('fl.id')))
        .limit(batchSize)
        .execute();
      if (batch.length > 0) {
        // A link made between the read and the delete keeps its file: the delete checks again.
        const deleted = await deps.db
          .deleteFrom('files')
          .where('workspaceId', '=', workspaceId)
          .where('id', 'in', batch.map((f) => f.id))
          .where((eb) => eb.not(fileCarried('files.id')))
          .returning('storageKey')
          .execute();
        await removeStoredFiles(deps, deleted.map((f) => f.storageKey));
        swept += deleted.length;
      }
      if (batch.length < batchSize) {
        break;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return swept;
}
