import { z } from 'zod';
import { idSchema, moneyInputNonNegative, textSchema } from '../../http/schemas';
import { duplicateMatch } from '../duplicates/duplicates.schema';

/**
 * 转化: a new customer from the lead (the default), or `customerId` to attach the lead to a
 * customer that already exists; a primary contact from the lead's person; optionally a deal.
 */
export const convertLeadBody = z.strictObject({
  /** Attach to this existing customer instead of creating one. */
  customerId: idSchema.optional(),
  /** Overrides for the new customer (default: the lead's company, else its name). */
  customerName: textSchema(200).optional(),
  /** Create anyway although customers with the same name / phone / email exist. */
  ignoreDuplicates: z.boolean().default(false),
  deal: z
    .strictObject({
      name: textSchema(200).optional(),
      /** Default: the workspace's default pipeline; stage default: its first. */
      pipelineId: idSchema.optional(),
      stageId: idSchema.optional(),
      amount: moneyInputNonNegative.optional(),
      expectedCloseDate: z.iso.date().nullish(),
    })
    .optional(),
});
export type ConvertLeadBody = z.infer<typeof convertLeadBody>;

export const convertPreview = z.object({
  customer: z.object({
    name: z.string(),
    kind: z.enum(['company', 'person']),
    phone: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    source: z.string().nullable().optional(),
    industry: z.string().nullable().optional(),
    address: z.string().nullable().optional(),
    ownerId: z.string().nullable(),
    ownerName: z.string().nullable(),
  }),
  contact: z.object({ name: z.string(), phone: z.string().nullable().optional(), email: z.string().nullable().optional(), title: z.string().nullable().optional() }),
  deal: z.object({ name: z.string(), source: z.string().nullable().optional() }),
  /** Existing customers with the same normalised company name, phone or email. */
  duplicates: z.array(duplicateMatch),
  followUps: z.number().int(),
});
export type ConvertPreview = z.infer<typeof convertPreview>;

export const convertResult = z.object({
  leadId: z.string(),
  customerId: z.string(),
  contactId: z.string(),
  dealId: z.string().nullable(),
  createdCustomer: z.boolean(),
  movedFollowUps: z.number().int(),
});
export type ConvertResult = z.infer<typeof convertResult>;
