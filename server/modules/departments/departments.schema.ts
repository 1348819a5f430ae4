import { z } from 'zod';
import { idSchema, textSchema } from '../../http/schemas';

export const departmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  leaderId: z.string().nullable(),
  leaderName: z.string().nullable(),
  sort: z.number().int(),
  memberCount: z.number().int(),
  /** Send it back as `If-Match` on PATCH: a department changed meanwhile answers 412. */
  version: z.number().int(),
});
export type Department = z.infer<typeof departmentSchema>;

export const createDepartmentBody = z.strictObject({
  name: textSchema(100),
  parentId: idSchema.nullish(),
  leaderId: idSchema.nullish(),
  sort: z.number().int().min(0).max(1_000_000).optional(),
});
export type CreateDepartmentBody = z.infer<typeof createDepartmentBody>;

export const updateDepartmentBody = z
  .strictObject({
    name: textSchema(100).optional(),
    parentId: idSchema.nullish(),
    leaderId: idSchema.nullish(),
    sort: z.number().int().min(0).max(1_000_000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateDepartmentBody = z.infer<typeof updateDepartmentBody>;
