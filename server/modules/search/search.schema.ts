import { z } from 'zod';

export const searchQuery = z.strictObject({
  q: z.string().max(100).default('').describe('substring of a name, company, email or phone (digits); 1 character and up'),
  limit: z.coerce.number().int().min(1).max(50).default(10).describe('per group'),
});

/** Phone, email and owner follow field rules: masked stay masked, hidden are left out. */
export const customerHit = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  ownerName: z.string().nullable().optional(),
});

export const contactHit = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  customerId: z.string(),
  customerName: z.string(),
});

/** A hit of an entity registered with registerSearchEntity (leads, …): id and name, plus its own fields. */
export const otherHit = z.looseObject({ id: z.string(), name: z.string() });

/** Grouped by type: customers, contacts, and one array per registered entity (e.g. `leads`). */
export const searchResult = z.object({ customers: z.array(customerHit), contacts: z.array(contactHit) }).catchall(z.array(otherHit));
export type SearchResult = z.infer<typeof searchResult>;
export type CustomerHit = z.infer<typeof customerHit>;
export type ContactHit = z.infer<typeof contactHit>;
export type OtherHit = z.infer<typeof otherHit>;
