import type { Kysely, Updateable } from 'kysely';
import type { Database, FollowUpsTable } from '../../db/types';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { activeValues } from '../picklists/picklists.service';
import { changedAttachments, linkAttachments } from './follow-ups.files';
import { updateFollowUpRow } from './follow-ups.repo';

/** What every follow-up route (customer, contact, lead, deal) checks and writes the same way. */

/**
 * The type must be an active option of the workspace's follow-up types (followUp.type). An edit
 * passes the stored type as `current`: keeping a type retired since is not choosing it.
 */
export async function checkFollowUpType(deps: Deps, workspaceId: string, type: string | undefined, current?: string): Promise<void> {
  if (type === undefined || type === current) {
    return;
  }
  if (!(await activeValues(deps, workspaceId, 'followUp.type')).has(type)) {
    throw new AppError('validation_failed', { errors: [{ path: 'type', message: 'not one of the configured follow-up types' }] });
  }
}

/** Who writes a new follow-up: a user; an API key without one is refused. */
export function followUpAuthor(auth: AuthContext): string {
  if (!auth.userId) {
    throw new AppError('forbidden', { detail: 'Follow-ups are written by a user; this API key has none' });
  }
  return auth.userId;
}

/** A next contact time as stored (an ISO instant), or none. */
export function nextContactTime(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** The row's change for an edit: only the fields sent; an empty next time clears it. */
export function followUpPatch(body: { type?: string | undefined; content?: string | undefined; nextFollowupAt?: string | null | undefined }, now: string): Updateable<FollowUpsTable> {
  return {
    updatedAt: now,
    ...(body.type !== undefined ? { type: body.type } : {}),
    ...(body.content !== undefined ? { content: body.content } : {}),
    ...(body.nextFollowupAt !== undefined ? { nextFollowupAt: nextContactTime(body.nextFollowupAt) } : {}),
  };
}

type EditBody = Parameters<typeof followUpPatch>[0] & { attachmentIds?: readonly string[] | undefined };

/** An edit's row change, attachments included (checked before the write's transaction starts). */
export async function prepareFollowUpEdit(deps: Deps, auth: AuthContext, followUpId: string, body: EditBody, now: string) {
  const attachments = await changedAttachments(deps, auth, body.attachmentIds, followUpId);
  return { attachments, patch: { ...followUpPatch(body, now), ...(attachments ? { attachments: JSON.stringify(attachments) } : {}) } };
}

/** Writes an edit in `trx`; a follow-up changed since `expectedVersion` is a 412. */
export async function writeFollowUpEdit(
  trx: Kysely<Database>,
  workspaceId: string,
  followUpId: string,
  edit: Awaited<ReturnType<typeof prepareFollowUpEdit>>,
  now: string,
  expectedVersion: number | undefined,
): Promise<void> {
  if ((await updateFollowUpRow(trx, workspaceId, followUpId, edit.patch, expectedVersion)) === 0) {
    throw new AppError('version_mismatch');
  }
  if (edit.attachments) {
    await linkAttachments(trx, workspaceId, followUpId, edit.attachments, now);
  }
}
