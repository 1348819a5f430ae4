import { emailKey, phoneKey } from '../../../common/normalize';
import { newId } from '../../db/ids';
import type { ContactsTable } from '../../db/types';
import { BulkInsert } from './bulk-insert';

/*
 * A new contact as an import inserts it: shared by the contact import (a row per contact) and the
 * customer import (a customer's 联系人 columns).
 */

const contactColumns = [
  'id',
  'workspaceId',
  'customerId',
  'ownerId',
  'name',
  'phone',
  'phoneKey',
  'email',
  'emailKey',
  'title',
  'department',
  'wechat',
  'isPrimary',
  'isDecisionMaker',
  'remark',
  'lastFollowupAt',
  'lastFollowupContent',
  'nextFollowupAt',
  'custom',
  'createdBy',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'version',
] as const satisfies readonly (keyof ContactsTable)[];

export const insertContacts = new BulkInsert('contacts', contactColumns);

export interface NewContactInput {
  workspaceId: string;
  customerId: string;
  /** A contact's owner mirrors its customer's. */
  ownerId: string | null;
  name: string;
  phone?: string | null;
  email?: string | null;
  title?: string | null;
  department?: string | null;
  wechat?: string | null;
  remark?: string | null;
  isPrimary?: boolean;
  isDecisionMaker?: boolean;
  custom?: Record<string, unknown>;
  createdBy: string | null;
  now: string;
}

/** Every column of a new contact, in `insertContacts`' shape; the dedupe keys are derived here. */
export function newContactRecord(input: NewContactInput): Record<(typeof contactColumns)[number], string | number | null> {
  const phone = input.phone ?? null;
  const email = input.email ?? null;
  return {
    id: newId(),
    workspaceId: input.workspaceId,
    customerId: input.customerId,
    ownerId: input.ownerId,
    name: input.name,
    phone,
    phoneKey: phoneKey(phone ?? undefined),
    email,
    emailKey: emailKey(email ?? undefined),
    title: input.title ?? null,
    department: input.department ?? null,
    wechat: input.wechat ?? null,
    isPrimary: input.isPrimary ? 1 : 0,
    isDecisionMaker: input.isDecisionMaker ? 1 : 0,
    remark: input.remark ?? null,
    lastFollowupAt: null,
    lastFollowupContent: null,
    nextFollowupAt: null,
    custom: JSON.stringify(input.custom ?? {}),
    createdBy: input.createdBy,
    createdAt: input.now,
    updatedAt: input.now,
    deletedAt: null,
    version: 1,
  };
}
