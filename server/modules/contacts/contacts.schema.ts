import { z } from 'zod';
import { customValuesSchema, emailSchema, idSchema, nullableText, phoneSchema, textSchema } from '../../http/schemas';


/** A contact 联系人 as the API answers it; fields under field rules are optional (hidden = left out). */
export const contactSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string().nullable(),
  ownerId: z.string().nullable(),
  name: z.string(),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  department: z.string().nullable(),
  wechat: z.string().nullable().optional(),
  isPrimary: z.boolean(),
  isDecisionMaker: z.boolean(),
  remark: z.string().nullable().optional(),
  lastFollowupAt: z.string().nullable(),
  nextFollowupAt: z.string().nullable(),
  custom: customValuesSchema,
  access: z.object({ edit: z.boolean(), delete: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Set only for a contact in the recycle bin (GET /contacts?deleted=true). */
  deletedAt: z.string().nullable().optional(),
  version: z.number().int(),
});
export type Contact = z.infer<typeof contactSchema>;

export const contactPage = z.object({
  data: z.array(contactSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().optional(),
  countExact: z.boolean().optional(),
});


const writableFields = {
  phone: phoneSchema.nullish(),
  email: emailSchema.nullish(),
  title: nullableText(100),
  department: nullableText(100),
  wechat: nullableText(100),
  isPrimary: z.boolean().optional(),
  isDecisionMaker: z.boolean().optional(),
  remark: nullableText(5000),
  custom: z.record(z.string().max(40), z.unknown()).optional(),
};

export const createContactBody = z.strictObject({
  customerId: idSchema,
  name: textSchema(100),
  ...writableFields,
});
export type CreateContactBody = z.infer<typeof createContactBody>;

export const updateContactBody = z
  .strictObject({ name: textSchema(100).optional(), ...writableFields })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateContactBody = z.infer<typeof updateContactBody>;

export const listContactsQuery = z
  .object({
    limit: z.string().optional(),
    cursor: z.string().max(2000).optional(),
    sort: z.string().max(80).optional().describe('e.g. -createdAt, name, cf.role'),
    q: z.string().max(100).optional().describe('name, phone digits or email contains'),
    count: z.enum(['true', 'false', '1', '0']).optional(),
    deleted: z.enum(['true', 'false']).optional().describe('true: the recycle bin (needs contact:delete)'),
  })
  .catchall(z.union([z.string().max(2000), z.array(z.string().max(500)).max(100)]))
  .describe('Filters: customerId=…, field=value, field[eq|ne|gt|gte|lt|lte|contains|in|empty]=value, cf.<key>[op]=value');

/** Most records one bulk request may name: it runs in one transaction, all or nothing. */
export const contactBulkLimit = 500;

export const contactIdsBody = z.strictObject({ ids: z.array(idSchema).min(1).max(contactBulkLimit) });
export type ContactIdsBody = z.infer<typeof contactIdsBody>;

export const contactBulkBody = z.strictObject({ action: z.enum(['delete']), ids: contactIdsBody.shape.ids });
export type ContactBulkBody = z.infer<typeof contactBulkBody>;

export const contactBulkResult = z.object({ action: z.string(), matched: z.number().int(), changed: z.number().int() });
