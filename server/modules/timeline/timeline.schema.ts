import { z } from 'zod';
import { idSchema, textSchema } from '../../http/schemas';
import { contactSchema } from '../contacts/contacts.schema';
import { customerSchema } from '../customers/customers.schema';

export const timelineItemSchema = z.object({
  id: z.string(),
  kind: z.string(),
  entity: z.string(),
  recordId: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});
export type TimelineItem = z.infer<typeof timelineItemSchema>;

export const timelinePage = z.object({ data: z.array(timelineItemSchema), nextCursor: z.string().nullable() });
export type TimelinePage = z.infer<typeof timelinePage>;

const kindPattern = /^[a-z][a-z_]{0,39}$/;

export const timelineQuery = z.strictObject({
  kind: z
    .string()
    .max(500)
    .refine((v) => v.split(',').every((k) => kindPattern.test(k.trim())), 'comma-separated kinds, e.g. follow_up,comment')
    .optional()
    .describe('only these kinds, e.g. follow_up,field_change,owner_change,comment'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});
export type TimelineQuery = z.infer<typeof timelineQuery>;

export const overviewQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(20).describe('size of the first timeline page'),
});

export const commentBody = z.strictObject({
  content: textSchema(5000),
  /** @mentions 艾特: user ids of the same workspace. */
  mentions: z.array(idSchema).max(50).optional(),
});
export type CommentBody = z.infer<typeof commentBody>;

export const overviewSchema = z.object({
  customer: customerSchema,
  contacts: z.array(contactSchema),
  timeline: timelinePage,
});
