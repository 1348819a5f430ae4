import { z } from 'zod';
import { idSchema } from '../../http/schemas';
import { customerSchema } from '../customers/customers.schema';

const involved = {
  targetId: idSchema,
  /** The customers merged into the target (then deleted, marked merged). */
  sourceIds: z.array(idSchema).min(1).max(10),
};

function distinct(b: { targetId: string; sourceIds: string[] }): boolean {
  return new Set(b.sourceIds).size === b.sourceIds.length && !b.sourceIds.includes(b.targetId);
}
const distinctMessage = { message: 'sources must be distinct and not the target', path: ['sourceIds'] };

export const mergePreviewBody = z.strictObject(involved).refine(distinct, distinctMessage);
export type MergePreviewBody = z.infer<typeof mergePreviewBody>;

export const mergeBody = z
  .strictObject({
    ...involved,
    /** field → the customer whose value the target keeps: name, phone, …, address, ownerId, cf.<key>. Unlisted fields keep the target's. */
    fields: z.record(z.string().max(60), idSchema).default({}),
    /** Optional optimistic check: the versions the caller saw (e.g. in the preview); 412 when any changed since. */
    versions: z.record(idSchema, z.number().int().min(0)).optional(),
  })
  .refine(distinct, distinctMessage);
export type MergeBody = z.infer<typeof mergeBody>;

export const mergePreview = z.object({
  target: customerSchema,
  sources: z.array(customerSchema),
  /** Fields on which the customers differ, with each one's value as the caller may see it. */
  fields: z.array(z.object({ field: z.string(), values: z.array(z.object({ customerId: z.string(), value: z.unknown() })) })),
  /** What moves from the sources to the target. */
  counts: z.object({ contacts: z.number().int(), followUps: z.number().int(), timeline: z.number().int(), tags: z.number().int() }),
});
export type MergePreview = z.infer<typeof mergePreview>;
