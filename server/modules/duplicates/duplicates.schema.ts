import { z } from 'zod';
import { emailSchema, idSchema, phoneSchema, textSchema } from '../../http/schemas';
import { customerSchema } from '../customers/customers.schema';

export const duplicateReasons = ['name', 'phone', 'email'] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

export const duplicateCheckBody = z
  .strictObject({
    name: textSchema(200).optional(),
    phone: phoneSchema.optional(),
    email: emailSchema.optional(),
    /** The customer being edited, which is not its own duplicate. */
    excludeId: idSchema.optional(),
  })
  .refine((b) => b.name !== undefined || b.phone !== undefined || b.email !== undefined, { message: 'give name, phone or email', path: ['name'] });
export type DuplicateCheckBody = z.infer<typeof duplicateCheckBody>;

/** A match outside the caller's data scope says only that it exists and whose it is. */
export const duplicateMatch = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  ownerName: z.string().nullable().optional(),
  reasons: z.array(z.enum(duplicateReasons)),
  visible: z.boolean(),
});
export type DuplicateMatch = z.infer<typeof duplicateMatch>;

export const duplicateCheckResult = z.object({ matches: z.array(duplicateMatch) });

export const duplicateReportQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(500).optional(),
});

export const duplicateGroup = z.object({
  /** The shared normalised value (masked like the field when the caller sees that field masked). */
  key: z.string(),
  reason: z.enum(duplicateReasons),
  /** How many live customers share it (customers lists at most 50 of them). */
  count: z.number().int(),
  customers: z.array(customerSchema),
});

export const duplicateReport = z.object({ data: z.array(duplicateGroup), nextCursor: z.string().nullable() });
export type DuplicateReport = z.infer<typeof duplicateReport>;
