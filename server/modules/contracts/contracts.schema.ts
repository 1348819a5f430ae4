import { z } from 'zod';
import { currencySchema, customValuesSchema, dateSchema, idSchema, moneyInputNonNegative, moneyOutput, nullableText, textSchema } from '../../http/schemas';
import { instanceSchema } from '../approvals/approvals.schema';
import { type DealLineInput, dealLineInput, dealLineSchema } from '../deals/deals.schema';

export const contractStatuses = ['draft', 'pending', 'approved', 'rejected', 'void'] as const;
export type ContractStatus = (typeof contractStatuses)[number];

/** A contract line is a deal line with a remark (lines are copied from the deal a contract starts from). */
export const contractLineSchema = dealLineSchema.extend({ remark: z.string().nullable() });
export type ContractLine = z.infer<typeof contractLineSchema>;

export const contractLineInput = dealLineInput.extend({ remark: nullableText(500) });
/** A line as the service takes it: parsed (price in cents). */
export type ContractLineInput = DealLineInput & { remark?: string | null | undefined };

const fileSchema = z.object({ id: z.string(), name: z.string(), size: z.number().int(), mime: z.string() });

/** Fields governed by field permissions are optional in answers: hidden means left out. */
export const contractSchema = z.object({
  id: z.string(),
  number: z.string(),
  name: z.string(),
  customerId: z.string(),
  customerName: z.string().nullable(),
  dealId: z.string().nullable(),
  dealName: z.string().nullable(),
  signDate: z.string().nullable().optional(),
  startDate: z.string().nullable().optional(),
  endDate: z.string().nullable().optional(),
  signerId: z.string().nullable().optional(),
  signerName: z.string().nullable().optional(),
  customerSignerId: z.string().nullable().optional(),
  customerSignerName: z.string().nullable().optional(),
  total: moneyOutput.optional(),
  currency: currencySchema,
  status: z.enum(contractStatuses),
  remark: z.string().nullable().optional(),
  custom: customValuesSchema,
  ownerId: z.string().nullable().optional(),
  ownerName: z.string().nullable().optional(),
  approvalId: z.string().nullable(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
  /** What the caller may do with this record (the UI shows buttons from it). */
  access: z.object({ edit: z.boolean(), delete: z.boolean(), submit: z.boolean(), void: z.boolean() }),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Contract = z.infer<typeof contractSchema>;

/** The detail answer: the contract with its lines, attachments and approval (progress + history). */
export const contractDetailSchema = contractSchema.extend({
  lines: z.array(contractLineSchema).optional(),
  files: z.array(fileSchema),
  approval: instanceSchema.nullable(),
});
export type ContractDetail = z.infer<typeof contractDetailSchema>;

export const contractPage = z.object({
  data: z.array(contractSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().optional(),
  countExact: z.boolean().optional(),
});

const writable = {
  name: textSchema(200),
  signDate: dateSchema.nullish(),
  startDate: dateSchema.nullish(),
  endDate: dateSchema.nullish(),
  signerId: idSchema.nullish(),
  customerSignerId: idSchema.nullish(),
  /** Only without lines: with lines the total is their sum. */
  total: moneyInputNonNegative.optional(),
  remark: nullableText(2000),
  custom: customValuesSchema.optional(),
  lines: z.array(contractLineInput).max(200).optional(),
  fileIds: z.array(idSchema).max(50).optional(),
};

export const createContractBody = z.strictObject({
  ...writable,
  /** A deal gives the customer and (when `lines` is left out) its product lines. */
  dealId: idSchema.nullish(),
  /** Required unless dealId is given. */
  customerId: idSchema.optional(),
  /** Leave out for the next number of the numbering rule (HT-20261123-0001). */
  number: z.string().trim().min(1).max(60).regex(/^[\w\-/.#]+$/, 'letters, digits and - _ / . #').optional(),
  ownerId: idSchema.optional(),
});
export type CreateContractBody = z.infer<typeof createContractBody>;

export const updateContractBody = z.strictObject({
  ...writable,
  name: writable.name.optional(),
  customerSignerId: idSchema.nullish(),
});
export type UpdateContractBody = z.infer<typeof updateContractBody>;

export const voidBody = z.strictObject({ reason: textSchema(500) });

export const prefillQuery = z.strictObject({ dealId: idSchema.optional(), customerId: idSchema.optional() });
export const prefillSchema = z.object({
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  dealId: z.string().nullable(),
  dealName: z.string().nullable(),
  name: z.string().nullable(),
  lines: z.array(contractLineSchema.omit({ id: true })),
  total: moneyOutput,
  currency: currencySchema,
});

export const numberingRuleSchema = z.object({
  pattern: z.string(),
  reset: z.enum(['day', 'month', 'year', 'never']),
  /** The number the next contract would get (not reserved). */
  preview: z.string(),
});
export const numberingRuleBody = z.strictObject({
  pattern: z.string().trim().min(1).max(80),
  reset: z.enum(['day', 'month', 'year', 'never']),
});

export const expiringQuery = z.strictObject({
  days: z.coerce.number().int().min(0).max(3650).default(30),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
