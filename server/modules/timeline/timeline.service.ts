import { formatMoney } from '../../../common/money';
import type { TimelineKind } from '../../../common/timeline-kinds';
import { findEntity, maskValue } from '../../../common/permissions';
import { parseJson } from '../../db/dialect';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { contactsOfVisibleCustomer } from '../contacts/contacts.service';
import { customerContext } from '../customers/customers.context';
import { customerFieldKeys } from '../customers/customers.present';
import { getCustomer, loadCustomer } from '../customers/customers.service';
import { can, fieldAccess, type Permissions } from '../permissions/permissions.service';
import { countExisting } from '../users/users.repo';
import { findTimelineItem, listTimelineRows, type TimelineRow } from './timeline.repo';
import type { CommentBody, TimelineItem, TimelinePage } from './timeline.schema';
import { appendTimeline } from './timeline.writer';

/** Customer property → the permission-catalog field that governs it (province → address, …). */
const catalogFieldOf = new Map<string, string>(Object.entries(customerFieldKeys).flatMap(([field, keys]) => keys.map((k): [string, string] => [String(k), field])));

function rule(permissions: Permissions, field: string) {
  const access = fieldAccess(permissions, 'customer', field);
  const mask = field.startsWith('cf.') ? 'text' : (findEntity('customer')?.fields.find((f) => f.key === field)?.mask ?? null);
  return { hidden: access.access === 'hidden', mask: access.masked ? mask : null };
}

function masked(value: unknown, mask: 'phone' | 'email' | 'text' | null): unknown {
  return mask && typeof value === 'string' && value !== '' ? maskValue(mask, value) : value;
}

/** Money keys that entries written before money became decimal strings hold as integer cents. */
const centsKeys = [
  ['amountCents', 'amount'],
  ['totalCents', 'total'],
] as const;

/**
 * Money in entries is a decimal string under `amount` / `total`, as everywhere in the API.
 * Migration 0017 rewrote the stored entries; this covers one written by an app instance still
 * running the old code during a rolling upgrade, so the answer never depends on which wrote it.
 */
function decimalMoney(data: Record<string, unknown>): Record<string, unknown> {
  if (!centsKeys.some(([cents]) => cents in data)) {
    return data;
  }
  const out = { ...data };
  for (const [cents, decimal] of centsKeys) {
    const value = out[cents];
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      delete out[cents];
      out[decimal] ??= formatMoney(value);
    }
  }
  return out;
}

/**
 * Field rules reach the history too: a change of a hidden field is left out (an entry with
 * nothing left is dropped), a masked one is masked, and a hidden owner is not named.
 */
function presentData(permissions: Permissions, kind: string, data: Record<string, unknown> | null): Record<string, unknown> | null | undefined {
  if (!data) {
    return data;
  }
  const out = { ...decimalMoney(data) };
  if (kind === 'field_change' && typeof data.changes === 'object' && data.changes !== null) {
    const changes: Record<string, unknown> = {};
    for (const [key, change] of Object.entries(data.changes as Record<string, { from?: unknown; to?: unknown }>)) {
      const field = key.startsWith('cf.') ? key : catalogFieldOf.get(key);
      const r = field ? rule(permissions, field) : { hidden: false, mask: null };
      if (!r.hidden) {
        changes[key] = r.mask ? { from: masked(change.from, r.mask), to: masked(change.to, r.mask) } : change;
      }
    }
    if (Object.keys(changes).length === 0) {
      return undefined;
    }
    out.changes = changes;
  }
  if ((kind === 'owner_change' || kind === 'created') && rule(permissions, 'owner').hidden) {
    for (const key of ['from', 'fromName', 'to', 'toName', 'ownerId']) {
      delete out[key];
    }
  }
  return out;
}

function presentItems(permissions: Permissions, rows: readonly TimelineRow[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const row of rows) {
    const stored = parseJson(row.data);
    const data = presentData(permissions, row.kind, typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : null);
    if (data !== undefined) {
      items.push({ id: row.id, kind: row.kind, entity: row.entity, recordId: row.recordId, actorUserId: row.actorUserId, actorName: row.actorName, data, createdAt: row.createdAt });
    }
  }
  return items;
}

/** Record kinds, other than the customer itself, whose events appear on a customer's timeline. */
const timelineEntities = ['deal', 'contract', 'payment', 'lead'] as const;

/** A page of a customer the caller is known to see. Kinds of records they may not view are left out. */
async function timelinePageOf(deps: Deps, auth: AuthContext, customerId: string, only: readonly TimelineKind[], cursor: string | undefined, limit: number): Promise<TimelinePage> {
  const except: TimelineKind[] = [];
  if (!can(auth.permissions, 'followUp:view')) {
    except.push('follow_up');
  }
  if (!can(auth.permissions, 'contact:view')) {
    except.push('contact_added');
  }
  // Entries about another kind of record (a deal, contract, payment, lead) are left out for
  // callers who may not view that kind at all: the timeline must not leak what a list would hide.
  const exceptEntities = timelineEntities.filter((entity) => !can(auth.permissions, `${entity}:view`));
  const before = cursor ? decodeCursor(cursor, ['createdAt', 'id']) : undefined;
  const rows = await listTimelineRows(deps.db, auth.workspaceId, customerId, { only, except, exceptEntities }, before, limit);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: presentItems(auth.permissions, page),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

/** GET /customers/:id/timeline: newest first, optionally only some kinds (checked by the schema); 404 unless the customer is visible. */
export async function customerTimeline(deps: Deps, auth: AuthContext, customerId: string, query: { kind?: readonly TimelineKind[] | undefined; limit: number; cursor?: string | undefined }): Promise<TimelinePage> {
  await loadCustomer(deps, await customerContext(deps, auth, []), customerId);
  return timelinePageOf(deps, auth, customerId, query.kind ?? [], query.cursor, query.limit);
}

/** 评论: a comment on the customer's timeline, @mentioning colleagues by user id. */
export async function addComment(deps: Deps, auth: AuthContext, customerId: string, body: CommentBody): Promise<TimelineItem> {
  await loadCustomer(deps, await customerContext(deps, auth, []), customerId);
  const mentions = [...new Set(body.mentions ?? [])];
  if (mentions.length > 0 && (await countExisting(deps.db, auth.workspaceId, 'users', mentions)) !== mentions.length) {
    throw new AppError('validation_failed', { errors: [{ path: 'mentions', message: 'no such user' }] });
  }
  const [id] = await appendTimeline(deps.db, {
    workspaceId: auth.workspaceId,
    customerId,
    entity: 'customer',
    recordId: customerId,
    kind: 'comment',
    actorUserId: auth.userId,
    data: { content: body.content, mentions },
    at: nowIso(deps),
  });
  const row = await findTimelineItem(deps.db, auth.workspaceId, id ?? '');
  const [item] = presentItems(auth.permissions, row ? [row] : []);
  return item as TimelineItem;
}

/**
 * The 360° view in one call: the customer as its own endpoint presents it, its contacts and the
 * first timeline page. Visibility is decided once, by loading the customer; the rest reads in parallel.
 */
export async function customerOverview(deps: Deps, auth: AuthContext, customerId: string, limit: number) {
  const customer = await getCustomer(deps, auth, customerId);
  const [contacts, timeline] = await Promise.all([
    can(auth.permissions, 'contact:view') ? contactsOfVisibleCustomer(deps, auth, customerId) : Promise.resolve([]),
    timelinePageOf(deps, auth, customerId, [], undefined, limit),
  ]);
  return { customer, contacts, timeline };
}
