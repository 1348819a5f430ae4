import type { Updateable } from 'kysely';
import type { FollowUpsTable } from '../../db/types';
import type { Deps } from '../../deps';
import { AppError } from '../../http/app-error';
import { activeValues } from '../picklists/picklists.service';

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

/** The row's change for an edit: only the fields sent; an empty next time clears it. */
export function followUpPatch(body: { type?: string | undefined; content?: string | undefined; nextFollowupAt?: string | null | undefined }, now: string): Updateable<FollowUpsTable> {
  return {
    updatedAt: now,
    ...(body.type !== undefined ? { type: body.type } : {}),
    ...(body.content !== undefined ? { content: body.content } : {}),
    ...(body.nextFollowupAt !== undefined ? { nextFollowupAt: body.nextFollowupAt ? new Date(body.nextFollowupAt).toISOString() : null } : {}),
  };
}
