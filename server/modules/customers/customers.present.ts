import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { maskValue } from '../../../common/permissions';
import { parseJson } from '../../db/dialect';
import { presentCustomValues } from '../custom-fields/values';
import { fieldAccess, type Permissions, presentFields } from '../permissions/permissions.service';
import type { CustomerRow } from './customers.repo';
import type { Customer } from './customers.schema';

/** Which answer properties carry each permission-catalog field of the customer entity. */
export const customerFieldKeys: Record<string, (keyof Customer)[]> = {
  phone: ['phone'],
  email: ['email'],
  website: ['website'],
  level: ['level'],
  source: ['source'],
  industry: ['industry'],
  lifecycleStage: ['lifecycleStage'],
  address: ['province', 'city', 'district', 'address'],
  remark: ['remark'],
  owner: ['ownerId', 'ownerName'],
  tags: ['tags'],
};

/** Custom values through the same field rules as built-in fields (`cf.<key>` in the role editor). */
export function presentCustom(permissions: Permissions, entity: string, definitions: readonly CustomFieldDefinition[], stored: unknown) {
  const values = presentCustomValues(definitions, parseJson(stored));
  for (const d of definitions) {
    const rule = fieldAccess(permissions, entity, `cf.${d.key}`);
    if (rule.access === 'hidden') {
      delete values[d.key];
      continue;
    }
    const value = values[d.key];
    if (rule.masked && typeof value === 'string' && value !== '') {
      values[d.key] = maskValue(d.type === 'phone' ? 'phone' : d.type === 'email' ? 'email' : 'text', value);
    }
  }
  return values;
}

export interface RecordAccess {
  edit: boolean;
  delete: boolean;
  transfer: boolean;
}

export function presentCustomer(
  permissions: Permissions,
  definitions: readonly CustomFieldDefinition[],
  row: CustomerRow,
  tags: { id: string; name: string; color: string }[],
  access: RecordAccess,
): Customer {
  const customer: Customer = {
    id: row.id,
    name: row.name,
    kind: row.kind === 'person' ? 'person' : 'company',
    phone: row.phone,
    email: row.email,
    website: row.website,
    level: row.level,
    source: row.source,
    industry: row.industry,
    lifecycleStage: row.lifecycleStage as Customer['lifecycleStage'],
    dealStatus: row.dealStatus === 'dealt' ? 'dealt' : 'none',
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    locked: row.locked === 1,
    province: row.province,
    city: row.city,
    district: row.district,
    address: row.address,
    primaryContactId: row.primaryContactId,
    primaryContactName: row.primaryContactName,
    remark: row.remark,
    lastFollowupAt: row.lastFollowupAt,
    lastFollowupContent: row.lastFollowupContent,
    nextFollowupAt: row.nextFollowupAt,
    tags,
    custom: presentCustom(permissions, 'customer', definitions, row.custom),
    // What the caller can do now: a locked customer cannot be deleted until unlocked, so it is not offered.
    access: row.locked === 1 ? { ...access, delete: false } : access,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
    mergedInto: row.mergedInto ?? null,
    version: row.version,
  };
  return presentFields(permissions, 'customer', customer, customerFieldKeys);
}
