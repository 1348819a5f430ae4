import { permissionKey } from '../../../common/permissions';
import { parseJson } from '../../db/dialect';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { can, type Principal } from '../permissions/permissions.service';
import { countOwnViews, deleteViewRow, findViewRow, insertViewRow, listViewRows, ownViewNamed, type SavedViewRow, updateViewRow } from './saved-views.repo';
import type { CreateSavedViewBody, SavedView, UpdateSavedViewBody, ViewDefinition } from './saved-views.schema';

/** Enough for anyone; bounds what one account can store. */
const maxViewsPerUser = 100;

/**
 * Who may do what (docs/customers-api.md, "Saved views"):
 * - use (list, create private views): `<entity>:view`;
 * - share a view with the whole workspace, or change a shared one: its owner, holding `<entity>:edit`;
 * - delete: the owner; a shared view also by whoever may edit every record of the entity
 *   (`<entity>:edit` at scope all, an administrator), so views of people who left can be cleaned up.
 * A view is only a saved query: whoever opens it still sees only the records their own data scope allows.
 */
function mayUse(principal: Principal, entity: string): boolean {
  return can(principal.permissions, permissionKey(entity, 'view'));
}

function mayShare(principal: Principal, entity: string): boolean {
  return can(principal.permissions, permissionKey(entity, 'edit'));
}

function mayModerate(principal: Principal, entity: string): boolean {
  return principal.permissions.actions.get(permissionKey(entity, 'edit'))?.includes('all') ?? false;
}

function ownerOf(principal: Principal): string {
  // An API key acts as the admin who created it; a key without one has nobody to own views.
  if (!principal.userId) {
    throw new AppError('forbidden', { detail: 'saved views belong to a user' });
  }
  return principal.userId;
}

function toDefinition(stored: unknown): SavedView['definition'] {
  const value = parseJson(stored);
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const filters: Record<string, string | string[]> = {};
  if (typeof record.filters === 'object' && record.filters !== null) {
    for (const [key, v] of Object.entries(record.filters as Record<string, unknown>)) {
      if (typeof v === 'string' || (Array.isArray(v) && v.every((item) => typeof item === 'string'))) {
        filters[key] = v;
      }
    }
  }
  return {
    filters,
    sort: typeof record.sort === 'string' ? record.sort : null,
    columns: Array.isArray(record.columns) ? record.columns.filter((c): c is string => typeof c === 'string') : [],
  };
}

