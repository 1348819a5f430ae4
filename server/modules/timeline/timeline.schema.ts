import { z } from 'zod';
import { isTimelineKind, type TimelineKind, timelineKinds } from '../../../common/timeline-kinds';
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

/**
 * `kind=a,b` or `kind=a&kind=b`: entries of any of these kinds. A kind the server never writes is a
 * 400 naming the valid ones (api.md: a filter is never silently ignored), not an empty page.
 */
const kindFilter = z
  .union([z.string().max(1000), z.array(z.string().max(1000)).max(50)])
  .transform((raw, ctx): TimelineKind[] => {
    const kinds = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((k) => k.trim());
    const unknown = [...new Set(kinds.filter((k) => !isTimelineKind(k)))];
    if (unknown.length > 0) {
      const named = unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40)));
      ctx.addIssue({ code: 'custom', message: `unknown kind ${named.join(', ')}; must be one of ${timelineKinds.join(', ')}` });
      return z.NEVER;
    }
    return [...new Set(kinds.filter(isTimelineKind))];
  })
  .optional()
  .describe(`only entries of these kinds, comma-separated or repeated (any of): ${timelineKinds.join(', ')}`);

export const timelineQuery = z.strictObject({
  kind: kindFilter,
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
