import { z } from 'zod';
import { currencySchema, customValuesSchema, idSchema, moneyInputNonNegative, moneyOutput, textSchema } from '../../http/schemas';

export const productSchema = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string().nullable().optional(),
  unit: z.string().nullable(),
  price: moneyOutput.optional(),
  currency: currencySchema,
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  active: z.boolean(),
  description: z.string().nullable().optional(),
  custom: customValuesSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Product = z.infer<typeof productSchema>;

export const productPage = z.object({
  data: z.array(productSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().optional(),
  countExact: z.boolean().optional(),
});

const fields = {
  code: z.string().trim().max(64).nullish(),
  unit: z.string().trim().max(32).nullish(),
  price: moneyInputNonNegative.optional(),
  categoryId: idSchema.nullish(),
  active: z.boolean().optional(),
  description: z.string().trim().max(5000).nullish(),
  custom: z.record(z.string().max(40), z.unknown()).optional(),
};

export const createProductBody = z.strictObject({ name: textSchema(200), ...fields });
export type CreateProductBody = z.infer<typeof createProductBody>;
export const updateProductBody = z.strictObject({ name: textSchema(200).optional(), ...fields }).refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateProductBody = z.infer<typeof updateProductBody>;

export const categorySchema = z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable(), sort: z.number().int(), productCount: z.number().int() });
export const categoryBody = z.strictObject({ name: textSchema(100), parentId: idSchema.nullish(), sort: z.number().int().min(0).max(10_000).optional() });

export const listProductsQuery = z
  .object({
    q: z.string().max(100).optional(),
    sort: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(2000).optional(),
    count: z.enum(['true', 'false']).optional(),
  })
  .catchall(z.union([z.string().max(2000), z.array(z.string().max(2000)).max(50)]));
