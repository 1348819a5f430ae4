import { z } from 'zod';
import { cursorSchema, emailSchema, idSchema, limitSchema, page, phoneSchema, textSchema } from '../../http/schemas';

/** Fields governed by field permissions are optional: a hidden field is left out. */
export const userSchema = z.object({
  id: idSchema,
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().nullable().optional(),
  departmentId: z.string().nullable().optional(),
  departmentName: z.string().nullable().optional(),
  managerId: z.string().nullable().optional(),
  managerName: z.string().nullable().optional(),
  roleIds: z.array(z.string()).optional(),
  roleNames: z.array(z.string()).optional(),
  status: z.enum(['active', 'inactive']),
  locale: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type User = z.infer<typeof userSchema>;

export const userPage = page(userSchema);

export const listUsersQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  status: z.enum(['active', 'inactive']).optional(),
  departmentId: idSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

export const createUserBody = z.strictObject({
  name: textSchema(100),
  email: emailSchema,
  phone: phoneSchema.nullish(),
  departmentId: idSchema.nullish(),
  managerId: idSchema.nullish(),
  roleIds: z.array(idSchema).max(20).default([]),
  password: z.string().min(1).max(200),
  locale: z.enum(['zh-CN', 'en']).nullish(),
});
export type CreateUserBody = z.infer<typeof createUserBody>;

export const updateUserBody = z
  .strictObject({
    name: textSchema(100).optional(),
    email: emailSchema.optional(),
    phone: phoneSchema.nullish(),
    departmentId: idSchema.nullish(),
    managerId: idSchema.nullish(),
    roleIds: z.array(idSchema).max(20).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateUserBody = z.infer<typeof updateUserBody>;

export const resetPasswordBody = z.strictObject({ password: z.string().min(1).max(200) });

export const ifMatchHeaders = z.object({ 'if-match': z.string().regex(/^"?\d{1,9}"?$/).optional() });
