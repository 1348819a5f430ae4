import type { Insertable, Kysely, SelectQueryBuilder } from 'kysely';
import { parseJson } from '../../db/dialect';
import type { Database, FollowUpsTable } from '../../db/types';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { fileCarried } from '../files/files.repo';
import { findAttachableFiles, insertFollowUp, setFollowUpFiles } from './follow-ups.repo';
import type { Attachment } from './follow-ups.schema';

/**
 * Attachments 附件 of a follow-up, wherever it hangs (customer, contact, lead, deal). The row keeps
 * a copy of their names (`attachments`, JSON) so lists need no join; follow_up_files links them for
 * downloads and for "already on this follow-up" on an edit.
 */

/** The attachments a follow-up row keeps. */
export function storedAttachments(row: { attachments: unknown }): Attachment[] {
  const attachments = parseJson(row.attachments);
  return Array.isArray(attachments) ? (attachments as Attachment[]) : [];
}

/**
 * The files of `ids`, each one the caller uploaded or one already on `followUpId` (an edit);
 * anything else is a 400 on attachmentIds, so no one attaches a file they cannot see and then
 * downloads it through their own record.
 */
export async function attachableFiles(deps: Deps, auth: AuthContext, ids: readonly string[], followUpId: string | null): Promise<Attachment[]> {
  const unique = [...new Set(ids)];
  const files = await findAttachableFiles(deps.db, auth.workspaceId, unique, auth.userId ?? '', followUpId);
  if (files.length !== unique.length) {
    throw new AppError('validation_failed', { errors: [{ path: 'attachmentIds', message: 'no such file (attach files you uploaded)' }] });
  }
  return unique.map((id) => files.find((f) => f.id === id) as Attachment);
}

/** An edit's new attachments: null when the body leaves them as they are. */
export async function changedAttachments(deps: Deps, auth: AuthContext, attachmentIds: readonly string[] | undefined, followUpId: string): Promise<Attachment[] | null> {
  return attachmentIds === undefined ? null : attachableFiles(deps, auth, attachmentIds, followUpId);
}

/** Links the follow-up to exactly these files (in the write's transaction). */
export async function linkAttachments(trx: Kysely<Database>, workspaceId: string, followUpId: string, attachments: readonly Attachment[], at: string): Promise<void> {
  await setFollowUpFiles(trx, workspaceId, followUpId, attachments.map((a) => a.id), at);
}

/** Writes a new follow-up with its attachments (in the caller's transaction). */
export async function insertFollowUpWithFiles(trx: Kysely<Database>, row: Omit<Insertable<FollowUpsTable>, 'attachments'>, attachments: readonly Attachment[]): Promise<void> {
  await insertFollowUp(trx, { ...row, attachments: JSON.stringify(attachments) });
  await linkAttachments(trx, row.workspaceId, row.id, attachments, row.createdAt);
}

/** What a timeline entry keeps of the attachments (nothing when there are none). */
export function timelineAttachments(attachments: readonly Attachment[]): { attachments?: Attachment[] } {
  return attachments.length > 0 ? { attachments: attachments.map((a) => ({ id: a.id, name: a.name, size: a.size, mime: a.mime })) } : {};
}

/**
 * Lets go of the files of follow-ups about to be deleted for good (in the caller's transaction):
 * their links go, and so does each file that nothing else carries any more (no other follow-up, no
 * contract) — its row here; its content is the caller's to remove once the transaction has
 * committed, by the storage keys returned. A purged customer's attachments do not outlive it.
 */
export async function releaseFollowUpFiles(trx: Kysely<Database>, workspaceId: string, followUps: SelectQueryBuilder<Database, 'followUps', { id: string }>): Promise<string[]> {
  const linked = await trx.selectFrom('followUpFiles').select('fileId').distinct().where('workspaceId', '=', workspaceId).where('followUpId', 'in', followUps).execute();
  if (linked.length === 0) {
    return [];
  }
  await trx.deleteFrom('followUpFiles').where('workspaceId', '=', workspaceId).where('followUpId', 'in', followUps).execute();
  const keys: string[] = [];
  for (let i = 0; i < linked.length; i += 500) {
    const ids = linked.slice(i, i + 500).map((l) => l.fileId);
    const unused = await trx
      .selectFrom('files as fl')
      .select(['fl.id', 'fl.storageKey'])
      .where('fl.workspaceId', '=', workspaceId)
      .where('fl.id', 'in', ids)
      .where((eb) => eb.not(fileCarried('fl.id')))
      .execute();
    if (unused.length > 0) {
      await trx.deleteFrom('files').where('workspaceId', '=', workspaceId).where('id', 'in', unused.map((u) => u.id)).execute();
      keys.push(...unused.map((u) => u.storageKey));
    }
  }
  return keys;
}
