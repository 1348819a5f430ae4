import { z } from 'zod';
import { idSchema, isoTimestamp, textSchema } from '../../http/schemas';

/** What /follow-ups creates, edits and deletes: follow-ups of customers and contacts. */
export const followUpEntities = ['customer', 'contact'] as const;
/** What the follow-up records list 跟进记录 shows: also the follow-ups logged on leads and deals (changed through their own routes). */
export const listedFollowUpEntities = ['customer', 'contact', 'lead', 'deal'] as const;

export const attachmentSchema = z.object({ id: z.string(), name: z.string(), size: z.number().int(), mime: z.string() });
export type Attachment = z.infer<typeof attachmentSchema>;

/** What every follow-up answers, wherever it hangs (a customer, a contact, a lead, a deal). */
export const followUpFields = {
  id: z.string(),
  type: z.string(),
  content: z.string(),
  nextFollowupAt: z.string().nullable(),
  attachments: z.array(attachmentSchema),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  /** What the caller may do with it (the author always may). */
  access: z.object({ edit: z.boolean(), delete: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Send it back as `If-Match` on PATCH: a follow-up changed meanwhile answers 412. */
  version: z.number().int(),
};

/** A follow-up 跟进记录 in /follow-ups answers: a customer's or contact's, or in lists also a lead's or deal's. */
export const followUpSchema = z.object({
  ...followUpFields,
  /** lead and deal follow-ups appear in lists only; they are changed through /leads/:id/follow-ups and /deals/:id/follow-ups */
  entity: z.enum(listedFollowUpEntities),
  recordId: z.string(),
  /** The deal's or the lead's name, for their follow-ups. */
  recordName: z.string().nullable(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
});
export type FollowUp = z.infer<typeof followUpSchema>;

export const followUpPage = z.object({
  data: z.array(followUpSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().optional(),
  countExact: z.boolean().optional(),
  /** A content search read up to this follow-up's time; the cursor goes on from there (the page may be short, even empty). */
  searchedTo: z.string().optional(),
});
export type FollowUpPage = z.infer<typeof followUpPage>;

const content = textSchema(10_000);
const followUpType = z.string().trim().min(1).max(64);
const attachmentIds = z.array(idSchema).max(20);

export const createFollowUpBody = z.strictObject({
  entity: z.enum(followUpEntities),
  recordId: idSchema,
  type: followUpType,
  content,
  nextFollowupAt: isoTimestamp.nullish(),
  attachmentIds: attachmentIds.optional(),
});
export type CreateFollowUpBody = z.infer<typeof createFollowUpBody>;

export const updateFollowUpBody = z
  .strictObject({
    type: followUpType.optional(),
    content: content.optional(),
    nextFollowupAt: isoTimestamp.nullish(),
    attachmentIds: attachmentIds.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateFollowUpBody = z.infer<typeof updateFollowUpBody>;

/** A follow-up of a lead or a deal (`/leads/:id/follow-ups`, `/deals/:id/follow-ups`): the same fields, attachments included. */
export const recordFollowUpBody = z.strictObject({ type: followUpType, content, nextFollowupAt: isoTimestamp.nullish(), attachmentIds: attachmentIds.optional() });
export const updateRecordFollowUpBody = z
  .strictObject({ type: followUpType.optional(), content: content.optional(), nextFollowupAt: isoTimestamp.nullish(), attachmentIds: attachmentIds.optional() })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export const recordFollowUpParams = z.strictObject({ id: idSchema, followUpId: idSchema });
export const recordFollowUpFileParams = z.strictObject({ id: idSchema, followUpId: idSchema, fileId: idSchema });
export const recordFollowUpsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().min(1).max(2000).optional() });

const limit = z.coerce.number().int().min(1).max(200).default(50);

/** At most this many follow-ups by id in one list request (a page of a timeline names fewer). */
export const followUpIdsMax = 100;

/** `id=a,b` or `id=a&id=b`: these follow-ups (those the caller may see), e.g. the ones a timeline page names. */
const idFilter = z
  .union([z.string().max(10_000), z.array(z.string().max(200)).max(followUpIdsMax)])
  .transform((raw) => [...new Set((Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))])
  .pipe(z.array(idSchema).min(1).max(followUpIdsMax))
  .optional()
  .describe(`only these follow-ups, comma-separated or repeated (at most ${followUpIdsMax})`);

export const listFollowUpsQuery = z
  .object({
    id: idFilter,
    limit: z.string().optional(),
    cursor: z.string().max(2000).optional(),
    sort: z.string().max(80).optional().describe('-createdAt (default) or createdAt'),
    q: z.string().max(100).optional().describe('the content contains (same as content[contains])'),
    count: z.enum(['true', 'false', '1', '0']).optional(),
  })
  .catchall(z.union([z.string().max(2000), z.array(z.string().max(500)).max(100)]))
  .describe(
    'Filters: entity, recordId, customerId, contactId, ownerId (the author), type, content, createdAt, nextFollowupAt — field=value or field[eq|ne|gt|gte|lt|lte|contains|in|empty]=value',
  );
export type ListFollowUpsQuery = z.infer<typeof listFollowUpsQuery>;

export const mineBuckets = ['today', 'overdue', 'upcoming'] as const;
export type MineBucket = (typeof mineBuckets)[number];

export const mineQuery = z.strictObject({
  bucket: z.enum(mineBuckets).default('today'),
  limit,
  cursor: z.string().min(1).max(2000).optional(),
});

export const mineItemSchema = z.object({
  entity: z.enum(['customer', 'contact', 'deal', 'lead']),
  recordId: z.string(),
  name: z.string(),
  /** The customer the record belongs to (a customer's own id); null for a lead. */
  customerId: z.string().nullable(),
  /** The customer's name; a lead's company. */
  customerName: z.string().nullable(),
  nextFollowupAt: z.string(),
  lastFollowupAt: z.string().nullable(),
  lastFollowupContent: z.string().nullable(),
});
export type MineItem = z.infer<typeof mineItemSchema>;

export const minePage = z.object({
  data: z.array(mineItemSchema),
  nextCursor: z.string().nullable(),
  counts: z.object({ today: z.number().int(), overdue: z.number().int(), upcoming: z.number().int() }),
});
