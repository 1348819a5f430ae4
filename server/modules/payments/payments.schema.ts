import { z } from 'zod';
import { currencySchema, cursorSchema, idSchema, limitSchema, moneyInput, moneyOutput, page } from '../../http/schemas';

export const dateSchema = z.iso.date();
const remarkSchema = z.string().trim().max(2000).nullish();

export const planStatuses = ['pending', 'partial', 'paid', 'overdue'] as const;
export const paymentStatuses = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

export const paymentPlanSchema = z.object({
  id: z.string(),
  contractId: z.string(),
  contractNumber: z.string().nullable(),
  contractName: z.string().nullable(),
  customerId: z.string(),
  customerName: z.string().nullable(),
  period: z.number().int(),
  amount: moneyOutput,
  paid: moneyOutput,
  outstanding: moneyOutput,
  currency: currencySchema,
  dueDate: z.string(),
  remindDays: z.number().int(),
  status: z.enum(planStatuses),
  remark: z.string().nullable(),
  access: z.object({ edit: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type PaymentPlan = z.infer<typeof paymentPlanSchema>;

export const createPlanBody = z.strictObject({
  contractId: idSchema,
  /** 期数; default: the next after the contract's last one. */
  period: z.number().int().min(1).max(1000).optional(),
  amount: moneyInput,
  dueDate: dateSchema,
  remindDays: z.number().int().min(0).max(365).default(0),
  remark: remarkSchema,
});
export type CreatePlanBody = z.infer<typeof createPlanBody>;

export const updatePlanBody = z.strictObject({
  period: z.number().int().min(1).max(1000).optional(),
  amount: moneyInput.optional(),
  dueDate: dateSchema.optional(),
  remindDays: z.number().int().min(0).max(365).optional(),
  remark: remarkSchema,
});
export type UpdatePlanBody = z.infer<typeof updatePlanBody>;

export const listPlansQuery = z.strictObject({
  contractId: idSchema.optional(),
  customerId: idSchema.optional(),
  status: z.enum(planStatuses).optional(),
  /** soon = not paid and within its reminder window (due today or later); overdue = past due and not paid. */
  due: z.enum(['soon', 'overdue']).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListPlansQuery = z.infer<typeof listPlansQuery>;
export const paymentPlanPage = page(paymentPlanSchema);

export const paymentSchema = z.object({
  id: z.string(),
  contractId: z.string(),
  contractNumber: z.string().nullable(),
  contractName: z.string().nullable(),
  customerId: z.string(),
  customerName: z.string().nullable(),
  planId: z.string().nullable(),
  planPeriod: z.number().int().nullable(),
  amount: moneyOutput,
  currency: currencySchema,
  paidOn: z.string(),
  /** Left out when a field rule hides it from the caller. */
  method: z.string().optional(),
  remark: z.string().nullable().optional(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  status: z.enum(paymentStatuses),
  approvalId: z.string().nullable(),
  approvedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  access: z.object({ edit: z.boolean(), delete: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Payment = z.infer<typeof paymentSchema>;

export const createPaymentBody = z.strictObject({
  contractId: idSchema,
  planId: idSchema.nullish(),
  amount: moneyInput,
  paidOn: dateSchema,
  method: z.string().trim().min(1).max(60),
  remark: remarkSchema,
  /** Who collected it (credited in targets); default: the caller. */
  ownerId: idSchema.optional(),
});
export type CreatePaymentBody = z.infer<typeof createPaymentBody>;

/** Only a payment that is not in approval nor approved (rejected or withdrawn) can be edited. */
export const updatePaymentBody = z.strictObject({
  planId: idSchema.nullish(),
  amount: moneyInput.optional(),
  paidOn: dateSchema.optional(),
  method: z.string().trim().min(1).max(60).optional(),
  remark: remarkSchema,
});
export type UpdatePaymentBody = z.infer<typeof updatePaymentBody>;

export const listPaymentsQuery = z.strictObject({
  contractId: idSchema.optional(),
  customerId: idSchema.optional(),
  planId: idSchema.optional(),
  ownerId: idSchema.optional(),
  status: z.enum(paymentStatuses).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListPaymentsQuery = z.infer<typeof listPaymentsQuery>;
export const paymentPage = page(paymentSchema);

export const contractPaymentSummary = z.object({
  contractId: z.string(),
  total: moneyOutput,
  /** Approved payments. */
  received: moneyOutput,
  /** Payments waiting for approval. */
  pending: moneyOutput,
  /** total − received. */
  outstanding: moneyOutput,
  /** What can still be recorded: total − (received + pending). */
  available: moneyOutput,
  planned: moneyOutput,
});
export type ContractPaymentSummary = z.infer<typeof contractPaymentSummary>;

/** A customer's 回款 at a glance (its 360° page), over its approved contracts the caller may see. */
export const customerPaymentSummary = z.object({
  customerId: z.string(),
  /** Approved contracts counted. */
  contracts: z.number().int(),
  total: moneyOutput,
  received: moneyOutput,
  pending: moneyOutput,
  /** total − received. */
  outstanding: moneyOutput,
  /** Instalments past due and not paid, and what is still open on them. */
  overduePlans: z.number().int(),
  overdue: moneyOutput,
  currency: currencySchema,
});
export type CustomerPaymentSummary = z.infer<typeof customerPaymentSummary>;
