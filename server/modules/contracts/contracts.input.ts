import type { Kysely } from 'kysely';
import { formatMoney } from '../../../common/money';
import type { Database } from '../../db/types';
import type { Deps } from '../../deps';
import { AppError, type FieldError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { checkCustomValues } from '../custom-fields/custom-fields.service';
import { type UniqueClaim } from '../custom-fields/unique-values';
import { customerContext } from '../customers/customers.context';
import { loadCustomer } from '../customers/customers.service';
import { resolveLines, type ResolvedLine } from '../deals/deals.lines';
import { assertWritableFields } from '../permissions/permissions.service';
import type { ContractContext } from './contracts.context';
import type { ContractLineInput } from './contracts.schema';

/** Catalog field of each writable property, for the field-permission check. */
const permissionFieldOf: Record<string, string> = {
  signDate: 'signDate',
  startDate: 'period',
  endDate: 'period',
  signerId: 'signer',
  customerSignerId: 'customerSigner',
  total: 'total',
  lines: 'lines',
  remark: 'remark',
  ownerId: 'owner',
};

/** Rejects a write touching fields the caller may not edit (hidden, read-only or masked), custom fields included. */
export function assertWritable(ctx: ContractContext, body: Record<string, unknown>): void {
  const fields = Object.keys(body)
    .filter((k) => body[k] !== undefined && permissionFieldOf[k] !== undefined)
    .map((k) => permissionFieldOf[k] as string);
  const custom = body.custom && typeof body.custom === 'object' ? Object.keys(body.custom).map((k) => `cf.${k}`) : [];
  assertWritableFields(ctx.principal.permissions, 'contract', [...new Set([...fields, ...custom])]);
}

/** The customer must be one the caller can see (else "no such customer", never a hint it exists). */
export async function checkCustomer(deps: Deps, auth: AuthContext, customerId: string, errors: FieldError[]): Promise<{ id: string; name: string } | null> {
  try {
    const row = await loadCustomer(deps, await customerContext(deps, auth, []), customerId);
    return { id: row.id, name: row.name };
  } catch (error) {
    if (error instanceof AppError && (error.code === 'not_found' || error.code === 'forbidden')) {
      errors.push({ path: 'customerId', message: 'no such customer' });
      return null;
    }
    throw error;
  }
}

export async function findDealOf(db: Kysely<Database>, workspaceId: string, dealId: string) {
  return db.selectFrom('deals').select(['id', 'name', 'customerId', 'contactId', 'amountCents']).where('workspaceId', '=', workspaceId).where('id', '=', dealId).where('deletedAt', 'is', null).executeTakeFirst();
}

export async function dealLinesAsInput(db: Kysely<Database>, workspaceId: string, dealId: string): Promise<ContractLineInput[]> {
  const rows = await db.selectFrom('dealLines').selectAll().where('workspaceId', '=', workspaceId).where('dealId', '=', dealId).orderBy('sort').orderBy('createdAt').execute();
  return rows.map((r) => ({ productId: r.productId, name: r.name, unit: r.unit, price: Number(r.priceCents), quantity: Number(r.quantity), discountPercent: Number(r.discountPercent) }));
}

export interface CheckedRefs {
  signerId?: string | null | undefined;
  customerSignerId?: string | null | undefined;
  ownerId?: string | null | undefined;
  fileIds?: readonly string[] | undefined;
}

/** Signer and owner are users of the workspace; the customer signer a contact of this customer; files the caller's own uploads (or already attached). */
export async function checkRefs(deps: Deps, auth: AuthContext, customerId: string, refs: CheckedRefs, contractId: string | null, errors: FieldError[]): Promise<void> {
  const ws = auth.workspaceId;
  for (const key of ['signerId', 'ownerId'] as const) {
    const id = refs[key];
    if (id) {
      const user = await deps.db.selectFrom('users').select('id').where('workspaceId', '=', ws).where('id', '=', id).executeTakeFirst();
      if (!user) {
        errors.push({ path: key, message: 'no such user' });
      }
    }
  }
  if (refs.customerSignerId) {
    const contact = await deps.db
      .selectFrom('contacts')
      .select('id')
      .where('workspaceId', '=', ws)
      .where('id', '=', refs.customerSignerId)
      .where('customerId', '=', customerId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (!contact) {
      errors.push({ path: 'customerSignerId', message: 'not a contact of this customer' });
    }
  }
  const fileIds = [...new Set(refs.fileIds ?? [])];
  if (fileIds.length > 0) {
    const own = await deps.db
      .selectFrom('files as f')
      .select('f.id')
      .where('f.workspaceId', '=', ws)
      .where('f.id', 'in', fileIds)
      .where((eb) =>
        eb.or([
          eb('f.createdBy', '=', auth.userId ?? ''),
          ...(contractId ? [eb.exists(eb.selectFrom('contractFiles as cf').select('cf.fileId').where('cf.workspaceId', '=', ws).where('cf.contractId', '=', contractId).whereRef('cf.fileId', '=', 'f.id'))] : []),
        ]),
      )
      .execute();
    if (own.length !== fileIds.length) {
      errors.push({ path: 'fileIds', message: 'no such file' });
    }
  }
}

/** Lines from the catalogue (deal-line rules) and the contract total: the sum of lines, or the manual total without lines. */
export async function resolveContractLines(
  db: Kysely<Database>,
  workspaceId: string,
  inputs: readonly ContractLineInput[],
  manualTotal: number | undefined,
  keepProductIds: ReadonlySet<string>,
  errors: FieldError[],
): Promise<{ lines: (ResolvedLine & { remark: string | null })[]; totalCents: number }> {
  const resolved = await resolveLines(db, workspaceId, inputs, keepProductIds);
  errors.push(...resolved.errors);
  const lines = resolved.lines.map((l, i) => ({ ...l, remark: inputs[i]?.remark ?? null }));
  if (inputs.length === 0) {
    return { lines, totalCents: manualTotal ?? 0 };
  }
  const sum = lines.reduce((s, l) => s + l.amountCents, 0);
  if (manualTotal !== undefined && manualTotal !== sum && resolved.errors.length === 0) {
    errors.push({ path: 'total', message: `with product lines the total is their sum (${formatMoney(sum)})` });
  }
  return { lines, totalCents: sum };
}

export async function checkCustom(
  deps: Deps,
  ctx: ContractContext,
  input: Record<string, unknown> | undefined,
  existing: { id: string; custom: Record<string, unknown> } | null,
  errors: FieldError[],
): Promise<{ values: Record<string, unknown>; conflicts: FieldError[]; claims: UniqueClaim[] }> {
  const checked = await checkCustomValues(deps, ctx.principal.workspaceId, { entity: 'contract', noun: 'contract', definitions: ctx.definitions }, input, existing);
  errors.push(...checked.errors);
  return { values: checked.values, conflicts: checked.conflicts, claims: checked.claims };
}

export function checkDates(body: { signDate?: string | null | undefined; startDate?: string | null | undefined; endDate?: string | null | undefined }, errors: FieldError[]): void {
  if (body.startDate && body.endDate && body.startDate > body.endDate) {
    errors.push({ path: 'endDate', message: 'must not be before startDate' });
  }
}
