import { z } from 'zod';
import { actions, fieldAccessLevels, scopes } from '../../../common/permissions';
import { textSchema } from '../../http/schemas';

export const grantSchema = z.strictObject({
  entity: z.string().min(1).max(64),
  action: z.enum(actions),
  scope: z.enum(scopes),
});

export const fieldRuleSchema = z.strictObject({
  entity: z.string().min(1).max(64),
  field: z.string().min(1).max(64),
  access: z.enum(fieldAccessLevels),
  masked: z.boolean().default(false),
});

export const roleSummarySchema = z.object({
  id: z.string(),
  key: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  isSystem: z.boolean(),
  userCount: z.number().int(),
});
export type RoleSummary = z.infer<typeof roleSummarySchema>;

export const roleSchema = roleSummarySchema.extend({
  permissions: z.array(grantSchema),
  fieldRules: z.array(fieldRuleSchema),
  version: z.number().int(),
});
export type Role = z.infer<typeof roleSchema>;

export const createRoleBody = z.strictObject({
  name: textSchema(64),
  description: z.string().trim().max(500).nullish(),
  permissions: z.array(grantSchema).max(2000).default([]),
  fieldRules: z.array(fieldRuleSchema).max(5000).default([]),
});
export type CreateRoleBody = z.infer<typeof createRoleBody>;

export const updateRoleBody = z
  .strictObject({
    name: textSchema(64).optional(),
    description: z.string().trim().max(500).nullish(),
    permissions: z.array(grantSchema).max(2000).optional(),
    fieldRules: z.array(fieldRuleSchema).max(5000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateRoleBody = z.infer<typeof updateRoleBody>;
