import { z } from 'zod';
import { customFieldKeyPattern, customFieldTypes } from '../../../common/custom-fields';
import { textSchema } from '../../http/schemas';

/** Entities that accept custom fields; later modules append theirs. */
export const customizableEntities = ['customer', 'contact', 'lead', 'contract', 'deal', 'product'] as const;

export const optionSchema = z.strictObject({
  value: z.string().trim().min(1).max(64),
  label: textSchema(100),
  color: z.string().regex(/^[a-z]+$|^#[0-9a-fA-F]{6}$/).max(20).optional(),
});

export const customFieldSchema = z.object({
  id: z.string(),
  entity: z.string(),
  key: z.string(),
  label: z.string(),
  type: z.enum(customFieldTypes),
  required: z.boolean(),
  unique: z.boolean(),
  options: z.array(z.object({ value: z.string(), label: z.string(), color: z.string().optional() })),
  sort: z.number().int(),
  version: z.number().int(),
});
export type CustomField = z.infer<typeof customFieldSchema>;

export const entityParams = z.strictObject({ entity: z.enum(customizableEntities) });
export const entityFieldParams = z.strictObject({ entity: z.enum(customizableEntities), id: z.string().uuid() });

export const createCustomFieldBody = z
  .strictObject({
    key: z.string().regex(customFieldKeyPattern, 'lowercase letters, digits and _; starts with a letter; ≤ 40'),
    label: textSchema(100),
    type: z.enum(customFieldTypes),
    required: z.boolean().default(false),
    unique: z.boolean().default(false),
    options: z.array(optionSchema).max(500).default([]),
    sort: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((f) => !['singleSelect', 'multiSelect'].includes(f.type) || f.options.length > 0, { message: 'select fields need options', path: ['options'] })
  .refine((f) => new Set(f.options.map((o) => o.value)).size === f.options.length, { message: 'option values must be unique', path: ['options'] });
export type CreateCustomFieldBody = z.infer<typeof createCustomFieldBody>;

export const updateCustomFieldBody = z
  .strictObject({
    label: textSchema(100).optional(),
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
    options: z.array(optionSchema).max(500).optional(),
    sort: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateCustomFieldBody = z.infer<typeof updateCustomFieldBody>;
