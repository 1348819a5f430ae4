import type { Deps } from '../../deps';
import { workspaceTimezone } from '../follow-ups/follow-ups.repo';
import { dateParts } from './contracts.numbering-format';

/** Today in the workspace's time zone, YYYY-MM-DD (end dates are dates without time). */
export async function workspaceToday(deps: Deps, workspaceId: string): Promise<string> {
  const p = dateParts(deps.now(), await workspaceTimezone(deps.db, workspaceId));
  return `${p.yyyy}-${p.MM}-${p.dd}`;
}
