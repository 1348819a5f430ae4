import { z } from 'zod';
import { idSchema, moneyInputNonNegative, moneyOutput, textSchema } from '../../http/schemas';

export const approvalModes = ['all', 'any'] as const;
export const missingManagerPolicies = ['skip', 'admin'] as const;
export const instanceStatuses = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export const taskStatuses = ['pending', 'approved', 'rejected', 'closed'] as const;


/** Who approves a step: a named user, everyone holding a role, or the submitter's manager N levels up. */
export const approverSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), userId: idSchema }),
  z.strictObject({ kind: z.literal('role'), roleId: idSchema }),
  z.strictObject({ kind: z.literal('manager'), levels: z.number().int().min(1).max(10) }),
]);
export type ApproverSpec = z.infer<typeof approverSpec>;

export const stepInput = z.strictObject({
  name: textSchema(100),
  /** all = 会签 (every approver must approve); any = 或签 (the first approval decides) */
  mode: z.enum(approvalModes),
  approvers: z.array(approverSpec).min(1).max(20),
  /** A manager approver who does not exist (chain too short): skip them, or ask the admins instead. */
  missingManager: z.enum(missingManagerPolicies).default('admin'),
});
export type StepInput = z.infer<typeof stepInput>;

const flowFields = {
  name: textSchema(100),
  description: z.string().trim().max(1000).nullish(),
  /** Smaller is tried first. */
  priority: z.number().int().min(-1_000_000).max(1_000_000).default(0),
  /** Amount conditions (decimal strings): min ≤ amount < max; null = no bound. */
  minAmount: moneyInputNonNegative.nullish(),
  maxAmount: moneyInputNonNegative.nullish(),
  active: z.boolean().default(true),
  steps: z.array(stepInput).min(1).max(20),
};

export const createFlowBody = z.strictObject({ subjectType: z.string().trim().min(1).max(40), ...flowFields });
export type CreateFlowBody = z.infer<typeof createFlowBody>;

export const updateFlowBody = z.strictObject({
  name: flowFields.name.optional(),
  description: flowFields.description,
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  minAmount: flowFields.minAmount,
  maxAmount: flowFields.maxAmount,
  active: z.boolean().optional(),
  steps: flowFields.steps.optional(),
});
export type UpdateFlowBody = z.infer<typeof updateFlowBody>;

export const stepSchema = z.object({
  name: z.string(),
  mode: z.enum(approvalModes),
  approvers: z.array(z.union([approverSpec, z.object({ kind: z.string() })])),
  missingManager: z.enum(missingManagerPolicies),
});

export const flowSchema = z.object({
  id: z.string(),
  subjectType: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  priority: z.number().int(),
  minAmount: moneyOutput.nullable(),
  maxAmount: moneyOutput.nullable(),
  active: z.boolean(),
  steps: z.array(stepSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Flow = z.infer<typeof flowSchema>;

export const listFlowsQuery = z.strictObject({ subjectType: z.string().trim().min(1).max(40).optional() });

const userRef = z.object({ id: z.string(), name: z.string().nullable() });

export const taskSchema = z.object({
  id: z.string(),
  instanceId: z.string(),
  stepIndex: z.number().int(),
  approver: userRef,
  status: z.enum(taskStatuses),
  comment: z.string().nullable(),
  createdAt: z.string(),
  actedAt: z.string().nullable(),
});

export const actionSchema = z.object({
  id: z.string(),
  stepIndex: z.number().int().nullable(),
  stepName: z.string().nullable(),
  actor: userRef.nullable(),
  action: z.string(),
  comment: z.string().nullable(),
  createdAt: z.string(),
});

/** An approval as its participants see it: the flow's steps with their tasks, and the history. */
export const instanceSchema = z.object({
  id: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  title: z.string().nullable(),
  path: z.string().nullable(),
  flowId: z.string().nullable(),
  flowName: z.string().nullable(),
  submitter: userRef,
  amount: moneyOutput.nullable(),
  status: z.enum(instanceStatuses),
  currentStep: z.number().int(),
  steps: z.array(
    z.object({
      index: z.number().int(),
      name: z.string(),
      mode: z.enum(approvalModes),
      /** waiting (not reached) | active | approved | skipped | rejected | closed */
      state: z.string(),
      tasks: z.array(taskSchema),
    }),
  ),
  history: z.array(actionSchema),
  /** What the caller may do now. */
  can: z.object({ approve: z.boolean(), reject: z.boolean(), withdraw: z.boolean() }),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type ApprovalInstance = z.infer<typeof instanceSchema>;

/** One row of "my approvals": a task (waiting for me / done) or an approval I submitted. */
export const approvalRowSchema = z.object({
  instanceId: z.string(),
  taskId: z.string().nullable(),
  subjectType: z.string(),
  subjectId: z.string(),
  title: z.string().nullable(),
  path: z.string().nullable(),
  flowName: z.string().nullable(),
  stepName: z.string().nullable(),
  submitter: userRef,
  amount: moneyOutput.nullable(),
  instanceStatus: z.enum(instanceStatuses),
  taskStatus: z.enum(taskStatuses).nullable(),
  comment: z.string().nullable(),
  createdAt: z.string(),
  actedAt: z.string().nullable(),
});
export type ApprovalRow = z.infer<typeof approvalRowSchema>;

export const approvalRowPage = z.object({ data: z.array(approvalRowSchema), nextCursor: z.string().nullable() });

export const listTasksQuery = z.strictObject({
  /** pending = waiting for me; done = I approved or rejected */
  status: z.enum(['pending', 'done']).default('pending'),
  subjectType: z.string().trim().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});

export const listSubmittedQuery = z.strictObject({
  status: z.enum(instanceStatuses).optional(),
  subjectType: z.string().trim().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});

export const actBody = z.strictObject({ comment: z.string().trim().max(2000).nullish() });
export const rejectBody = z.strictObject({ comment: z.string().trim().max(2000).nullish() });
