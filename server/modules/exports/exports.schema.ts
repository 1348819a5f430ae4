import { z } from 'zod';
import { cursorSchema, idSchema, limitSchema } from '../../http/schemas';

export const exportFormats = ['csv', 'xlsx'] as const;

export const createExportBody = z.strictObject({
  /** An entity registered for export (exports.registry.ts): customer, and each later entity that registers. */
  entity: z.string().regex(/^[a-z][a-zA-Z]{0,39}$/),
  format: z.enum(exportFormats).default('csv'),
  /** The list's query keys (GET /customers): filters, q, tag, sort. */
  filter: z.record(z.string().max(80), z.union([z.string().max(2000), z.array(z.string().max(500)).max(100)])).default({}),
  /** A selection instead of (within) the filter. */
  ids: z.array(idSchema).min(1).max(5000).optional(),
  /** Column keys (name, phone, …, cf.<key>); default: every field the caller may see. */
  columns: z.array(z.string().max(60)).min(1).max(200).optional(),
});
export type CreateExportBody = z.infer<typeof createExportBody>;

export const exportSchema = z.object({
  id: z.string(),
  entity: z.string(),
  format: z.enum(exportFormats),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  fileName: z.string(),
  size: z.number().int().nullable(),
  total: z.number().int(),
  processed: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ExportView = z.infer<typeof exportSchema>;

export const listExportsQuery = z.strictObject({ limit: limitSchema, cursor: cursorSchema });
export type ListExportsQuery = z.infer<typeof listExportsQuery>;