function present(principal: Principal, row: SavedViewRow): SavedView {
  const mine = row.ownerId === principal.userId;
  const shared = row.shared === 1;
  return {
    id: row.id,
    entity: row.entity,
    name: row.name,
    shared,
    ownerId: row.ownerId,
    ownerName: row.ownerName ?? null,
    definition: toDefinition(row.definition),
    access: {
      edit: mine && (!shared || mayShare(principal, row.entity)),
      delete: mine || (shared && mayModerate(principal, row.entity)),
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

function storeDefinition(definition: ViewDefinition): string {
  return JSON.stringify({ filters: definition.filters, sort: definition.sort ?? null, columns: definition.columns });
}

/** A view the caller can see (own, or shared), else 404; a view of an entity the caller may not use is 404 too. */
async function visibleView(deps: Deps, principal: Principal, id: string): Promise<SavedViewRow> {
  const row = await findViewRow(deps.db, principal.workspaceId, id);
  if (!row || (row.ownerId !== principal.userId && row.shared !== 1) || !mayUse(principal, row.entity)) {
    throw new AppError('not_found');
  }
  return row;
}

async function assertNameFree(deps: Deps, principal: Principal, entity: string, ownerId: string, name: string, exceptId: string | null): Promise<void> {
  if (await ownViewNamed(deps.db, principal.workspaceId, entity, ownerId, name, exceptId)) {
    throw new AppError('name_taken', { errors: [{ path: 'name', message: 'you already have a view with this name' }] });
  }
}

/** The caller's views of an entity plus every shared one. */
export async function listSavedViews(deps: Deps, principal: Principal, entity: string): Promise<SavedView[]> {
  if (!mayUse(principal, entity)) {
    throw new AppError('forbidden');
  }
  const rows = await listViewRows(deps.db, principal.workspaceId, entity, ownerOf(principal));
  const own = rows.filter((r) => r.ownerId === principal.userId);
  const others = rows.filter((r) => r.ownerId !== principal.userId);
  return [...own, ...others].map((r) => present(principal, r));
}

/** Saves a list query as a view; sharing it needs `<entity>:edit`. */
export async function createSavedView(deps: Deps, principal: Principal, actor: AuditActor, body: CreateSavedViewBody): Promise<SavedView> {
  if (!mayUse(principal, body.entity) || (body.shared && !mayShare(principal, body.entity))) {
    throw new AppError('forbidden');
  }
  const ownerId = ownerOf(principal);
  if ((await countOwnViews(deps.db, principal.workspaceId, body.entity, ownerId)) >= maxViewsPerUser) {
    throw new AppError('business_rule', { detail: `at most ${maxViewsPerUser} saved views per list` });
  }
  await assertNameFree(deps, principal, body.entity, ownerId, body.name, null);
  const id = newId();
  const now = nowIso(deps);
  await insertViewRow(deps.db, {
    id,
    workspaceId: principal.workspaceId,
    entity: body.entity,
    name: body.name,
    ownerId,
    shared: body.shared ? 1 : 0,
    definition: storeDefinition(body.definition),
    createdAt: now,
    updatedAt: now,
  });
  if (body.shared) {
    await recordAudit(deps, actor, { action: 'saved_view.shared', targetType: 'savedView', targetId: id, detail: { entity: body.entity, name: body.name } });
  }
  return present(principal, await visibleView(deps, principal, id));
}

/**
 * Renames, re-shares or replaces the definition of the caller's own view. With `expectedVersion`
 * (If-Match) a view changed meanwhile (say, in another tab) answers 412 version_mismatch.
 */
export async function updateSavedView(deps: Deps, principal: Principal, actor: AuditActor, id: string, body: UpdateSavedViewBody, expectedVersion?: number): Promise<SavedView> {
  const row = await visibleView(deps, principal, id);
  if (row.ownerId !== principal.userId) {
    throw new AppError('forbidden', { detail: 'only the owner may change a view' });
  }
  const sharedAfter = body.shared ?? row.shared === 1;
  // Unsharing is always allowed; anything that leaves the view shared needs the share right.
  if (sharedAfter && !mayShare(principal, row.entity)) {
    throw new AppError('forbidden');
  }
  if (body.name !== undefined) {
    await assertNameFree(deps, principal, row.entity, row.ownerId, body.name, id);
  }
  const patch = {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.shared !== undefined ? { shared: body.shared ? 1 : 0 } : {}),
    ...(body.definition !== undefined ? { definition: storeDefinition(body.definition) } : {}),
    updatedAt: nowIso(deps),
  };
  if ((await updateViewRow(deps.db, principal.workspaceId, id, patch, expectedVersion)) === 0) {
    throw new AppError('version_mismatch');
  }
  if (body.shared !== undefined && body.shared !== (row.shared === 1)) {
    await recordAudit(deps, actor, { action: body.shared ? 'saved_view.shared' : 'saved_view.unshared', targetType: 'savedView', targetId: id, detail: { entity: row.entity, name: body.name ?? row.name } });
  }
  return present(principal, await visibleView(deps, principal, id));
}

export async function deleteSavedView(deps: Deps, principal: Principal, actor: AuditActor, id: string): Promise<void> {
  const row = await visibleView(deps, principal, id);
  const mine = row.ownerId === principal.userId;
  if (!mine && !mayModerate(principal, row.entity)) {
    throw new AppError('forbidden', { detail: 'only the owner may delete a view' });
  }
  await deleteViewRow(deps.db, principal.workspaceId, id);
  if (row.shared === 1) {
    await recordAudit(deps, actor, { action: 'saved_view.deleted', targetType: 'savedView', targetId: id, detail: { entity: row.entity, name: row.name, ownerId: row.ownerId } });
  }
}
