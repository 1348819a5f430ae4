import { z } from 'zod';
import { cursorSchema, idSchema, limitSchema, textSchema } from '../../http/schemas';

const days = z.number().int().min(1).max(3650);

/** A recycling rule: for one customer level (null = every level without its own rule). */
export const poolRuleSchema = z.strictObject({
  level: z.string().trim().min(1).max(64).nullable(),
  /** No follow-up for N days → back to the pool. */
  noFollowupDays: days.nullable().default(null),
  /** No deal 商机 created for N days → back. */
  noDealDays: days.nullable().default(null),
  /** Not dealt 成交 within N days of getting it → back. */
  notDealtDays: days.nullable().default(null),
});
export type PoolRule = z.infer<typeof poolRuleSchema>;

export const recycleRuleKinds = ['no_followup', 'no_deal', 'not_dealt'] as const;
export type RecycleRuleKind = (typeof recycleRuleKinds)[number];

const memberSchema = z.strictObject({ type: z.enum(['user', 'department']), id: idSchema });

const poolSettings = {
  name: textSchema(100),
  description: z.string().trim().max(500).nullable().optional(),
  /** Every user of the workspace is a member. */
  allUsers: z.boolean().optional(),
  members: z.array(memberSchema).max(500).optional(),
  admins: z.array(idSchema).max(100).optional(),
  /** Claims per user per day in this pool; null = no limit. */
  claimDailyLimit: z.number().int().min(0).max(10_000).nullable().optional(),
  /** The previous owner may not reclaim within N days; null or 0 = no cool-down. */
  cooldownDays: z.number().int().min(0).max(3650).nullable().optional(),
  recycleEnabled: z.boolean().optional(),
  exemptDealt: z.boolean().optional(),
  exemptLocked: z.boolean().optional(),
  /** Owners are warned this many days before a customer would be recycled. */
  warnDays: z.number().int().min(0).max(365).optional(),
  rules: z
    .array(poolRuleSchema)
    .max(50)
    .refine((rules) => new Set(rules.map((r) => r.level ?? '')).size === rules.length, 'one rule per level')
    .optional(),
};

export const createPoolBody = z.strictObject(poolSettings);
export type CreatePoolBody = z.infer<typeof createPoolBody>;
export const updatePoolBody = z.strictObject({
  ...poolSettings,
  name: textSchema(100).optional(),
  /** The version the edit is based on, as pools first took it; `If-Match: <version>` does the same, as on every other record. */
  version: z.number().int().optional(),
});
export type UpdatePoolBody = z.infer<typeof updatePoolBody>;

export const poolSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  isDefault: z.boolean(),
  allUsers: z.boolean(),
  members: z.array(z.object({ type: z.enum(['user', 'department']), id: z.string(), name: z.string().nullable() })),
  admins: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  claimDailyLimit: z.number().nullable(),
  cooldownDays: z.number().nullable(),
  recycleEnabled: z.boolean(),
  exemptDealt: z.boolean(),
  exemptLocked: z.boolean(),
  warnDays: z.number(),
  rules: z.array(poolRuleSchema),
  /** Customers waiting in the pool. */
  customerCount: z.number(),
  /** What the caller may do here. */
  isMember: z.boolean(),
  isAdmin: z.boolean(),
  canManage: z.boolean(),
  claimedToday: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Pool = z.infer<typeof poolSchema>;
export const poolList = z.object({ data: z.array(poolSchema) });

export const poolParams = z.strictObject({ id: idSchema });
export const poolCustomerParams = z.strictObject({ id: idSchema, customerId: idSchema });

export const poolCustomersQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  level: z.string().trim().max(64).optional(),
  source: z.string().trim().max(64).optional(),
  industry: z.string().trim().max(64).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type PoolCustomersQuery = z.infer<typeof poolCustomersQuery>;

export const poolCustomerSchema = z.object({
  id: z.string(),
  name: z.string(),
  level: z.string().nullable(),
  source: z.string().nullable(),
  industry: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  dealStatus: z.string(),
  lastFollowupAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
  previousOwnerId: z.string().nullable(),
  previousOwnerName: z.string().nullable(),
  createdAt: z.string(),
});
export type PoolCustomer = z.infer<typeof poolCustomerSchema>;
export const poolCustomerPage = z.object({ data: z.array(poolCustomerSchema), nextCursor: z.string().nullable() });

