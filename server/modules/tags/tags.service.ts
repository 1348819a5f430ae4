import { isUniqueViolation } from '../../db/dialect';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { deleteTag, insertTag, listTags, tagExists, updateTag } from './tags.repo';

function nameConflict(error: unknown): unknown {
  return isUniqueViolation(error) ? new AppError('name_taken', { errors: [{ path: 'name', message: 'already in use' }] }) : error;
}

export async function listAllTags(deps: Deps, workspaceId: string) {
  return listTags(deps.db, workspaceId);
}

export async function createTag(deps: Deps, actor: AuditActor, input: { name: string; color: string }) {
  const id = newId();
  try {
    await insertTag(deps.db, { id, workspaceId: actor.workspaceId, name: input.name, color: input.color, createdAt: nowIso(deps) });
  } catch (error) {
    throw nameConflict(error);
  }
  await recordAudit(deps, actor, { action: 'tag.created', targetType: 'tag', targetId: id, detail: { name: input.name } });
  return { id, name: input.name, color: input.color, usage: 0, version: 1 };
}

/** Renames or recolours a tag; with `expectedVersion` (If-Match) a tag changed meanwhile answers 412 version_mismatch. */
export async function editTag(deps: Deps, actor: AuditActor, id: string, patch: { name?: string | undefined; color?: string | undefined }, expectedVersion?: number) {
  if (!(await tagExists(deps.db, actor.workspaceId, id))) {
    throw new AppError('not_found');
  }
  let updated: number;
  try {
    updated = await updateTag(deps.db, actor.workspaceId, id, patch, expectedVersion);
  } catch (error) {
    throw nameConflict(error);
  }
  if (updated === 0) {
    throw new AppError('version_mismatch');
  }
  const tag = (await listTags(deps.db, actor.workspaceId)).find((t) => t.id === id);
  if (!tag) {
    // Deleted between the update and this read.
    throw new AppError('not_found');
  }
  return tag;
}

export async function removeTag(deps: Deps, actor: AuditActor, id: string): Promise<void> {
  if ((await deleteTag(deps.db, actor.workspaceId, id)) === 0) {
    throw new AppError('not_found');
  }
  await recordAudit(deps, actor, { action: 'tag.deleted', targetType: 'tag', targetId: id });
}
