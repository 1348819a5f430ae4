import { z } from 'zod';
import { emailSchema, idSchema, phoneSchema, textSchema } from '../../http/schemas';
import { userSchema } from '../users/users.schema';

export const loginBody = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(200),
  workspaceId: idSchema.optional(),
});

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  locale: z.string(),
  timezone: z.string(),
});

export const fieldAccessSchema = z.object({ access: z.enum(['hidden', 'read', 'edit']), masked: z.boolean() });

export const permissionsSchema = z.object({
  actions: z.record(z.string(), z.enum(['own', 'subordinates', 'department', 'departmentTree', 'all'])),
  fields: z.record(z.string(), z.record(z.string(), fieldAccessSchema)),
});

export const loginResponse = z.object({ user: userSchema, csrfToken: z.string() });

export const meResponse = z.object({
  user: userSchema,
  workspace: workspaceSchema,
  permissions: permissionsSchema,
  csrfToken: z.string().nullable(),
  via: z.enum(['session', 'apiKey']),
});

export const updateMeBody = z
  .strictObject({
    name: textSchema(100).optional(),
    phone: phoneSchema.nullish(),
    locale: z.enum(['zh-CN', 'en']).nullish(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});

export const setupBody = z.strictObject({
  workspaceName: textSchema(100),
  name: textSchema(100),
  email: emailSchema,
  password: z.string().min(1).max(200),
  locale: z.enum(['zh-CN', 'en']).nullish(),
});

export const setupResponse = z.object({ user: userSchema, workspace: workspaceSchema, csrfToken: z.string() });
