import type { Insertable } from 'kysely';
import type { SearchDocsTable } from '../../db/types';
import { foldText, phoneDigits } from './search.text';

/** A customer's or contact's search doc as stored: text folded (search.text.ts), empty as null. */
export type DocInput = Omit<Insertable<SearchDocsTable>, 'id' | 'grams'> & { customerId: string; ownerId: string | null; name: string; company: string | null; phone: string | null; email: string | null };

export function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}

export function customerDoc(workspaceId: string, row: { id: string; name: string; phone: string | null; email: string | null; ownerId: string | null }): DocInput {
  return {
    workspaceId,
    entity: 'customer',
    recordId: row.id,
    customerId: row.id,
    ownerId: row.ownerId,
    name: foldText(row.name),
    company: null,
    phone: emptyToNull(phoneDigits(row.phone)),
    email: emptyToNull(foldText(row.email)),
  };
}

export function contactDoc(
  workspaceId: string,
  row: { id: string; customerId: string; name: string; phone: string | null; email: string | null; ownerId: string | null },
  customerName: string,
): DocInput {
  return {
    workspaceId,
    entity: 'contact',
    recordId: row.id,
    customerId: row.customerId,
    // Contacts are seen through their own owner (it mirrors the customer's) and the customer's collaborators.
    ownerId: row.ownerId,
    name: foldText(row.name),
    company: emptyToNull(foldText(customerName)),
    phone: emptyToNull(phoneDigits(row.phone)),
    email: emptyToNull(foldText(row.email)),
  };
}