export const claimBody = z.strictObject({ customerIds: z.array(idSchema).min(1).max(200) });
export const assignBody = z.strictObject({ customerIds: z.array(idSchema).min(1).max(200), ownerId: idSchema, reason: z.string().trim().max(500).optional() });
export const releaseBody = z.strictObject({
  customerIds: z.array(idSchema).min(1).max(200),
  reason: textSchema(500),
  /** The pool to put them in; default: the pool each came from (or the default pool). */
  poolId: idSchema.optional(),
});

export const bulkResult = z.object({
  done: z.array(z.string()),
  failed: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
});
export type BulkResult = z.infer<typeof bulkResult>;

export const ownershipChangeSchema = z.object({
  id: z.string(),
  action: z.enum(['claim', 'assign', 'release', 'recycle', 'transfer', 'create']),
  fromUserId: z.string().nullable(),
  fromUserName: z.string().nullable(),
  toUserId: z.string().nullable(),
  toUserName: z.string().nullable(),
  poolId: z.string().nullable(),
  reason: z.string().nullable(),
  rule: z.string().nullable(),
  actorUserId: z.string().nullable(),
  createdAt: z.string(),
});
export const ownershipHistory = z.object({ data: z.array(ownershipChangeSchema) });

export const expiringCustomerSchema = z.object({
  id: z.string(),
  name: z.string(),
  level: z.string().nullable(),
  poolId: z.string(),
  poolName: z.string(),
  rule: z.enum(recycleRuleKinds),
  days: z.number(),
  /** When the daily job will take it back unless something changes. */
  recycleAt: z.string(),
});
export type ExpiringCustomer = z.infer<typeof expiringCustomerSchema>;
export const expiringList = z.object({ data: z.array(expiringCustomerSchema) });

export const limitSubjectTypes = ['workspace', 'department', 'user'] as const;
export const ownershipLimitBody = z.strictObject({
  subjectType: z.enum(limitSubjectTypes),
  /** A department or user id; omitted for the workspace-wide limit. */
  subjectId: idSchema.optional(),
  maxOwned: z.number().int().min(0).max(1_000_000).nullable(),
  excludeDealt: z.boolean().default(false),
  maxLocked: z.number().int().min(0).max(1_000_000).nullable(),
});
export type OwnershipLimitBody = z.infer<typeof ownershipLimitBody>;
export const ownershipLimitSchema = z.object({
  id: z.string(),
  subjectType: z.enum(limitSubjectTypes),
  subjectId: z.string(),
  subjectName: z.string().nullable(),
  maxOwned: z.number().nullable(),
  excludeDealt: z.boolean(),
  maxLocked: z.number().nullable(),
  updatedAt: z.string(),
});
export const ownershipLimitList = z.object({ data: z.array(ownershipLimitSchema) });
export const myUsageSchema = z.object({
  owned: z.number(),
  maxOwned: z.number().nullable(),
  excludeDealt: z.boolean(),
  locked: z.number(),
  maxLocked: z.number().nullable(),
});

/** A run of the recycling job (自动回收): the nightly schedule's or one an admin started. */
export const recycleRunSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  trigger: z.enum(['schedule', 'manual']),
  requestedBy: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Customers taken back; null until the run has finished. */
  recycled: z.number().nullable(),
  /** Recycled per rule (no_followup, no_deal, not_dealt). */
  byRule: z.record(z.string(), z.number()),
  attempts: z.number(),
  error: z.string().nullable(),
});
export type RecycleRun = z.infer<typeof recycleRunSchema>;
export const recycleRunList = z.object({ data: z.array(recycleRunSchema) });
export const recycleRunsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(10) });

/** Proposed recycling settings to try before saving; what is left out is the pool's current value. */
export const recyclePreviewBody = z.strictObject({
  exemptDealt: poolSettings.exemptDealt,
  exemptLocked: poolSettings.exemptLocked,
  rules: poolSettings.rules,
});
export type RecyclePreviewBody = z.infer<typeof recyclePreviewBody>;
export const recyclePreviewSchema = z.object({
  /** Customers the job would take back if it ran now with these settings. */
  total: z.number(),
  byRule: z.record(z.string(), z.number()),
  at: z.string(),
});
export type RecyclePreview = z.infer<typeof recyclePreviewSchema>;
