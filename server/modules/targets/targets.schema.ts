import { z } from 'zod';
import { idSchema, moneyInputNonNegative, moneyOutput } from '../../http/schemas';

export const targetKinds = ['contract_amount', 'payment_amount'] as const;
export type TargetKind = (typeof targetKinds)[number];
export const subjectTypes = ['user', 'department'] as const;

/** A non-negative amount (decimal string or number of yuan) → cents. */
const amountInput = moneyInputNonNegative;

const yearSchema = z.coerce.number().int().min(2000).max(2100);

export const setTargetItem = z
  .strictObject({
    subjectType: z.enum(subjectTypes),
    subjectId: idSchema,
    /** Twelve monthly values, January first; the year total is their sum. */
    months: z.array(amountInput).length(12).optional(),
    /** The year total set directly: spread evenly over the months (cent remainders to the last months). */
    yearTotal: amountInput.optional(),
  })
  .refine((v) => v.months !== undefined || v.yearTotal !== undefined, { message: 'give months or yearTotal' });

export const setTargetsBody = z.strictObject({
  year: yearSchema,
  kind: z.enum(targetKinds),
  items: z.array(setTargetItem).min(1).max(1000),
});
export type SetTargetsBody = z.infer<typeof setTargetsBody>;

export const targetSchema = z.object({
  id: z.string(),
  year: z.number().int(),
  kind: z.enum(targetKinds),
  subjectType: z.enum(subjectTypes),
  subjectId: z.string(),
  subjectName: z.string().nullable(),
  months: z.array(moneyOutput),
  yearTotal: moneyOutput,
  updatedAt: z.string(),
});
export type Target = z.infer<typeof targetSchema>;

export const listTargetsQuery = z.strictObject({
  year: yearSchema,
  kind: z.enum(targetKinds).optional(),
  subjectType: z.enum(subjectTypes).optional(),
});

export const achievementQuery = z
  .strictObject({
    /** me (default), a user, or a department (members and sub-departments' members). */
    subject: z.enum(['me', 'user', 'department']).default('me'),
    subjectId: idSchema.optional(),
    period: z.enum(['month', 'quarter', 'year', 'custom']).default('month'),
    year: yearSchema.optional(),
    month: z.coerce.number().int().min(1).max(12).optional(),
    quarter: z.coerce.number().int().min(1).max(4).optional(),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    kind: z.enum(targetKinds).optional(),
  })
  .refine((q) => q.subject === 'me' || q.subjectId !== undefined, { message: 'subjectId is required for a user or department', path: ['subjectId'] })
  .refine((q) => q.period !== 'custom' || (q.from !== undefined && q.to !== undefined && q.from <= q.to), { message: 'a custom period needs from ≤ to', path: ['from'] });
export type AchievementQuery = z.infer<typeof achievementQuery>;

export const figureSchema = z.object({
  target: moneyOutput,
  actual: moneyOutput,
  /** actual / target × 100, two decimals; null without a target. */
  percent: z.number().nullable(),
});
export type Figure = z.infer<typeof figureSchema>;

export const achievementSchema = z.object({
  subjectType: z.enum(subjectTypes),
  subjectId: z.string(),
  subjectName: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  items: z.array(figureSchema.extend({ kind: z.enum(targetKinds) })),
});

export const reportQuery = z.strictObject({
  year: yearSchema,
  kind: z.enum(targetKinds),
  subjectType: z.enum(subjectTypes).default('user'),
});

export const reportSchema = z.object({
  year: z.number().int(),
  kind: z.enum(targetKinds),
  subjectType: z.enum(subjectTypes),
  rows: z.array(
    z.object({
      subjectId: z.string(),
      name: z.string().nullable(),
      months: z.array(figureSchema),
      year: figureSchema,
      editable: z.boolean(),
    }),
  ),
});

export const summarySchema = z.object({
  /** Today in the workspace's time zone. */
  today: z.string(),
  items: z.array(
    z.object({
      scope: z.enum(['me', 'department']),
      subjectId: z.string(),
      subjectName: z.string().nullable(),
      kind: z.enum(targetKinds),
      month: figureSchema,
      year: figureSchema,
    }),
  ),
});
