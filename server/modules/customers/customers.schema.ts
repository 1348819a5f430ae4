import { z } from 'zod';
import { customValuesSchema, emailSchema, idSchema, nullableText, phoneSchema, textSchema } from '../../http/schemas';

export const lifecycleStages = ['prospect', 'intent', 'customer', 'loyal', 'churned'] as const;
export const customerKinds = ['company', 'person'] as const;

const tagSchema = z.object({ id: z.string(), name: z.string(), color: z.string() });

/** Fields governed by field permissions are optional in answers: hidden means left out. */
export const customerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(customerKinds),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  website: z.string().nullable().optional(),
  level: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
  industry: z.string().nullable().optional(),
  lifecycleStage: z.enum(lifecycleStages).optional(),
  dealStatus: z.enum(['none', 'dealt']),
  ownerId: z.string().nullable().optional(),
  ownerName: z.string().nullable().optional(),
  locked: z.boolean(),
  province: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  district: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  primaryContactId: z.string().nullable(),
  primaryContactName: z.string().nullable(),
  remark: z.string().nullable().optional(),
  lastFollowupAt: z.string().nullable(),
  lastFollowupContent: z.string().nullable(),
  nextFollowupAt: z.string().nullable(),
  tags: z.array(tagSchema).optional(),
  custom: customValuesSchema,
  /** What the caller may do with this record (the UI shows buttons from it). */
  access: z.object({ edit: z.boolean(), delete: z.boolean(), transfer: z.boolean() }),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
  mergedInto: z.string().nullable().describe('The customer this one was merged into: it waits in the recycle bin and cannot be restored'),
  version: z.number().int(),
});
export type Customer = z.infer<typeof customerSchema>;

export const customerPage = z.object({
  data: z.array(customerSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().optional(),
  countExact: z.boolean().optional(),
});


const writableFields = {
  kind: z.enum(customerKinds).optional(),
  phone: phoneSchema.nullish(),
  email: emailSchema.nullish(),
  website: z.string().trim().max(300).regex(/^(https?:\/\/)?[\w.-]+\.[a-z]{2,}(\/\S*)?$/i, 'must be a web address').nullish(),
  level: z.string().trim().max(64).nullish(),
  source: z.string().trim().max(64).nullish(),
  industry: z.string().trim().max(64).nullish(),
  lifecycleStage: z.enum(lifecycleStages).optional(),
  province: nullableText(64),
  city: nullableText(64),
  district: nullableText(64),
  address: nullableText(300),
  remark: nullableText(5000),
  nextFollowupAt: z.iso.datetime({ offset: true }).nullish(),
  custom: z.record(z.string().max(40), z.unknown()).optional(),
};

export const createCustomerBody = z.strictObject({
  name: textSchema(200),
  ...writableFields,
  ownerId: idSchema.nullish(),
  tagIds: z.array(idSchema).max(50).optional(),
  /** An optional first contact, made primary. */
  contact: z
    .strictObject({
      name: textSchema(100),
      phone: phoneSchema.nullish(),
      email: emailSchema.nullish(),
      title: nullableText(100),
    })
    .optional(),
});
export type CreateCustomerBody = z.infer<typeof createCustomerBody>;

export const updateCustomerBody = z
  .strictObject({ name: textSchema(200).optional(), ...writableFields, primaryContactId: idSchema.nullish() })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateCustomerBody = z.infer<typeof updateCustomerBody>;

export const listCustomersQuery = z
  .object({
    limit: z.string().optional(),
    cursor: z.string().max(2000).optional(),
    sort: z.string().max(80).optional().describe('e.g. -updatedAt, name, cf.region'),
    q: z.string().max(100).optional().describe('name, phone or email contains'),
    count: z.enum(['true', 'false', '1', '0']).optional(),
    deleted: z.enum(['true', 'false']).optional().describe('true: the recycle bin'),
  })
  .catchall(z.union([z.string().max(2000), z.array(z.string().max(500)).max(100)]))
  .describe('Filters: field=value, field[eq|ne|gt|gte|lt|lte|contains|in|empty]=value, cf.<key>[op]=value, tag=<tagId>');

export const transferBody = z.strictObject({ ownerId: idSchema, reason: z.string().trim().max(500).optional(), withContacts: z.boolean().default(true) });
export const tagsBody = z.strictObject({ add: z.array(idSchema).max(50).default([]), remove: z.array(idSchema).max(50).default([]) });
export const collaboratorsBody = z.strictObject({
  collaborators: z
    .array(z.strictObject({ userId: idSchema, access: z.enum(['read', 'write']), expiresAt: z.iso.datetime({ offset: true }).nullish() }))
    .max(100),
});
export const collaboratorSchema = z.object({
  userId: z.string(),
  userName: z.string(),
  access: z.enum(['read', 'write']),
  expiresAt: z.string().nullable(),
});

export const bulkActions = ['assign', 'addTags', 'removeTags', 'setLevel', 'delete'] as const;

export const bulkBody = z
  .strictObject({
    action: z.enum(bulkActions),
    /** A selection… */
    ids: z.array(idSchema).min(1).max(5000).optional(),
    /** …or the whole filtered set: the same keys as the list's query string. */
    filter: z.record(z.string().max(80), z.union([z.string().max(2000), z.array(z.string().max(500)).max(100)])).optional(),
    ownerId: idSchema.optional(),
    tagIds: z.array(idSchema).max(50).optional(),
    level: z.string().max(64).nullable().optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: 'give either ids or filter', path: ['ids'] })
  .refine((b) => b.action !== 'assign' || b.ownerId !== undefined, { message: 'assign needs ownerId', path: ['ownerId'] })
  .refine((b) => !['addTags', 'removeTags'].includes(b.action) || (b.tagIds?.length ?? 0) > 0, { message: 'needs tagIds', path: ['tagIds'] })
  .refine((b) => b.action !== 'setLevel' || b.level !== undefined, { message: 'setLevel needs level', path: ['level'] });
export type BulkBody = z.infer<typeof bulkBody>;

/** POST /customers/restore: a selection from the recycle bin, restored in one transaction. */
export const bulkRestoreBody = z.strictObject({ ids: z.array(idSchema).min(1).max(500) });
