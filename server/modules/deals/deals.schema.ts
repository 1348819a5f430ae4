import { z } from 'zod';
import { currencySchema, customValuesSchema, dateSchema, idSchema, moneyInputNonNegative, moneyOutput, nullableText, textSchema } from '../../http/schemas';

export const dealStatuses = ['open', 'won', 'lost', 'invalid'] as const;
export const closedStatuses = ['won', 'lost', 'invalid'] as const;

const tagSchema = z.object({ id: z.string(), name: z.string(), color: z.string() });

export const dealLineSchema = z.object({
  id: z.string(),
  productId: z.string().nullable(),
  name: z.string(),
  unit: z.string().nullable(),
  price: moneyOutput,
  quantity: z.number(),
  discountPercent: z.number(),
  /** price × quantity × (100 − discount%) / 100, to the cent. */
  amount: moneyOutput,
});
export type DealLine = z.infer<typeof dealLineSchema>;

export const dealLineInput = z.strictObject({
  /** A product of the catalogue; its name, unit and price are the defaults of the line. */
  productId: idSchema.nullish(),
  name: textSchema(200).optional(),
  unit: z.string().trim().max(32).nullish(),
  /** Default: the product's price. */
  price: moneyInputNonNegative.optional(),
  quantity: z.number().positive().max(1e9).multipleOf(0.001),
  discountPercent: z.number().min(0).max(100).multipleOf(0.01).default(0),
});
/** A line as the service takes it: parsed (price in cents); the discount defaults to 0. */
export type DealLineInput = Omit<z.infer<typeof dealLineInput>, 'discountPercent'> & { discountPercent?: number | undefined };

/** Fields governed by field permissions are optional in answers: hidden means left out. */
export const dealSchema = z.object({
  id: z.string(),
  name: z.string(),
  customerId: z.string(),
  customerName: z.string().nullable(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  leadId: z.string().nullable(),
  pipelineId: z.string(),
  stageId: z.string(),
  stageName: z.string().nullable(),
  winProbability: z.number().int().nullable(),
  amount: moneyOutput.optional(),
  currency: currencySchema,
  expectedCloseDate: z.string().nullable().optional(),
  status: z.enum(dealStatuses),
  lostReason: z.string().nullable().optional(),
  ownerId: z.string().nullable().optional(),
  ownerName: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
  remark: z.string().nullable().optional(),
  stageEnteredAt: z.string(),
  lastFollowupAt: z.string().nullable(),
  nextFollowupAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  tags: z.array(tagSchema).optional(),
  custom: customValuesSchema,
  access: z.object({ edit: z.boolean(), delete: z.boolean(), transfer: z.boolean() }),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Deal = z.infer<typeof dealSchema>;

export const stageHistorySchema = z.object({
  id: z.string(),
  stageId: z.string(),
  stageName: z.string().nullable(),
  pipelineId: z.string(),
  enteredAt: z.string(),
  leftAt: z.string().nullable(),
  exitKind: z.string().nullable(),
  actorUserId: z.string().nullable(),
  /** Milliseconds spent in the stage (until now while still in it). */
  durationMs: z.number().int(),
});

export const dealDetailSchema = dealSchema.extend({
  lines: z.array(dealLineSchema).optional(),
  stageHistory: z.array(stageHistorySchema),
});
export type DealDetail = z.infer<typeof dealDetailSchema>;

export const dealPage = z.object({
  data: z.array(dealSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().optional(),
  countExact: z.boolean().optional(),
});

const writableFields = {
  contactId: idSchema.nullish(),
  amount: moneyInputNonNegative.optional(),
  expectedCloseDate: dateSchema.nullish(),
  source: z.string().trim().max(64).nullish(),
  remark: nullableText(5000),
  nextFollowupAt: z.iso.datetime({ offset: true }).nullish(),
  custom: z.record(z.string().max(40), z.unknown()).optional(),
  /** Replaces all lines; when lines are given the amount is their sum. */
  lines: z.array(dealLineInput).max(200).optional(),
};

export const createDealBody = z.strictObject({
  name: textSchema(200),
  customerId: idSchema,
  /** Default: the workspace's default pipeline. */
  pipelineId: idSchema.optional(),
  /** Default: the pipeline's first stage. */
  stageId: idSchema.optional(),
  ownerId: idSchema.nullish(),
  tagIds: z.array(idSchema).max(50).optional(),
  ...writableFields,
});
export type CreateDealBody = z.input<typeof createDealBody>;

/**
 * What lead conversion (and other services) pass to createDeal: the parsed body (amounts in
 * cents) plus the lead. createDeal does not parse again (that would read cents as yuan).
 */
export const createDealInput = createDealBody.extend({ leadId: idSchema.nullish() });
export type CreateDealInput = Omit<z.infer<typeof createDealInput>, 'lines'> & { lines?: DealLineInput[] | undefined };

export const updateDealBody = z.strictObject({
  name: textSchema(200).optional(),
  /** Replaces the deal's tags. */
  tagIds: z.array(idSchema).max(50).optional(),
  ...writableFields,
});
export type UpdateDealBody = z.infer<typeof updateDealBody>;

export const moveDealBody = z.strictObject({
  stageId: idSchema,
  /** Moving into another pipeline's stage moves the deal to that pipeline. */
  pipelineId: idSchema.optional(),
});

export const closeDealBody = z.strictObject({
  status: z.enum(closedStatuses),
  /** Required for lost and invalid. */
  reason: z.string().trim().max(500).nullish(),
});

export const transferDealBody = z.strictObject({ ownerId: idSchema });

export const boardQuery = z.strictObject({
  pipelineId: idSchema.optional(),
  perColumn: z.coerce.number().int().min(1).max(100).default(20),
  ownerId: idSchema.optional(),
  q: z.string().trim().max(100).optional(),
});

export const boardColumnSchema = z.object({
  stageId: z.string(),
  name: z.string(),
  winProbability: z.number().int(),
  count: z.number().int(),
  amount: moneyOutput.optional(),
  deals: z.array(dealSchema),
  nextCursor: z.string().nullable(),
});

export const boardSchema = z.object({
  pipelineId: z.string(),
  pipelineName: z.string(),
  columns: z.array(boardColumnSchema),
});

export const listDealsQuery = z
  .object({
    q: z.string().max(100).optional(),
    sort: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(2000).optional(),
    count: z.enum(['true', 'false']).optional(),
    deleted: z.enum(['true', 'false']).optional(),
    tag: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .catchall(z.union([z.string().max(2000), z.array(z.string().max(2000)).max(50)]));
