import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { formatMoney } from '../../../common/money';
import type { Deps } from '../../deps';
import { presentCustom } from '../customers/customers.present';
import { type Permissions, presentFields } from '../permissions/permissions.service';
import { type DealContext, dealAccess } from './deals.context';
import { type DealRow, findTagsOf } from './deals.repo';
import type { Deal } from './deals.schema';

/** Which answer properties carry each permission-catalog field of the deal entity. */
export const dealFieldKeys: Record<string, (keyof Deal)[]> = {
  amount: ['amount'],
  expectedCloseDate: ['expectedCloseDate'],
  source: ['source'],
  owner: ['ownerId', 'ownerName'],
  remark: ['remark'],
  lostReason: ['lostReason'],
  tags: ['tags'],
};

export function presentDeal(
  permissions: Permissions,
  definitions: readonly CustomFieldDefinition[],
  row: DealRow,
  tags: { id: string; name: string; color: string }[],
  access: Deal['access'],
  currency: string,
): Deal {
  const deal: Deal = {
    id: row.id,
    name: row.name,
    customerId: row.customerId,
    customerName: row.customerName,
    contactId: row.contactId,
    contactName: row.contactName,
    leadId: row.leadId,
    pipelineId: row.pipelineId,
    stageId: row.stageId,
    stageName: row.stageName,
    winProbability: row.winProbability === null ? null : Number(row.winProbability),
    amount: formatMoney(Number(row.amount)),
    currency,
    expectedCloseDate: row.expectedCloseDate,
    status: row.status,
    lostReason: row.lostReason,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    source: row.source,
    remark: row.remark,
    stageEnteredAt: row.stageEnteredAt,
    lastFollowupAt: row.lastFollowupAt,
    nextFollowupAt: row.nextFollowupAt,
    closedAt: row.closedAt,
    tags,
    custom: presentCustom(permissions, 'deal', definitions, row.custom),
    access,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
    version: row.version,
  };
  return presentFields(permissions, 'deal', deal, dealFieldKeys);
}

/** Presents a page of rows: one tag query for all of them. */
export async function presentDealRows(deps: Deps, ctx: DealContext, rows: readonly DealRow[]): Promise<Deal[]> {
  const tags = await findTagsOf(deps.db, ctx.principal.workspaceId, rows.map((r) => r.id));
  return rows.map((row) =>
    presentDeal(
      ctx.principal.permissions,
      ctx.definitions,
      row,
      tags.filter((t) => t.recordId === row.id).map(({ id, name, color }) => ({ id, name, color })),
      dealAccess(ctx, row.ownerId),
      ctx.currency,
    ),
  );
}
