import { z } from 'zod';
import { customValuesSchema, emailSchema, idSchema, isoTimestamp, nullableText, phoneSchema, textSchema } from '../../http/schemas';

export const leadStatuses = ['new', 'contacted', 'qualified', 'converted', 'invalid'] as const;
/** Statuses a person sets by hand; `converted` only comes from converting. */
export const editableStatuses = ['new', 'contacted', 'qualified', 'invalid'] as const;


/** A lead 线索 as the API answers it. Fields governed by field permissions may be left out (hidden). */
export const leadSchema = z.object({
  id: z.string(),
  name: z.string(),
  company: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
  industry: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  remark: z.string().nullable().optional(),
  status: z.enum(leadStatuses),
  ownerId: z.string().nullable().optional(),
  ownerName: z.string().nullable().optional(),
  lastFollowupAt: z.string().nullable(),
  lastFollowupContent: z.string().nullable(),
  nextFollowupAt: z.string().nullable(),
  custom: customValuesSchema,
  convertedAt: z.string().nullable(),
  customerId: z.string().nullable(),
  contactId: z.string().nullable(),
  dealId: z.string().nullable(),
  /** What the caller may do with it; all false once converted (read-only). */
  access: z.object({ edit: z.boolean(), delete: z.boolean(), assign: z.boolean(), convert: z.boolean() }),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Lead = z.infer<typeof leadSchema>;

export const leadPage = z.object({
  data: z.array(leadSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().optional(),
  countExact: z.boolean().optional(),
});


const writableFields = {
  company: nullableText(200),
  phone: phoneSchema.nullish(),
  email: emailSchema.nullish(),
  title: nullableText(100),
  source: z.string().trim().max(64).nullish(),
  industry: z.string().trim().max(64).nullish(),
  address: nullableText(300),
  remark: nullableText(5000),
  nextFollowupAt: isoTimestamp.nullish(),
  custom: z.record(z.string().max(40), z.unknown()).optional(),
};

export const createLeadBody = z.strictObject({
  name: textSchema(100),
  ...writableFields,
  status: z.enum(editableStatuses).optional(),
  /** Omitted: the caller, or the round-robin when automatic assignment on create is on. null: unassigned. */
  ownerId: idSchema.nullish(),
});
export type CreateLeadBody = z.infer<typeof createLeadBody>;

export const updateLeadBody = z
  .strictObject({ name: textSchema(100).optional(), ...writableFields, status: z.enum(editableStatuses).optional() })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateLeadBody = z.infer<typeof updateLeadBody>;

export const listLeadsQuery = z
  .object({
    limit: z.string().optional(),
    cursor: z.string().max(2000).optional(),
    sort: z.string().max(80).optional().describe('e.g. -createdAt, name, nextFollowupAt'),
    q: z.string().max(100).optional().describe('name, company, phone or email contains'),
    count: z.enum(['true', 'false', '1', '0']).optional(),
    deleted: z.enum(['true', 'false']).optional().describe('true: the recycle bin'),
  })
  .catchall(z.union([z.string().max(2000), z.array(z.string().max(500)).max(100)]))
  .describe('Filters: field=value, field[eq|ne|gt|gte|lt|lte|contains|in|empty]=value, cf.<key>[op]=value');

const reason = z.string().trim().max(500).optional();

/** By hand (ownerId) or round-robin through the active members of a department (departmentId). */
export const assignBody = z
  .strictObject({ ownerId: idSchema.optional(), departmentId: idSchema.optional(), reason })
  .refine((b) => (b.ownerId === undefined) !== (b.departmentId === undefined), { message: 'give either ownerId or departmentId', path: ['ownerId'] });
export type AssignBody = z.infer<typeof assignBody>;

export const bulkAssignBody = z
  .strictObject({
    ids: z.array(idSchema).min(1).max(1000),
    ownerId: idSchema.optional(),
    /** 分配 distribute: round-robin; omitted with ownerId omitted → the department of the settings. */
    departmentId: idSchema.optional(),
    reason,
  })
  .refine((b) => b.ownerId === undefined || b.departmentId === undefined, { message: 'give ownerId or departmentId, not both', path: ['ownerId'] });
export type BulkAssignBody = z.infer<typeof bulkAssignBody>;

export const assignResult = z.object({
  assigned: z.number().int(),
  /** lead id → new owner id */
  owners: z.record(z.string(), z.string()),
});

export const leadSettingsSchema = z.object({
  autoAssignDepartmentId: z.string().nullable(),
  autoAssignDepartmentName: z.string().nullable(),
  autoAssignOnCreate: z.boolean(),
});
export const leadSettingsBody = z.strictObject({ autoAssignDepartmentId: idSchema.nullable(), autoAssignOnCreate: z.boolean() });
export type LeadSettingsBody = z.infer<typeof leadSettingsBody>;

export const leadEventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});
export const leadHistory = z.object({ data: z.array(leadEventSchema) });
