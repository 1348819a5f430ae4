import { fieldAccess, type Permissions, presentFields } from '../permissions/permissions.service';
import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { presentCustom } from '../customers/customers.present';
import type { LeadRow } from './leads.repo';
import { type Lead, leadStatuses } from './leads.schema';

/** Which answer properties carry each permission-catalog field of the lead entity. */
export const leadFieldKeys: Record<string, (keyof Lead)[]> = {
  phone: ['phone'],
  email: ['email'],
  company: ['company'],
  title: ['title'],
  source: ['source'],
  industry: ['industry'],
  address: ['address'],
  remark: ['remark'],
  owner: ['ownerId', 'ownerName'],
};

export function presentLead(permissions: Permissions, definitions: readonly CustomFieldDefinition[], row: LeadRow, access: Lead['access']): Lead {
  const status = (leadStatuses as readonly string[]).includes(row.status) ? (row.status as Lead['status']) : 'new';
  const lead: Lead = {
    id: row.id,
    name: row.name,
    company: row.company,
    phone: row.phone,
    email: row.email,
    title: row.title,
    source: row.source,
    industry: row.industry,
    address: row.address,
    remark: row.remark,
    status,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    lastFollowupAt: row.lastFollowupAt,
    lastFollowupContent: row.lastFollowupContent,
    nextFollowupAt: row.nextFollowupAt,
    custom: presentCustom(permissions, 'lead', definitions, row.custom),
    convertedAt: row.convertedAt,
    customerId: row.customerId,
    contactId: row.contactId,
    dealId: row.dealId,
    access,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
    version: row.version,
  };
  return presentFields(permissions, 'lead', lead, leadFieldKeys);
}

/** Field rules for the lead entity, for callers that check one field (e.g. the list parser). */
export function leadFieldAccess(permissions: Permissions, field: string) {
  return fieldAccess(permissions, 'lead', field);
}
