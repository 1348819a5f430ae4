import { z } from 'zod';
import { idSchema, textSchema } from '../../http/schemas';

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  roleId: z.string(),
  roleName: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const createdApiKeySchema = apiKeySchema.extend({ secret: z.string() });

export const createApiKeyBody = z.strictObject({ name: textSchema(100), roleId: idSchema });
