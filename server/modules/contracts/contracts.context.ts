import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { formatMoney } from '../../../common/money';
import type { Action } from '../../../common/permissions';
import type { Deps } from '../../deps';
import { customFieldDefinitions } from '../custom-fields/custom-fields.service';
import { registerCustomizableTable } from '../custom-fields/custom-fields.tables';
import { presentCustom } from '../customers/customers.present';
import { inScope, type Permissions, type Principal, presentFields, scopeFilter } from '../permissions/permissions.service';
import type { ScopeFilter } from '../permissions/scope';
import { workspaceCurrency } from '../workspace/workspace.currency';
import type { ContractRow } from './contracts.repo';
import type { Contract } from './contracts.schema';

registerCustomizableTable('contract', 'contracts');

/** Everything a contract request needs to decide visibility, access and presentation. */
export interface ContractContext {
  principal: Principal;
  definitions: CustomFieldDefinition[];
  view: ScopeFilter;
  scopes: Partial<Record<Action, ScopeFilter | null>>;
  /** The workspace currency, beside every amount. */
  currency: string;
}

async function optionalScope(deps: Deps, principal: Principal, action: Action): Promise<ScopeFilter | null> {
  const granted = principal.permissions.actions.get(`contract:${action}`);
  return granted && granted.length > 0 ? scopeFilter(deps, principal, 'contract', action) : null;
}

export async function contractContext(deps: Deps, principal: Principal): Promise<ContractContext> {
  const extra: Action[] = ['create', 'edit', 'delete'];
  const [definitions, view, currency, ...others] = await Promise.all([
    customFieldDefinitions(deps, principal.workspaceId, 'contract', principal.permissions),
    scopeFilter(deps, principal, 'contract', 'view'),
    workspaceCurrency(deps.db, principal.workspaceId),
    ...extra.map((a) => optionalScope(deps, principal, a)),
  ]);
  const scopes: ContractContext['scopes'] = { view };
  extra.forEach((action, i) => {
    scopes[action] = others[i] ?? null;
  });
  return { principal, definitions, view, scopes, currency };
}

export function canDo(ctx: ContractContext, action: Action, ownerId: string | null): boolean {
  const scope = ctx.scopes[action];
  return scope !== null && scope !== undefined && inScope(scope, ownerId);
}

/** Which answer properties carry each permission-catalog field of the contract entity. */
export const contractFieldKeys: Record<string, (keyof Contract)[]> = {
  total: ['total'],
  signDate: ['signDate'],
  period: ['startDate', 'endDate'],
  signer: ['signerId', 'signerName'],
  customerSigner: ['customerSignerId', 'customerSignerName'],
  remark: ['remark'],
  owner: ['ownerId', 'ownerName'],
};

/** Editable states: a draft, or a rejected contract being corrected. */
export const editableStates = ['draft', 'rejected'] as const;
/** States a contract can be voided from (a pending one is withdrawn first). */
export const voidableStates = ['draft', 'rejected', 'approved'] as const;

export function presentContract(permissions: Permissions, ctx: ContractContext, row: ContractRow): Contract {
  const editable = (editableStates as readonly string[]).includes(row.status);
  const contract: Contract = {
    id: row.id,
    number: row.number,
    name: row.name,
    customerId: row.customerId,
    customerName: row.customerName,
    dealId: row.dealId,
    dealName: row.dealName,
    signDate: row.signDate,
    startDate: row.startDate,
    endDate: row.endDate,
    signerId: row.signerId,
    signerName: row.signerName,
    customerSignerId: row.customerSignerId,
    customerSignerName: row.customerSignerName,
    total: formatMoney(Number(row.total)),
    currency: ctx.currency,
    status: row.status,
    remark: row.remark,
    custom: presentCustom(permissions, 'contract', ctx.definitions, row.custom),
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    approvalId: row.approvalId,
    submittedAt: row.submittedAt,
    approvedAt: row.approvedAt,
    voidedAt: row.voidedAt,
    voidReason: row.voidReason,
    access: {
      edit: editable && canDo(ctx, 'edit', row.ownerId),
      delete: editable && canDo(ctx, 'delete', row.ownerId),
      submit: editable && canDo(ctx, 'edit', row.ownerId),
      void: (voidableStates as readonly string[]).includes(row.status) && canDo(ctx, 'delete', row.ownerId),
    },
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
  return presentFields(permissions, 'contract', contract, contractFieldKeys);
}
