import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { presentCustom } from '../customers/customers.present';
import { type Permissions, presentFields } from '../permissions/permissions.service';
import type { ContactAccess } from './contacts.policy';
import type { ContactRow } from './contacts.repo';
import type { Contact } from './contacts.schema';

/** Which answer properties carry each permission-catalog field of the contact entity. */
export const contactFieldKeys: Record<string, (keyof Contact)[]> = {
  phone: ['phone'],
  email: ['email'],
  wechat: ['wechat'],
  title: ['title'],
  remark: ['remark'],
};

/** A contact row as the API answers it: field rules hide or mask, custom values too. */
export function presentContact(permissions: Permissions, definitions: readonly CustomFieldDefinition[], row: ContactRow, access: ContactAccess): Contact {
  const contact: Contact = {
    id: row.id,
    customerId: row.customerId,
    customerName: row.customerName,
    ownerId: row.ownerId,
    name: row.name,
    phone: row.phone,
    email: row.email,
    title: row.title,
    department: row.department,
    wechat: row.wechat,
    isPrimary: row.isPrimary === 1,
    isDecisionMaker: row.isDecisionMaker === 1,
    remark: row.remark,
    lastFollowupAt: row.lastFollowupAt,
    nextFollowupAt: row.nextFollowupAt,
    custom: presentCustom(permissions, 'contact', definitions, row.custom),
    access,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    // Only bin rows carry it, so live answers keep their shape.
    ...(row.deletedAt === null ? {} : { deletedAt: row.deletedAt }),
    version: row.version,
  };
  return presentFields(permissions, 'contact', contact, contactFieldKeys);
}
