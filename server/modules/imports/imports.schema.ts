import { z } from 'zod';
import { cursorSchema, limitSchema } from '../../http/schemas';

export const duplicateModes = ['skip', 'update', 'create'] as const;
export const importStatuses = ['uploaded', 'queued', 'running', 'done', 'failed', 'cancelled'] as const;

export const importColumnSchema = z.object({ index: z.number().int(), header: z.string(), sample: z.array(z.string()) });
export type ImportColumn = z.infer<typeof importColumnSchema>;

export const uploadResultSchema = z.object({
  id: z.string(),
  entity: z.string().describe('customer, contact, or any entity registered with registerImportEntity'),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string(),
  /** Data rows, estimated for big files (rowCountExact false). */
  rowCount: z.number().int(),
  rowCountExact: z.boolean(),
  columns: z.array(importColumnSchema),
  /** columnIndex → field (or `cf.<key>`): the workspace's past choices first, then 中文/English header names. */
  guesses: z.record(z.string(), z.string()),
  /** The entity's built-in fields a column may map to (custom fields are `cf.<key>`), and those the mapping must include. */
  fields: z.array(z.string()),
  requiredFields: z.array(z.string()),
});
export type UploadResult = z.infer<typeof uploadResultSchema>;

const mappingSchema = z
  .record(z.string().regex(/^\d{1,3}$/, 'must be a column index'), z.string().max(60).nullable())
  .describe('columnIndex → field | "cf.<key>" | null (not imported)');

export const mappingBody = z.strictObject({
  mapping: mappingSchema,
  duplicateMode: z.enum(duplicateModes).default('skip'),
});
export type MappingBody = z.infer<typeof mappingBody>;

const rowErrorSchema = z.object({ field: z.string(), message: z.string() });
const duplicateRefSchema = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  rowNumber: z.number().int().nullable(),
  reason: z.string().describe("the dedupe key that matched: name, phone, email (or an entity's own key)"),
  visible: z.boolean(),
});

export const previewResultSchema = z.object({
  rows: z.array(
    z.object({
      rowNumber: z.number().int(),
      values: z.record(z.string(), z.string()),
      errors: z.array(rowErrorSchema),
      duplicateOf: duplicateRefSchema.optional(),
      action: z.enum(['create', 'update', 'skip', 'fail']),
    }),
  ),
  validCount: z.number().int(),
  errorCount: z.number().int(),
  duplicateCount: z.number().int(),
});
export type PreviewResult = z.infer<typeof previewResultSchema>;

export const importSchema = z.object({
  id: z.string(),
  entity: z.string().describe('customer, contact, or any entity registered with registerImportEntity'),
  status: z.enum(importStatuses),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string(),
  rowCount: z.number().int(),
  columns: z.array(importColumnSchema),
  mapping: z.record(z.string(), z.string()).nullable(),
  duplicateMode: z.enum(duplicateModes).nullable(),
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  rowsPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  stage: z
    .enum(['rows', 'indexing'])
    .nullable()
    .describe('While running: "rows" (reading, checking and writing rows), then "indexing" (making the new records searchable); null otherwise'),
  /** The indexing stage's progress: records made searchable of those to do (null outside the stage). */
  indexed: z.number().int().nullable(),
  toIndex: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportView = z.infer<typeof importSchema>;

export const listImportsQuery = z.strictObject({ limit: limitSchema, cursor: cursorSchema });
export type ListImportsQuery = z.infer<typeof listImportsQuery>;

export const templateQuery = z.strictObject({
  entity: z.string().max(40).describe('customer, contact, lead, product'),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});
